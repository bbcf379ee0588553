#pragma once

// Clusters and pools at a glance, for the overview and the cluster record: what was stored, who
// sent it, how many objects the index holds, and one health word with the reasons behind it.
// Internal to the api folder.

#include <cstdint>
#include <vector>

#include "common/json.h"
#include "master/inventory/cluster_index.h"
#include "master/model/model.h"
#include "master/snapshots/snapshot_service.h"

namespace corral::master {

// The cluster's record (views.h) plus "agent" (the agent that sent the latest snapshot: id, name,
// pool_id, status, last_heartbeat; null when it was deleted), "counts" (objects per kind in the
// index; null when the snapshot is not indexed), "index_bytes" (the memory its index holds),
// "stale" (no snapshot for longer than
// `stale_after_s`), "health" (ok | degraded | stale | offline) and "problems" (why not ok).
Json clusterView(const ClusterStatus& cluster, const Agent* agent, const ClusterIndex* index,
                 int64_t stale_after_s);

// A pool with its agents counted by status and its slots: "agents" {total, online, busy,
// draining, error, offline}, "slots" {total, used, free} over the agents that are not offline,
// and "health" (ok | degraded | down | empty).
Json poolView(const Pool& pool, const std::vector<const Agent*>& agents);

}  // namespace corral::master
