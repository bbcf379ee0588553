#include "agent/model/resource_kind.h"

#include <cstdlib>

namespace corral::agent::model {

const char* resourceKindName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kPods:
      return "pods";
    case ResourceKind::kNodes:
      return "nodes";
    case ResourceKind::kDeployments:
      return "deployments";
    case ResourceKind::kReplicaSets:
      return "replicasets";
    case ResourceKind::kStatefulSets:
      return "statefulsets";
    case ResourceKind::kDaemonSets:
      return "daemonsets";
    case ResourceKind::kServices:
      return "services";
    case ResourceKind::kEvents:
      return "events";
    case ResourceKind::kConfigMaps:
      return "configmaps";
    case ResourceKind::kIngresses:
      return "ingresses";
    case ResourceKind::kNamespaces:
      return "namespaces";
  }
  std::abort();  // every enumerator is handled above
}

std::optional<ResourceKind> parseResourceKind(std::string_view name) {
  for (ResourceKind kind : allResourceKinds()) {
    if (name == resourceKindName(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

const std::vector<ResourceKind>& allResourceKinds() {
  static const std::vector<ResourceKind> kAll = {
      ResourceKind::kPods,        ResourceKind::kNodes,        ResourceKind::kDeployments,
      ResourceKind::kReplicaSets, ResourceKind::kStatefulSets, ResourceKind::kDaemonSets,
      ResourceKind::kServices,    ResourceKind::kEvents,       ResourceKind::kConfigMaps,
      ResourceKind::kIngresses,   ResourceKind::kNamespaces,
  };
  return kAll;
}

}  // namespace corral::agent::model
