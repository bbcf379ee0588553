#pragma once

// Reading Kubernetes JSON without trusting its shape. Every accessor answers for any input: a
// missing key, a null or a value of the wrong type reads as empty, 0 or false, and nothing throws.
// The converters use these instead of nlohmann's operator[] and get<>(), which assert or throw.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::fields {

// The value at `path` below `j`, or a null value when any step is missing or not an object.
const Json& at(const Json& j, std::initializer_list<std::string_view> path);

// `j` if it is a string, else "".
std::string str(const Json& j);
std::string str(const Json& j, std::initializer_list<std::string_view> path);

// An integral JSON number (clamped to int64), or a finite float truncated toward 0; anything else
// is nullopt.
std::optional<int64_t> optInteger(const Json& j);
int64_t integer(const Json& j, std::initializer_list<std::string_view> path);

// true only for JSON true.
bool boolean(const Json& j, std::initializer_list<std::string_view> path);

// A string that may also be written as a number (intOrString fields such as targetPort).
std::string intOrString(const Json& j);

// The string members of an object; members of other types are left out.
model::StringMap stringMap(const Json& j);
// The member names of an object, sorted.
std::vector<std::string> keys(const Json& j);

// The elements of `j` if it is an array, else none: safe to iterate over anything.
const Json& array(const Json& j);

}  // namespace corral::agent::fields
