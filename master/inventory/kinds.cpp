#include "master/inventory/kinds.h"

#include <cctype>

namespace corral::master {
namespace {

struct KindNames {
  std::string_view plural;
  std::string_view object;
  bool namespaced;
};

constexpr std::array<KindNames, kKindCount> kNames = {{
    {"pods", "Pod", true},
    {"nodes", "Node", false},
    {"deployments", "Deployment", true},
    {"replicasets", "ReplicaSet", true},
    {"statefulsets", "StatefulSet", true},
    {"daemonsets", "DaemonSet", true},
    {"services", "Service", true},
    {"events", "Event", true},
    {"configmaps", "ConfigMap", true},
    {"ingresses", "Ingress", true},
    {"namespaces", "Namespace", false},
}};

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::array<Kind, kKindCount>& allKinds() {
  static constexpr std::array<Kind, kKindCount> kAll = {
      Kind::kPods,         Kind::kNodes,      Kind::kDeployments, Kind::kReplicaSets,
      Kind::kStatefulSets, Kind::kDaemonSets, Kind::kServices,    Kind::kEvents,
      Kind::kConfigMaps,   Kind::kIngresses,  Kind::kNamespaces,
  };
  return kAll;
}

std::string_view kindName(Kind kind) { return kNames[kindSlot(kind)].plural; }

std::string_view objectKind(Kind kind) { return kNames[kindSlot(kind)].object; }

bool namespaced(Kind kind) { return kNames[kindSlot(kind)].namespaced; }

std::optional<Kind> parseKindName(std::string_view name) {
  for (Kind kind : allKinds()) {
    if (kindName(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

std::optional<Kind> parseAnyKind(std::string_view name) {
  for (Kind kind : allKinds()) {
    if (equalsIgnoringCase(kindName(kind), name) || equalsIgnoringCase(objectKind(kind), name)) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace corral::master
