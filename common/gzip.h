#pragma once

// gzip (RFC 1952) through zlib, for snapshot uploads. Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace corral {

Result<std::string> gzipCompress(std::string_view data, int level = 6);

// Inflates `data`, stopping with kPayloadTooLarge as soon as the output would pass `max_output`
// bytes, so a small compression bomb cannot exhaust memory. Corrupt input is kBadRequest.
Result<std::string> gzipDecompress(std::string_view data, size_t max_output);

}  // namespace corral
