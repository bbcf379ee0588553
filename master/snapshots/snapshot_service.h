#pragma once

// Cluster snapshots: agents push what they see of their cluster, and the master keeps the latest
// one per cluster for operators and dashboards. A snapshot replaces the stored one only when its
// version is higher, so one that arrives late (a retry, a slow connection) cannot roll the view
// back. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "master/store/store.h"

namespace corral::master {

struct SnapshotOptions {
  size_t max_bytes = size_t(64) << 20;  // the largest envelope, uncompressed
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
  SnapshotService(Store& store, Clock& clock, SnapshotOptions options);

  // Stores the snapshot `body` that the agent sent with `encoding` as its cluster's latest, and
  // counts it as a sign of life of the agent. Refusals: kPayloadTooLarge past max_bytes (a gzip
  // body stops inflating there), kBadRequest for corrupt gzip or JSON, kInvalidArgument naming
  // the field, kPermissionDenied for a cluster the agent does not serve, kConflict for a version
  // not above the stored one, kUnauthenticated when the agent no longer exists.
  Result<SnapshotReceipt> ingest(const std::string& agent_id, std::string_view body,
                                 BodyEncoding encoding);

  // Clusters with a snapshot, ordered by id; Page::after is the last cluster id seen.
  Result<std::vector<ClusterStatus>> listClusters(const Page& page);

  // The cluster's latest envelope as JSON text, exactly as the agent sent it; kNotFound when the
  // cluster has none.
  Result<std::string> latestJson(const std::string& cluster_id);

  const SnapshotOptions& options() const { return options_; }

 private:
  int64_t nowMs() const { return toUnixMillis(clock_.wallNow()); }

  Store& store_;
  Clock& clock_;
  SnapshotOptions options_;
};

}  // namespace corral::master
