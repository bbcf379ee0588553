#pragma once

// Which namespaces the agent looks at. Plain value, safe to copy between threads.

#include <string>
#include <string_view>
#include <vector>

namespace corral::agent {

struct Scope {
  std::vector<std::string> include_namespaces;  // empty: every namespace
  std::vector<std::string> exclude_namespaces;  // wins over include_namespaces

  // Whether objects in namespace `ns` belong to the scope.
  bool includes(std::string_view ns) const;
};

}  // namespace corral::agent
