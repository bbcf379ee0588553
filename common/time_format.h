#pragma once

// Timestamps on the wire and in logs: RFC 3339 in UTC with milliseconds,
// "2026-11-23T11:06:39.123Z".

#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace corral {

std::string formatRfc3339(WallTime t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a numeric offset "+HH:MM".
Result<WallTime> parseRfc3339(const std::string& text);

}  // namespace corral
