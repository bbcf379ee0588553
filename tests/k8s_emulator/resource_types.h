#pragma once

// The kinds the emulator serves, described as the API server's discovery describes them.

#include <span>
#include <string>
#include <string_view>

namespace corral::testing::k8s {

struct ResourceType {
  std::string_view name;      // plural, as in paths: "pods"
  std::string_view singular;  // "pod"
  std::string_view group;     // "" for the core group
  std::string_view version;   // "v1"
  std::string_view kind;      // "Pod"
  bool namespaced;
  bool scalable;                // has the /scale subresource
  std::string_view short_name;  // "po"; empty when there is none

  std::string apiVersion() const;  // "v1", "apps/v1"
  std::string listKind() const;    // "PodList"
  // How Status messages name the resource: "pods", "deployments.apps".
  std::string groupResource() const;
  // How validation messages name the kind: "Pod", "Deployment.apps".
  std::string groupKind() const;
};

std::span<const ResourceType> resourceTypes();
const ResourceType* findResourceType(std::string_view group, std::string_view version,
                                     std::string_view name);
// By plural name in any group ("deployments"); the names are unique across the groups served.
const ResourceType* findResourceType(std::string_view name);

}  // namespace corral::testing::k8s
