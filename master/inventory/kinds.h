#pragma once

// The Kubernetes kinds a cluster index holds, named as the snapshot names them ("pods") and as
// their objects do ("Pod"). Constant tables; safe from any thread.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace corral::master {

enum class Kind {
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

inline constexpr size_t kKindCount = 11;

// Every kind, in the order above.
const std::array<Kind, kKindCount>& allKinds();
// The plural lower-case name: the key under the snapshot's `resources` and in routes.
std::string_view kindName(Kind kind);
// The object kind: "Pod", "ReplicaSet", ...
std::string_view objectKind(Kind kind);
// Nodes and namespaces have no namespace.
bool namespaced(Kind kind);
// By plural name ("pods"); nullopt for anything else.
std::optional<Kind> parseKindName(std::string_view name);
// By object kind ("Pod", "replicaset") or plural name ("replicasets"), ignoring case; nullopt for
// kinds the index does not hold (an owner may be a Job).
std::optional<Kind> parseAnyKind(std::string_view name);
// The position of `kind` in allKinds(), for tables indexed by kind.
inline size_t kindSlot(Kind kind) { return static_cast<size_t>(kind); }

}  // namespace corral::master
