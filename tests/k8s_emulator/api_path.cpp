#include "tests/k8s_emulator/api_path.h"

#include <vector>

namespace corral::testing::k8s {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      parts.push_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::optional<ApiPath> parseApiPath(std::string_view path) {
  std::vector<std::string_view> parts = segments(path);
  std::string_view group;
  std::string_view version;
  size_t rest = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    version = parts[1];
    rest = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    group = parts[1];
    version = parts[2];
    rest = 3;
  } else {
    return std::nullopt;
  }
  std::vector<std::string_view> tail(parts.begin() + static_cast<std::ptrdiff_t>(rest),
                                     parts.end());
  ApiPath result;
  // /namespaces/{ns}/{resource}/...; /api/v1/namespaces/{name} is the namespace object.
  if (tail.size() >= 3 && tail[0] == "namespaces") {
    result.ns = tail[1];
    tail.erase(tail.begin(), tail.begin() + 2);
  }
  if (tail.empty() || tail.size() > 3) {
    return std::nullopt;
  }
  result.type = findResourceType(group, version, tail[0]);
  if (result.type == nullptr) {
    return std::nullopt;
  }
  if (!result.ns.empty() && !result.type->namespaced) {
    return std::nullopt;
  }
  if (tail.size() >= 2) {
    result.name = tail[1];
    // A namespaced object is only reachable through its namespace.
    if (result.type->namespaced && result.ns.empty()) {
      return std::nullopt;
    }
  }
  if (tail.size() == 3) {
    result.subresource = tail[2];
  }
  return result;
}

}  // namespace corral::testing::k8s
