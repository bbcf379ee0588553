#pragma once

// One point-in-time view of a cluster: the collected objects per kind, the counts a dashboard
// leads with, and the kinds that could not be read. The agent sends it as a SnapshotEnvelope of
// kind "k8s". Plain values, safe to copy between threads.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agent/model/config.h"
#include "agent/model/event.h"
#include "agent/model/networking.h"
#include "agent/model/node.h"
#include "agent/model/pod.h"
#include "agent/model/resource_kind.h"
#include "agent/model/workloads.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "proto-json/messages.h"

namespace corral::agent::model {

struct Resources {
  std::vector<Pod> pods;
  std::vector<Node> nodes;
  std::vector<Deployment> deployments;
  std::vector<ReplicaSet> replica_sets;
  std::vector<StatefulSet> stateful_sets;
  std::vector<DaemonSet> daemon_sets;
  std::vector<Service> services;
  std::vector<Event> events;
  std::vector<ConfigMap> config_maps;
  std::vector<Ingress> ingresses;
  std::vector<Namespace> namespaces;
};

// The number of objects of `kind` in `resources`.
int64_t countOf(const Resources& resources, ResourceKind kind);

struct SnapshotSummary {
  int64_t nodes_ready = 0;
  int64_t nodes_not_ready = 0;
  // Running, Pending, Succeeded, Failed, Unknown -> pods; all five keys are always present.
  std::map<std::string, int64_t> pods_by_phase;
  int64_t pods_with_problems = 0;
  std::map<std::string, int64_t> pod_problems;  // problem reason (CrashLoopBackOff, ...) -> pods
  int64_t deployments_healthy = 0;
  int64_t deployments_unhealthy = 0;
  int64_t warning_events = 0;             // Event objects of type Warning
  std::map<std::string, int64_t> totals;  // kind name -> objects, for the kinds collected
};

struct ClusterSnapshot {
  std::string cluster_id;
  int64_t version = 0;  // grows with every snapshot of the cluster
  WallTime fetched_at;
  Resources resources;
  SnapshotSummary summary;
  // The kinds read successfully. Only these appear under `resources`, so that a kind that was not
  // asked for is not mistaken for an empty one.
  std::set<ResourceKind> collected;
  std::map<std::string, std::string> errors;  // kind name -> why it could not be read
};

void to_json(Json& j, const SnapshotSummary& v);

// {"resources": {kind name: [objects]}, "summary": {...}, "errors": {kind name: message}}: the
// three objects of a SnapshotEnvelope.
Json toJson(const ClusterSnapshot& snapshot);
// The envelope of kind "k8s", fetched_at in RFC 3339.
proto::SnapshotEnvelope toEnvelope(const ClusterSnapshot& snapshot);
// The same envelope as gzip-compressed JSON text, the body of the master's snapshot upload. It is
// written into the compressor one object at a time, so neither a JSON tree of the snapshot nor
// its whole text is ever held: a few kilobytes beyond the compressed result. Fails only when
// zlib does.
Result<std::string> gzipEnvelope(const ClusterSnapshot& snapshot);

}  // namespace corral::agent::model
