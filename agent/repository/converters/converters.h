#pragma once

// Kubernetes API objects (one item of a List, as JSON) -> the agent's model. Pure functions, safe
// from any thread.
//
// Each accepts any JSON: a missing or null field, or one of the wrong type, reads as empty, 0 or
// false, so a partial or unexpected object still converts. Only an item that is not a JSON object
// is refused (kInvalidArgument). Nothing throws. ConfigMaps yield their key names and never their
// values; Secrets have no converter because they are never collected.

#include "agent/model/config.h"
#include "agent/model/event.h"
#include "agent/model/networking.h"
#include "agent/model/node.h"
#include "agent/model/pod.h"
#include "agent/model/workloads.h"
#include "common/json.h"
#include "common/status.h"

namespace corral::agent {

Result<model::Pod> podFromJson(const Json& item);
Result<model::Node> nodeFromJson(const Json& item);
Result<model::Deployment> deploymentFromJson(const Json& item);
Result<model::ReplicaSet> replicaSetFromJson(const Json& item);
Result<model::StatefulSet> statefulSetFromJson(const Json& item);
Result<model::DaemonSet> daemonSetFromJson(const Json& item);
Result<model::Service> serviceFromJson(const Json& item);
Result<model::Ingress> ingressFromJson(const Json& item);
Result<model::Event> eventFromJson(const Json& item);
Result<model::ConfigMap> configMapFromJson(const Json& item);
Result<model::Namespace> namespaceFromJson(const Json& item);

}  // namespace corral::agent
