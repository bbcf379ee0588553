#pragma once

// Wording shared by the rules' summaries and descriptions. Pure; safe from any thread.

#include <cstdint>
#include <string>

namespace corral::master {

// "45s", "15m", "1h30m", "2d": whole units, at most two of them.
std::string durationText(int64_t ms);
// "namespace/name", or "name" for cluster-scoped objects.
std::string qualifiedName(const std::string& ns, const std::string& name);
// "1 restart", "3 restarts".
std::string plural(int64_t n, const std::string& one, const std::string& many);

}  // namespace corral::master
