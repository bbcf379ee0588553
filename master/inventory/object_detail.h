#pragma once

// One object with what it relates to, answered from a ClusterIndex by splicing the kept texts:
// a pod with its node, its owner chain (ReplicaSet -> Deployment, or StatefulSet, DaemonSet,
// Job...), the services that select it and its events; a node with its pods and events; a
// workload with its replica sets, pods, services and events; a service with the pods it selects
// and the ingresses that route to it. docs/api.md lists every shape. Pure; safe from any thread.

#include <string>
#include <string_view>

#include "common/status.h"
#include "master/inventory/cluster_index.h"

namespace corral::master {

// The object of `kind` named `name` in `ns` ("" for nodes and namespaces), as
// {"cluster_id", "version", "kind", "object", ...related}. kNotFound naming it when absent.
Result<std::string> describeObject(const ClusterIndex& index, Kind kind, std::string_view ns,
                                   std::string_view name);

}  // namespace corral::master
