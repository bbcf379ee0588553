#include "tests/master/alerts/alert_test_data.h"

#include <catch2/catch.hpp>

#include "common/time_format.h"
#include "master/alerts/inventory_observation.h"
#include "master/inventory/cluster_index.h"
#include "master/inventory/snapshot_parser.h"
#include "tests/master/inventory/sample_snapshots.h"

namespace corral::testing {

using agent::model::ClusterSnapshot;

ClusterSnapshot recordedCluster(const std::string& cluster_id) {
  return sampleCluster(0, cluster_id);
}

ClusterSnapshot emptyCluster(const std::string& cluster_id) {
  ClusterSnapshot s = sampleCluster(0, cluster_id);
  s.resources = agent::model::Resources();
  return s;
}

agent::model::Pod recordedPod(const std::string& name) {
  for (const auto& pod : sampleCluster(0).resources.pods) {
    if (pod.meta.name == name) {
      return pod;
    }
  }
  FAIL("the recorded cluster has no pod " << name);
  return {};
}

agent::model::Node recordedNode() {
  const auto& nodes = sampleCluster(0).resources.nodes;
  REQUIRE_FALSE(nodes.empty());
  return nodes.front();
}

agent::model::Deployment recordedDeployment() {
  const auto& deployments = sampleCluster(0).resources.deployments;
  REQUIRE_FALSE(deployments.empty());
  return deployments.front();
}

std::shared_ptr<const master::ClusterIndex> indexOf(const ClusterSnapshot& snapshot,
                                                    int64_t fetched_at_ms,
                                                    const std::string& agent_id,
                                                    int64_t received_at_ms) {
  ClusterSnapshot s = snapshot;
  s.fetched_at = fromUnixMillis(fetched_at_ms);
  auto parsed = master::parseSnapshot(envelopeJson(s));
  REQUIRE(parsed.isOk());
  master::SnapshotInfo info;
  info.cluster_id = s.cluster_id;
  info.agent_id = agent_id;
  info.version = s.version;
  info.kind = "k8s";
  info.fetched_at = fetched_at_ms;
  info.received_at = received_at_ms;
  info.errors = parsed->head.value("errors", Json::object());
  parsed->index->setInfo(info);
  return parsed->index;
}

master::ClusterObservation observe(const ClusterSnapshot& snapshot, int64_t fetched_at_ms,
                                   const std::string& agent_id, int64_t received_at_ms) {
  return master::observationFromIndex(*indexOf(snapshot, fetched_at_ms, agent_id, received_at_ms));
}

agent::model::Event warningEvent(const std::string& uid, const agent::model::Pod& pod,
                                 const std::string& reason, int64_t count, int64_t first_ms,
                                 int64_t last_ms) {
  agent::model::Event e;
  e.meta.uid = uid;
  e.meta.name = pod.meta.name + "." + uid;
  e.meta.ns = pod.meta.ns;
  e.meta.kind = "Event";
  e.type = "Warning";
  e.reason = reason;
  e.message = reason + " for " + pod.meta.name;
  e.count = count;
  e.involved = {"Pod", pod.meta.name, pod.meta.ns, pod.meta.uid};
  e.first_timestamp = formatRfc3339(fromUnixMillis(first_ms));
  e.last_timestamp = formatRfc3339(fromUnixMillis(last_ms));
  return e;
}

}  // namespace corral::testing
