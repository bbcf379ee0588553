#include "proto-json/field_reader.h"

namespace corral::proto {

FieldReader::FieldReader(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
  if (!j_.is_object()) {
    throw FieldError{path_.empty() ? "(body)" : path_, "a JSON object"};
  }
}

std::string FieldReader::path(const char* name) const {
  return path_.empty() ? std::string(name) : path_ + "." + name;
}

void FieldReader::fail(const char* name, const std::string& expected) const {
  throw FieldError{path(name), expected};
}

const Json* FieldReader::raw(const char* name) const {
  auto it = j_.find(name);
  if (it == j_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

const Json* FieldReader::find(const char* name, bool required) const {
  const Json* v = raw(name);
  if (v == nullptr && required) {
    fail(name, "a value (the field is required)");
  }
  return v;
}

void FieldReader::string(const char* name, std::string& out, bool required, size_t max_length) {
  const Json* v = find(name, required);
  if (v == nullptr) {
    return;
  }
  if (!v->is_string()) {
    fail(name, "a string");
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_length) {
    fail(name, "a string of at most " + std::to_string(max_length) + " bytes");
  }
  if (required && s.empty()) {
    fail(name, "a non-empty string");
  }
  out = s;
}

void FieldReader::oneOf(const char* name, std::string& out, bool required,
                        std::initializer_list<const char*> allowed) {
  std::string value;
  string(name, value, required);
  if (raw(name) == nullptr) {
    return;
  }
  for (const char* a : allowed) {
    if (value == a) {
      out = value;
      return;
    }
  }
  std::string list;
  for (const char* a : allowed) {
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  fail(name, "one of " + list);
}

void FieldReader::integer(const char* name, int64_t& out, bool required, int64_t min, int64_t max) {
  const Json* v = find(name, required);
  if (v == nullptr) {
    return;
  }
  if (!v->is_number_integer()) {
    fail(name, "an integer");
  }
  // Unsigned values above INT64_MAX read as negative here and are refused by the range check.
  int64_t value = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX)
                      ? std::numeric_limits<int64_t>::min()
                      : v->get<int64_t>();
  if (value < min || value > max) {
    fail(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = value;
}

void FieldReader::integer(const char* name, int& out, bool required, int min, int max) {
  int64_t wide = out;
  integer(name, wide, required, min, max);
  out = static_cast<int>(wide);
}

void FieldReader::number(const char* name, double& out, bool required, double min, double max) {
  const Json* v = find(name, required);
  if (v == nullptr) {
    return;
  }
  if (!v->is_number()) {
    fail(name, "a number");
  }
  double value = v->get<double>();
  if (value < min || value > max) {
    fail(name, "a number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = value;
}

void FieldReader::boolean(const char* name, bool& out, bool required) {
  const Json* v = find(name, required);
  if (v == nullptr) {
    return;
  }
  if (!v->is_boolean()) {
    fail(name, "true or false");
  }
  out = v->get<bool>();
}

void FieldReader::object(const char* name, Json& out, bool required) {
  const Json* v = find(name, required);
  if (v == nullptr) {
    return;
  }
  if (!v->is_object()) {
    fail(name, "a JSON object");
  }
  out = *v;
}

void FieldReader::any(const char* name, Json& out) {
  const Json* v = raw(name);
  if (v != nullptr) {
    out = *v;
  }
}

void FieldReader::stringList(const char* name, std::vector<std::string>& out, size_t max_items) {
  const Json* v = find(name, false);
  if (v == nullptr) {
    return;
  }
  if (!v->is_array() || v->size() > max_items) {
    fail(name, "a list of at most " + std::to_string(max_items) + " strings");
  }
  std::vector<std::string> items;
  for (const auto& item : *v) {
    if (!item.is_string()) {
      fail(name, "a list of strings");
    }
    items.push_back(item.get<std::string>());
  }
  out = std::move(items);
}

void FieldReader::labels(const char* name, std::map<std::string, std::string>& out) {
  const Json* v = find(name, false);
  if (v == nullptr) {
    return;
  }
  if (!v->is_object() || v->size() > 64) {
    fail(name, "an object of at most 64 string labels");
  }
  std::map<std::string, std::string> items;
  for (const auto& [key, value] : v->items()) {
    if (!value.is_string() || key.empty() || key.size() > 63 ||
        value.get_ref<const std::string&>().size() > 256) {
      fail(name, "labels whose keys are 1 to 63 bytes and values are strings of at most 256 bytes");
    }
    items[key] = value.get<std::string>();
  }
  out = std::move(items);
}

}  // namespace corral::proto
