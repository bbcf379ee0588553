#include "master/metrics/snapshot_ingest_metrics.h"

namespace corral::master {
namespace {

metrics::HistogramFamily& durationFamily(metrics::Registry& registry) {
  return registry.histogram(
      "corral_snapshot_ingest_duration_seconds",
      "Time the master took to inflate, check, compress and store a snapshot upload, by result "
      "(stored or refused).",
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, {"result"});
}

}  // namespace

SnapshotIngestMetrics::SnapshotIngestMetrics(metrics::Registry& registry)
    : SnapshotIngestMetrics(registry, durationFamily(registry)) {}

SnapshotIngestMetrics::SnapshotIngestMetrics(metrics::Registry& registry,
                                             metrics::HistogramFamily& duration)
    : stored_duration_(duration.labels({"stored"})),
      refused_duration_(duration.labels({"refused"})),
      json_bytes_(registry
                      .counter("corral_snapshot_ingest_uncompressed_bytes_total",
                               "Bytes of snapshot JSON stored, as inflated.")
                      .labels({})),
      gzip_bytes_(registry
                      .counter("corral_snapshot_ingest_compressed_bytes_total",
                               "Bytes of snapshots stored, gzip-compressed as kept in the store.")
                      .labels({})) {}

void SnapshotIngestMetrics::snapshotIngested(const SnapshotIngest& ingest) {
  double seconds = std::chrono::duration<double>(ingest.duration).count();
  if (!ingest.stored) {
    refused_duration_.observe(seconds);
    return;
  }
  stored_duration_.observe(seconds);
  json_bytes_.inc(static_cast<double>(ingest.json_bytes));
  gzip_bytes_.inc(static_cast<double>(ingest.stored_bytes));
}

}  // namespace corral::master
