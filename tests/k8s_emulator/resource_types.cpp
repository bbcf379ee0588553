#include "tests/k8s_emulator/resource_types.h"

#include <array>

namespace corral::testing::k8s {

namespace {

// Secrets are listed so that a forbidden secret answers 403 like a real server; no fixture holds
// one. Persistent volume claims come with the fixtures, so they are served too.
constexpr std::array kTypes = {
    ResourceType{"pods", "pod", "", "v1", "Pod", true, false, "po"},
    ResourceType{"nodes", "node", "", "v1", "Node", false, false, "no"},
    ResourceType{"namespaces", "namespace", "", "v1", "Namespace", false, false, "ns"},
    ResourceType{"events", "event", "", "v1", "Event", true, false, "ev"},
    ResourceType{"configmaps", "configmap", "", "v1", "ConfigMap", true, false, "cm"},
    ResourceType{"services", "service", "", "v1", "Service", true, false, "svc"},
    ResourceType{"secrets", "secret", "", "v1", "Secret", true, false, ""},
    ResourceType{"persistentvolumeclaims", "persistentvolumeclaim", "", "v1",
                 "PersistentVolumeClaim", true, false, "pvc"},
    ResourceType{"deployments", "deployment", "apps", "v1", "Deployment", true, true, "deploy"},
    ResourceType{"replicasets", "replicaset", "apps", "v1", "ReplicaSet", true, true, "rs"},
    ResourceType{"statefulsets", "statefulset", "apps", "v1", "StatefulSet", true, true, "sts"},
    ResourceType{"daemonsets", "daemonset", "apps", "v1", "DaemonSet", true, false, "ds"},
    ResourceType{"ingresses", "ingress", "networking.k8s.io", "v1", "Ingress", true, false, "ing"},
};

}  // namespace

std::string ResourceType::apiVersion() const {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

std::string ResourceType::listKind() const { return std::string(kind) + "List"; }

std::string ResourceType::groupResource() const {
  return group.empty() ? std::string(name) : std::string(name) + "." + std::string(group);
}

std::string ResourceType::groupKind() const {
  return group.empty() ? std::string(kind) : std::string(kind) + "." + std::string(group);
}

std::span<const ResourceType> resourceTypes() { return kTypes; }

const ResourceType* findResourceType(std::string_view group, std::string_view version,
                                     std::string_view name) {
  for (const ResourceType& type : kTypes) {
    if (type.group == group && type.version == version && type.name == name) {
      return &type;
    }
  }
  return nullptr;
}

const ResourceType* findResourceType(std::string_view name) {
  for (const ResourceType& type : kTypes) {
    if (type.name == name) {
      return &type;
    }
  }
  return nullptr;
}

}  // namespace corral::testing::k8s
