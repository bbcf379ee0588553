#include "tests/master/inventory/sample_snapshots.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "agent/repository/converters/converters.h"
#include "agent/service/snapshot_summary.h"
#include "tests/k8s_emulator/cluster_builder.h"
#include "tests/k8s_emulator/object_store.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing {
namespace {

using agent::model::ClusterSnapshot;
using agent::model::ResourceKind;

// Converts every object of the emulator's `kind` with `convert` into `out`. The emulator keeps
// ordered JSON; the converters read plain JSON, so each object goes through its text.
template <typename T>
void convertAll(const k8s::ObjectStore& store, std::string_view kind,
                Result<T> (*convert)(const Json&), std::vector<T>& out) {
  const k8s::ResourceType* type = k8s::findResourceType(kind);
  if (type == nullptr) {
    throw std::logic_error("the emulator serves no " + std::string(kind));
  }
  for (const k8s::Object& object : store.all(*type)) {
    Result<T> converted = convert(Json::parse(object.dump()));
    if (converted.isOk()) {
      out.push_back(std::move(*converted));
    }
  }
}

ClusterSnapshot build(int pods) {
  k8s::ObjectStore store;
  Status built = k8s::buildCluster(CORRAL_K8S_FIXTURES_DIR, pods, store);
  if (!built.isOk()) {
    throw std::runtime_error("cannot build the emulated cluster: " + built.message());
  }
  ClusterSnapshot s;
  agent::model::Resources& r = s.resources;
  convertAll(store, "pods", &agent::podFromJson, r.pods);
  convertAll(store, "nodes", &agent::nodeFromJson, r.nodes);
  convertAll(store, "deployments", &agent::deploymentFromJson, r.deployments);
  convertAll(store, "replicasets", &agent::replicaSetFromJson, r.replica_sets);
  convertAll(store, "statefulsets", &agent::statefulSetFromJson, r.stateful_sets);
  convertAll(store, "daemonsets", &agent::daemonSetFromJson, r.daemon_sets);
  convertAll(store, "services", &agent::serviceFromJson, r.services);
  convertAll(store, "events", &agent::eventFromJson, r.events);
  convertAll(store, "configmaps", &agent::configMapFromJson, r.config_maps);
  convertAll(store, "ingresses", &agent::ingressFromJson, r.ingresses);
  convertAll(store, "namespaces", &agent::namespaceFromJson, r.namespaces);
  for (ResourceKind kind : agent::model::allResourceKinds()) {
    s.collected.insert(kind);
  }
  return s;
}

}  // namespace

ClusterSnapshot sampleCluster(int pods, const std::string& cluster_id, int64_t version) {
  static std::mutex mutex;
  static std::map<int, ClusterSnapshot> built;
  ClusterSnapshot s;
  {
    std::lock_guard lock(mutex);
    auto it = built.find(pods);
    if (it == built.end()) {
      it = built.emplace(pods, build(pods)).first;
    }
    s = it->second;
  }
  s.cluster_id = cluster_id;
  s.version = version;
  // A fixed instant, so nothing depends on the current date.
  s.fetched_at = fromUnixMillis(1'773'480'600'000);  // 2026-03-14T09:30:00Z
  return s;
}

std::string envelopeJson(ClusterSnapshot snapshot) {
  snapshot.summary = agent::summarize(snapshot);
  return Json(agent::model::toEnvelope(snapshot)).dump();
}

std::string sampleSnapshotJson(int pods, const std::string& cluster_id, int64_t version) {
  return envelopeJson(sampleCluster(pods, cluster_id, version));
}

}  // namespace corral::testing
