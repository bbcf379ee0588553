#pragma once

// Shared pieces of the events' JSON data.

#include <cstdint>

#include "common/json.h"

namespace corral::master {

// Unix milliseconds as RFC 3339 UTC, or null for 0 ("not set"), as in the operator API.
Json eventTime(int64_t unix_ms);

}  // namespace corral::master
