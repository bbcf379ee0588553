#pragma once

// Snapshot uploads as metrics: how long each took to check and store, by result, and the bytes
// stored, as JSON and as gzip. Lock-free per upload; thread-safe.

#include "master/metrics/registry.h"
#include "master/snapshots/ingest_observer.h"

namespace corral::master {

class SnapshotIngestMetrics final : public SnapshotIngestObserver {
 public:
  // Registers its families in `registry`, which must outlive this object.
  explicit SnapshotIngestMetrics(metrics::Registry& registry);

  void snapshotIngested(const SnapshotIngest& ingest) override;

 private:
  SnapshotIngestMetrics(metrics::Registry& registry, metrics::HistogramFamily& duration);

  metrics::Histogram& stored_duration_;
  metrics::Histogram& refused_duration_;
  metrics::Counter& json_bytes_;
  metrics::Counter& gzip_bytes_;
};

}  // namespace corral::master
