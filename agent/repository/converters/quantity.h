#pragma once

// Kubernetes resource quantities ("100m", "1.5", "2Gi", "1e3") in base units, so that a pod's
// containers can be added up. Pure functions, safe from any thread.

#include <cstdint>
#include <optional>
#include <string_view>

namespace corral::agent {

// CPU in thousandths of a core, rounded up as Kubernetes does ("100m" -> 100, "1" -> 1000,
// "0.0001" -> 1). nullopt for text that is not a quantity. Values beyond int64 are clamped.
std::optional<int64_t> parseCpuMillis(std::string_view quantity);
// Bytes, rounded up ("2Gi" -> 2147483648, "100M" -> 100000000, "1500m" -> 2). nullopt for text
// that is not a quantity. Values beyond int64 are clamped.
std::optional<int64_t> parseBytes(std::string_view quantity);

}  // namespace corral::agent
