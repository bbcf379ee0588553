#pragma once

// Reads the fields of one JSON object with checks, for decode(). A failed check throws
// FieldError, which decode() turns into a Status naming the field; nothing else throws.

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "common/json.h"

namespace corral::proto {

struct FieldError {
  std::string field;
  std::string expected;
};

class FieldReader {
 public:
  // `path` prefixes field names in errors ("commands[0].id").
  FieldReader(const Json& j, std::string path);
  // The reader keeps a reference to `j`; reading a temporary would leave it dangling.
  FieldReader(Json&& j, std::string path) = delete;

  void string(const char* name, std::string& out, bool required, size_t max_length = 256);
  void oneOf(const char* name, std::string& out, bool required,
             std::initializer_list<const char*> allowed);
  void integer(const char* name, int64_t& out, bool required, int64_t min, int64_t max);
  void integer(const char* name, int& out, bool required, int min, int max);
  void number(const char* name, double& out, bool required, double min, double max);
  void boolean(const char* name, bool& out, bool required);
  void object(const char* name, Json& out, bool required);
  void any(const char* name, Json& out);
  void stringList(const char* name, std::vector<std::string>& out, size_t max_items);
  void labels(const char* name, std::map<std::string, std::string>& out);
  // The JSON value of `name` for nested decoding, or nullptr when absent or null.
  const Json* raw(const char* name) const;
  std::string path(const char* name) const;

 private:
  const Json* find(const char* name, bool required) const;
  [[noreturn]] void fail(const char* name, const std::string& expected) const;

  const Json& j_;
  std::string path_;
};

}  // namespace corral::proto
