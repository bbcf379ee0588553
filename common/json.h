#pragma once

// nlohmann/json at the edge: parsing never throws past this function.

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace corral {

using Json = nlohmann::json;

// Parses `text`; a syntax error becomes kBadRequest with the byte position.
Result<Json> parseJson(std::string_view text);

}  // namespace corral
