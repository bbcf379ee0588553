#include "agent/model/cluster_snapshot.h"

#include <cstdlib>

#include "common/time_format.h"

namespace corral::agent::model {

namespace {

int64_t sizeOf(const auto& items) { return static_cast<int64_t>(items.size()); }

Json itemsOf(const Resources& r, ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kPods:
      return r.pods;
    case ResourceKind::kNodes:
      return r.nodes;
    case ResourceKind::kDeployments:
      return r.deployments;
    case ResourceKind::kReplicaSets:
      return r.replica_sets;
    case ResourceKind::kStatefulSets:
      return r.stateful_sets;
    case ResourceKind::kDaemonSets:
      return r.daemon_sets;
    case ResourceKind::kServices:
      return r.services;
    case ResourceKind::kEvents:
      return r.events;
    case ResourceKind::kConfigMaps:
      return r.config_maps;
    case ResourceKind::kIngresses:
      return r.ingresses;
    case ResourceKind::kNamespaces:
      return r.namespaces;
  }
  std::abort();  // every enumerator is handled above
}

}  // namespace

int64_t countOf(const Resources& r, ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kPods:
      return sizeOf(r.pods);
    case ResourceKind::kNodes:
      return sizeOf(r.nodes);
    case ResourceKind::kDeployments:
      return sizeOf(r.deployments);
    case ResourceKind::kReplicaSets:
      return sizeOf(r.replica_sets);
    case ResourceKind::kStatefulSets:
      return sizeOf(r.stateful_sets);
    case ResourceKind::kDaemonSets:
      return sizeOf(r.daemon_sets);
    case ResourceKind::kServices:
      return sizeOf(r.services);
    case ResourceKind::kEvents:
      return sizeOf(r.events);
    case ResourceKind::kConfigMaps:
      return sizeOf(r.config_maps);
    case ResourceKind::kIngresses:
      return sizeOf(r.ingresses);
    case ResourceKind::kNamespaces:
      return sizeOf(r.namespaces);
  }
  std::abort();  // every enumerator is handled above
}

void to_json(Json& j, const SnapshotSummary& v) {
  j = Json{{"nodes", v.nodes_ready + v.nodes_not_ready},
           {"nodes_ready", v.nodes_ready},
           {"nodes_not_ready", v.nodes_not_ready},
           {"pods", v.pods_by_phase},
           {"pods_with_problems", v.pods_with_problems},
           {"pod_problems", v.pod_problems},
           {"deployments_healthy", v.deployments_healthy},
           {"deployments_unhealthy", v.deployments_unhealthy},
           {"warning_events", v.warning_events},
           {"totals", v.totals}};
}

Json toJson(const ClusterSnapshot& snapshot) {
  Json resources = Json::object();
  for (ResourceKind kind : snapshot.collected) {
    resources[resourceKindName(kind)] = itemsOf(snapshot.resources, kind);
  }
  return Json{{"resources", std::move(resources)},
              {"summary", snapshot.summary},
              {"errors", snapshot.errors}};
}

proto::SnapshotEnvelope toEnvelope(const ClusterSnapshot& snapshot) {
  Json parts = toJson(snapshot);
  proto::SnapshotEnvelope envelope;
  envelope.cluster_id = snapshot.cluster_id;
  envelope.version = snapshot.version;
  envelope.kind = "k8s";
  envelope.fetched_at = formatRfc3339(snapshot.fetched_at);
  envelope.summary = std::move(parts["summary"]);
  envelope.resources = std::move(parts["resources"]);
  envelope.errors = std::move(parts["errors"]);
  return envelope;
}

}  // namespace corral::agent::model
