#include "agent/model/cluster_snapshot.h"

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/gzip.h"
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

// Collects JSON text in a small buffer and hands it to the compressor whenever it fills.
class GzipText {
 public:
  void append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushAt) {
      gzip_.write(buffer_);
      buffer_.clear();
    }
  }
  void appendJson(const Json& value) { append(std::string_view(value.dump())); }
  Result<std::string> finish() {
    gzip_.write(buffer_);
    buffer_.clear();
    return gzip_.finish();
  }

 private:
  static constexpr size_t kFlushAt = size_t{64} * 1024;
  GzipWriter gzip_;
  std::string buffer_;
};

// `[item, ...]`, each item made into JSON on its own and dropped once written.
template <typename T>
void appendItems(GzipText& out, const std::vector<T>& items) {
  out.append("[");
  bool first = true;
  for (const T& item : items) {
    if (!first) {
      out.append(",");
    }
    first = false;
    out.appendJson(Json(item));
  }
  out.append("]");
}

void appendItemsOf(GzipText& out, const Resources& r, ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kPods:
      return appendItems(out, r.pods);
    case ResourceKind::kNodes:
      return appendItems(out, r.nodes);
    case ResourceKind::kDeployments:
      return appendItems(out, r.deployments);
    case ResourceKind::kReplicaSets:
      return appendItems(out, r.replica_sets);
    case ResourceKind::kStatefulSets:
      return appendItems(out, r.stateful_sets);
    case ResourceKind::kDaemonSets:
      return appendItems(out, r.daemon_sets);
    case ResourceKind::kServices:
      return appendItems(out, r.services);
    case ResourceKind::kEvents:
      return appendItems(out, r.events);
    case ResourceKind::kConfigMaps:
      return appendItems(out, r.config_maps);
    case ResourceKind::kIngresses:
      return appendItems(out, r.ingresses);
    case ResourceKind::kNamespaces:
      return appendItems(out, r.namespaces);
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

Result<std::string> gzipEnvelope(const ClusterSnapshot& snapshot) {
  // The members of Json(toEnvelope(snapshot)), in the same order.
  GzipText out;
  out.append("{\"cluster_id\":");
  out.appendJson(Json(snapshot.cluster_id));
  out.append(",\"errors\":");
  out.appendJson(Json(snapshot.errors));
  out.append(",\"fetched_at\":");
  out.appendJson(Json(formatRfc3339(snapshot.fetched_at)));
  out.append(R"(,"kind":"k8s","resources":{)");
  // In name order, as a JSON object keeps them.
  std::map<std::string, ResourceKind> kinds;
  for (ResourceKind kind : snapshot.collected) {
    kinds.emplace(resourceKindName(kind), kind);
  }
  bool first = true;
  for (const auto& [name, kind] : kinds) {
    if (!first) {
      out.append(",");
    }
    first = false;
    out.appendJson(Json(name));
    out.append(":");
    appendItemsOf(out, snapshot.resources, kind);
  }
  out.append("},\"summary\":");
  out.appendJson(Json(snapshot.summary));
  out.append(",\"version\":");
  out.appendJson(Json(snapshot.version));
  out.append("}");
  return out.finish();
}

}  // namespace corral::agent::model
