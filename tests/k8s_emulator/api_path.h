#pragma once

// Resource paths of the API: /api/v1/... for the core group, /apis/{group}/{version}/... for the
// others, each either cluster-wide (/api/v1/pods) or in a namespace
// (/api/v1/namespaces/{ns}/pods/{name}/log).

#include <optional>
#include <string>
#include <string_view>

#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

struct ApiPath {
  const ResourceType* type = nullptr;
  std::string ns;           // from /namespaces/{ns}/...; empty for cluster-wide requests
  std::string name;         // empty for a collection
  std::string subresource;  // "log", "scale", "status", ...; empty for the object itself
};

// nullopt when `path` names no resource the emulator serves (the caller answers 404).
std::optional<ApiPath> parseApiPath(std::string_view path);

}  // namespace corral::testing::k8s
