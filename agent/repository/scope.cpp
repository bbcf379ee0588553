#include "agent/repository/scope.h"

#include <algorithm>

namespace corral::agent {

bool Scope::includes(std::string_view ns) const {
  auto listed = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), ns) != names.end();
  };
  if (listed(exclude_namespaces)) {
    return false;
  }
  return include_namespaces.empty() || listed(include_namespaces);
}

}  // namespace corral::agent
