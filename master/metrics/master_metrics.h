#pragma once

// The master's metrics, assembled: one registry holding the build information, the observers the
// components report to as things happen (dispatch, snapshot uploads, HTTP requests), and the
// collectors read at each scrape (the fleet from the store, and the alerts firing). main.cpp makes
// one and hands its parts to the components and to the API; see docs/operations.md for every
// metric. Thread-safe.

#include <string>

#include "common/clock.h"
#include "master/metrics/alerts_firing.h"
#include "master/metrics/dispatch_metrics.h"
#include "master/metrics/fleet_collector.h"
#include "master/metrics/http_metrics.h"
#include "master/metrics/registry.h"
#include "master/metrics/snapshot_ingest_metrics.h"

namespace corral::master {

class MasterMetrics {
 public:
  // The store, the WaitSet and the clock are read at scrape time and must outlive this object.
  MasterMetrics(Store& store, const WaitSet& waits, const Clock& clock, const std::string& version);
  MasterMetrics(const MasterMetrics&) = delete;
  MasterMetrics& operator=(const MasterMetrics&) = delete;

  const metrics::Registry& registry() const { return registry_; }
  DispatchObserver& dispatch() { return dispatch_; }
  SnapshotIngestObserver& snapshots() { return snapshots_; }
  HttpObserver& http() { return http_; }
  // Where the alerts component registers its count of firing alerts.
  AlertsFiring& alerts() { return alerts_; }

 private:
  metrics::Registry registry_;  // first: everything below registers in it
  DispatchMetrics dispatch_;
  SnapshotIngestMetrics snapshots_;
  HttpMetrics http_;
  FleetCollector fleet_;
  AlertsFiring alerts_;
};

}  // namespace corral::master
