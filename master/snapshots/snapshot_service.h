#pragma once

// Cluster snapshots: agents push what they see of their cluster, and the master keeps the latest
// one per cluster for operators and dashboards. A snapshot replaces the stored one only when its
// version is higher, so one that arrives late (a retry, a slow connection) cannot roll the view
// back. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "master/model/agent_observer.h"
#include "master/snapshots/ingest_observer.h"
#include "master/snapshots/snapshot_observer.h"
#include "master/store/store.h"

namespace corral::master {

class ClusterInventory;

struct SnapshotOptions {
  size_t max_bytes = size_t(64) << 20;  // the largest envelope, uncompressed
  // How long the summary of each snapshot is kept for the cluster's history.
  std::chrono::milliseconds history_retention{std::chrono::hours(24 * 7)};
};

// Which history entries to read: received in [since, until] (Unix ms), with a version above
// `after_version`, oldest first, at most `limit`.
struct HistoryRange {
  int64_t since = 0;
  int64_t until = 0;
  int64_t after_version = 0;
  int limit = 1000;
};

enum class BodyEncoding { kIdentity, kGzip };

struct SnapshotReceipt {
  std::string cluster_id;
  int64_t version = 0;
  bool created = false;  // the cluster's first snapshot
};

struct ClusterStatus {
  ClusterSnapshot snapshot;  // without its body
  int64_t staleness_s = 0;   // seconds since the master received it
};

class SnapshotService {
 public:
  // `observer`, when not null, hears of every upload stored or refused; `stored` of every
  // snapshot that became its cluster's latest, and `agents` of an agent an upload brought back
  // from offline. Each must outlive the service.
  // `inventory`, when not null, receives the index of every stored snapshot (built while the
  // upload is checked) and, through loadInventory(), those of the stored ones.
  SnapshotService(Store& store, Clock& clock, SnapshotOptions options,
                  SnapshotIngestObserver* observer = nullptr, SnapshotObserver* stored = nullptr,
                  AgentObserver* agents = nullptr, ClusterInventory* inventory = nullptr);

  // Stores the snapshot `body` that the agent sent with `encoding` as its cluster's latest, and
  // counts it as a sign of life of the agent. Refusals: kPayloadTooLarge past max_bytes (a gzip
  // body stops inflating there), kBadRequest for corrupt gzip or JSON, kInvalidArgument naming
  // the field, kPermissionDenied for a cluster the agent does not serve, kConflict for a version
  // not above the stored one, kUnauthenticated when the agent no longer exists.
  Result<SnapshotReceipt> ingest(const std::string& agent_id, std::string_view body,
                                 BodyEncoding encoding);

  // Clusters with a snapshot, ordered by id; Page::after is the last cluster id seen.
  Result<std::vector<ClusterStatus>> listClusters(const Page& page);

  // The cluster's record; kNotFound when it has no snapshot.
  Result<ClusterStatus> getCluster(const std::string& cluster_id);

  // The cluster's history of summaries, one entry per stored snapshot still within
  // history_retention (entries are pruned as new snapshots of the cluster arrive).
  Result<std::vector<SnapshotHistoryEntry>> history(const std::string& cluster_id,
                                                    const HistoryRange& range);

  // Indexes every stored snapshot into the inventory, one cluster at a time, so a restarted
  // master answers queries at once; call it before serving. A snapshot that cannot be read is
  // logged and skipped. Returns how many clusters were loaded.
  Result<int> loadInventory();

  // The cluster's latest envelope as JSON text, exactly as the agent sent it; kNotFound when the
  // cluster has none.
  Result<std::string> latestJson(const std::string& cluster_id);

  const SnapshotOptions& options() const { return options_; }

 private:
  int64_t nowMs() const { return toUnixMillis(clock_.wallNow()); }
  // The checks and the write of ingest(), without telling the observer.
  Result<SnapshotReceipt> storeUpload(const std::string& agent_id, std::string_view body,
                                      BodyEncoding encoding, SnapshotIngest& report);

  Store& store_;
  Clock& clock_;
  SnapshotOptions options_;
  SnapshotIngestObserver* observer_;  // may be null
  SnapshotObserver* stored_;          // may be null
  AgentObserver* agents_;             // may be null
  ClusterInventory* inventory_;       // may be null
};

}  // namespace corral::master
