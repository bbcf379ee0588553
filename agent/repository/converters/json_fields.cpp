#include "agent/repository/converters/json_fields.h"

#include <cmath>
#include <limits>

namespace corral::agent::fields {

namespace {

const Json& nullJson() {
  static const Json kNull;
  return kNull;
}

const Json& emptyArray() {
  static const Json kEmpty = Json::array();
  return kEmpty;
}

}  // namespace

const Json& at(const Json& j, std::initializer_list<std::string_view> path) {
  const Json* current = &j;
  for (std::string_view key : path) {
    if (!current->is_object()) {
      return nullJson();
    }
    auto it = current->find(key);
    if (it == current->end()) {
      return nullJson();
    }
    current = &*it;
  }
  return *current;
}

std::string str(const Json& j) { return j.is_string() ? j.get_ref<const std::string&>() : ""; }

std::string str(const Json& j, std::initializer_list<std::string_view> path) {
  return str(at(j, path));
}

std::optional<int64_t> optInteger(const Json& j) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (j.is_number_unsigned()) {
    auto v = j.get<uint64_t>();
    return v > static_cast<uint64_t>(kMax) ? kMax : static_cast<int64_t>(v);
  }
  if (j.is_number_integer()) {
    return j.get<int64_t>();
  }
  if (j.is_number_float()) {
    double v = j.get<double>();
    if (!std::isfinite(v)) {
      return std::nullopt;
    }
    // 2^63 is exact as a double; anything at or beyond it would overflow the cast.
    constexpr double kLimit = 9223372036854775808.0;
    if (v >= kLimit) {
      return kMax;
    }
    if (v <= -kLimit) {
      return std::numeric_limits<int64_t>::min();
    }
    return static_cast<int64_t>(v);
  }
  return std::nullopt;
}

int64_t integer(const Json& j, std::initializer_list<std::string_view> path) {
  return optInteger(at(j, path)).value_or(0);
}

bool boolean(const Json& j, std::initializer_list<std::string_view> path) {
  const Json& v = at(j, path);
  return v.is_boolean() && v.get<bool>();
}

std::string intOrString(const Json& j) {
  if (auto n = optInteger(j)) {
    return std::to_string(*n);
  }
  return str(j);
}

model::StringMap stringMap(const Json& j) {
  model::StringMap out;
  if (!j.is_object()) {
    return out;
  }
  for (const auto& [key, value] : j.items()) {
    if (value.is_string()) {
      out.emplace(key, value.get<std::string>());
    }
  }
  return out;
}

std::vector<std::string> keys(const Json& j) {
  std::vector<std::string> out;
  if (!j.is_object()) {
    return out;
  }
  for (const auto& [key, value] : j.items()) {
    out.push_back(key);
  }
  return out;  // nlohmann's objects are ordered maps, so the keys come sorted
}

const Json& array(const Json& j) { return j.is_array() ? j : emptyArray(); }

}  // namespace corral::agent::fields
