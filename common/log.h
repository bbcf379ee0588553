#pragma once

// Process-wide logging through spdlog. Call initLogging() once from main(); everything else uses
// the spdlog free functions (spdlog::info, ...), which are thread-safe.

#include <string>

#include "common/status.h"

namespace corral {

// `level` is one of trace, debug, info, warn, error, critical, off. Logs go to stderr, and also to
// `file` when it is not empty.
Status initLogging(const std::string& level, const std::string& file);

}  // namespace corral
