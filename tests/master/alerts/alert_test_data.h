#pragma once

// Snapshot data for the alert tests, shaped as a real agent sends it: the recorded Kubernetes
// fixtures through the agent's own converters (tests/master/inventory/sample_snapshots.h), edited
// through the agent's model types, then read the way the master reads an upload: the envelope's
// JSON, the inventory's parser and the alerts' inventory adapter.

#include <cstdint>
#include <memory>
#include <string>

#include "agent/model/cluster_snapshot.h"
#include "common/time_format.h"
#include "master/alerts/observation.h"

namespace corral::master {
class ClusterIndex;
}  // namespace corral::master

namespace corral::testing {

// The recorded cluster (its pods include a crash loop, a failed image pull and an OOM kill).
agent::model::ClusterSnapshot recordedCluster(const std::string& cluster_id = "prod");

// A cluster with no objects of any kind, every kind collected.
agent::model::ClusterSnapshot emptyCluster(const std::string& cluster_id = "prod");

// The pod of the recorded cluster named `name`; fails the test when there is none.
agent::model::Pod recordedPod(const std::string& name);
// The first recorded node, and the first recorded deployment.
agent::model::Node recordedNode();
agent::model::Deployment recordedDeployment();

// `snapshot` as the inventory indexes it after an upload, taken at `fetched_at_ms` by the agent
// and received by the master at `received_at_ms` from agent `agent_id`.
std::shared_ptr<const master::ClusterIndex> indexOf(const agent::model::ClusterSnapshot& snapshot,
                                                    int64_t fetched_at_ms = 1'767'225'600'000,
                                                    const std::string& agent_id = "agt_1",
                                                    int64_t received_at_ms = 1'767'225'600'000);

// `snapshot` as the alert rules see it after an upload, taken at `fetched_at_ms` by the agent
// and received by the master at `received_at_ms` from agent `agent_id`.
master::ClusterObservation observe(const agent::model::ClusterSnapshot& snapshot,
                                   int64_t fetched_at_ms = 1'767'225'600'000,
                                   const std::string& agent_id = "agt_1",
                                   int64_t received_at_ms = 1'767'225'600'000);

// A Warning event about `pod` with `count` occurrences, first and last at the given times.
agent::model::Event warningEvent(const std::string& uid, const agent::model::Pod& pod,
                                 const std::string& reason, int64_t count, int64_t first_ms,
                                 int64_t last_ms);

}  // namespace corral::testing
