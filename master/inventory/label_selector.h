#pragma once

// Kubernetes label selectors, as kubectl -l and the API's labelSelector write them:
// "app=web,tier!=db,env in (prod,staging),!canary,team" — requirements joined by commas, each
// `key`, `!key`, `key=value` (or `==`), `key!=value`, `key in (v,...)`, `key notin (v,...)`,
// `key>n` or `key<n`. A value type; safe to share between threads once built.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "master/inventory/cluster_index.h"

namespace corral::master {

class LabelSelector {
 public:
  // The empty selector matches everything. kInvalidArgument saying what is wrong and where; the
  // caller names the parameter it came from.
  static Result<LabelSelector> parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  // As Kubernetes matches: `!=` and `notin` also match objects without the key.
  bool matches(const LabelList& labels) const;

 private:
  enum class Op { kExists, kNotExists, kEquals, kNotEquals, kIn, kNotIn, kGreater, kLess };
  struct Requirement {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;
    int64_t number = 0;  // kGreater, kLess
  };
  class Parser;

  std::vector<Requirement> requirements_;
};

// Whether a service's or workload's `selector` (equality only) selects an object with `labels`:
// not empty, and every pair present. An empty selector selects nothing, as a service without one
// has no endpoints of its own.
bool selects(const LabelList& selector, const LabelList& labels);

// The value of `key` in `labels`, sorted by key; nullptr when absent.
const std::string_view* findLabel(const LabelList& labels, std::string_view key);

}  // namespace corral::master
