#pragma once

// labelSelector and fieldSelector as the API server reads them: label requirements =, ==, !=,
// in (...), notin (...), key, !key, > and <, joined by commas; field requirements =, ==, != on the
// fields each kind supports. An unsupported field is a 400 BadRequest, as on a real server.

#include <string>
#include <string_view>
#include <vector>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/object_util.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

class LabelSelector {
 public:
  static ApiResult<LabelSelector> parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  // `labels` is metadata.labels (null or an object).
  bool matches(const Object& labels) const;

 private:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kNotExists, kGreater, kLess };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

class FieldSelector {
 public:
  // `label_selector` only words the error message, which quotes both selectors.
  static ApiResult<FieldSelector> parse(std::string_view text, const ResourceType& type,
                                        std::string_view label_selector);

  bool empty() const { return requirements_.empty(); }
  bool matches(const Object& object) const;

 private:
  struct Requirement {
    std::vector<std::string> path;  // JSON members from the object's root
    bool negated;
    std::string value;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace corral::testing::k8s
