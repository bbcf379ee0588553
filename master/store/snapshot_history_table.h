#pragma once

// The history of each cluster's snapshot summaries (counts over time), reached through
// StoreTx::snapshotHistory() like every other table. One small row per stored snapshot, written
// in the ingest's transaction; rows older than the retention are pruned as new ones come.

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::master {

struct SnapshotHistoryEntry {
  std::string cluster_id;
  int64_t version = 0;
  int64_t fetched_at = 0;         // Unix ms, the agent's clock
  int64_t received_at = 0;        // Unix ms, the master's clock
  Json summary = Json::object();  // the snapshot's summary as the agent sent it
  Json counts = Json::object();   // objects per kind, as the master counted them
};

class SnapshotHistoryTable {
 public:
  virtual ~SnapshotHistoryTable() = default;
  // Adds the entry; one already there for the cluster and version is replaced.
  virtual Status append(const SnapshotHistoryEntry& entry) = 0;
  // Deletes the cluster's entries received before `cutoff` (Unix ms); returns how many.
  virtual Result<int64_t> pruneBefore(const std::string& cluster_id, int64_t cutoff) = 0;
  // The cluster's entries received in [since, until] (Unix ms) with a version above
  // `after_version`, oldest first, at most `limit`.
  virtual Result<std::vector<SnapshotHistoryEntry>> list(const std::string& cluster_id,
                                                         int64_t since, int64_t until,
                                                         int64_t after_version, int limit) = 0;
};

}  // namespace corral::master
