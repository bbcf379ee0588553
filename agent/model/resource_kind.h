#pragma once

// The Kubernetes kinds a snapshot can hold, named as they appear on the wire ("pods", "nodes", ...)
// and in the agent's configuration.

#include <optional>
#include <string_view>
#include <vector>

namespace corral::agent::model {

enum class ResourceKind {
  kPods,
  kNodes,
  kDeployments,
  kReplicaSets,
  kStatefulSets,
  kDaemonSets,
  kServices,
  kEvents,
  kConfigMaps,
  kIngresses,
  kNamespaces,
};

// The plural lower-case name: the key under `resources` and `errors`, and the API resource name.
const char* resourceKindName(ResourceKind kind);
// The inverse of resourceKindName(); nullopt for a name that is not one of the kinds.
std::optional<ResourceKind> parseResourceKind(std::string_view name);
// Every kind, in the order above.
const std::vector<ResourceKind>& allResourceKinds();

}  // namespace corral::agent::model
