#pragma once

// Snapshots built from real data for the master's tests and benchmarks: the Kubernetes API
// emulator's cluster (the recorded fixtures, optionally multiplied to thousands of pods), each
// object converted by the agent's own converters and summarized by its own snapshot code, so the
// envelope is exactly what a corral-agent would send for that cluster. Thread-safe.

#include <cstdint>
#include <string>

#include "agent/model/cluster_snapshot.h"

namespace corral::testing {

// The emulator's cluster with `pods` copies of the recorded pods (0: the recorded pods as they
// are), as the agent's model. Built once per size and process, then copied.
agent::model::ClusterSnapshot sampleCluster(int pods, const std::string& cluster_id = "sample",
                                            int64_t version = 1);

// The envelope of `snapshot` as JSON text, as the agent sends it (before gzip). The summary is
// recomputed from the objects, so a test may edit them first.
std::string envelopeJson(agent::model::ClusterSnapshot snapshot);

// sampleCluster() as envelope text.
std::string sampleSnapshotJson(int pods, const std::string& cluster_id = "sample",
                               int64_t version = 1);

}  // namespace corral::testing
