#pragma once

// The alerts component's front: evaluates snapshots and liveness ticks through the AlertEngine,
// writes each evaluation's changes in one transaction, then tells the notifiers (webhook, event
// stream) and keeps the firing counts for metrics. It also answers the API: list, get and
// acknowledge (audited, in the same transaction). Thread-safe: evaluations are serialised by one
// mutex; reads go straight to the store.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "master/alerts/alert_engine.h"
#include "master/alerts/alert_notifier.h"
#include "master/alerts/observation.h"
#include "master/auth/principal.h"
#include "master/store/store.h"

namespace corral::master {

struct AlertServiceOptions {
  // Resolved alerts are deleted this long after they resolved (checked once an hour, on the
  // liveness tick).
  std::chrono::milliseconds retention = std::chrono::hours(720);
};

class AlertService {
 public:
  // The store, the clock and the notifiers must outlive the service.
  AlertService(Store& store, Clock& clock, AlertRules rules, AlertServiceOptions options = {},
               std::vector<AlertNotifier*> notifiers = {});
  AlertService(const AlertService&) = delete;
  AlertService& operator=(const AlertService&) = delete;

  // Loads the firing alerts from the store, and resolves those of rules that no longer run
  // (disabled since they fired). Call once before the first evaluation; an evaluation that finds
  // the service not loaded (a failed start, a failed write) loads it first.
  Status start();

  // Whether any snapshot rule, or any liveness rule, runs: the callers skip building observations
  // for nothing.
  bool hasSnapshotRules() const;
  bool hasLivenessRules() const;

  // Evaluates one cluster's snapshot at the clock's time and returns the changes stored. When
  // the write fails, nothing is notified, the error is returned, and the next evaluation starts
  // from what the store holds.
  Result<std::vector<AlertChange>> evaluateSnapshot(const ClusterObservation& cluster);
  // Reads the fleet's liveness from the store (offline agents, each cluster's latest snapshot
  // time), evaluates it, and prunes old resolved alerts when due. Called on the monitor's tick.
  Result<std::vector<AlertChange>> evaluateLiveness();

  // kNotFound naming the id.
  Result<AlertRecord> get(const std::string& id);
  // Newest first; Page::after is the last seq seen.
  Result<std::vector<AlertRecord>> list(const AlertFilter& filter, const Page& page);
  // Records who acknowledged the alert and when, with an audit entry, in one transaction. An
  // alert already acknowledged keeps its first acknowledgement and is returned unchanged. Either
  // state may be acknowledged; an acknowledged alert still resolves. kNotFound naming the id.
  Result<AlertRecord> acknowledge(const std::string& id, const Actor& actor,
                                  const std::string& comment);

  // Firing alerts by rule and severity, zeros included for the rules that run. Cheap: read from
  // a copy kept after each evaluation, so a scrape never waits for one.
  std::vector<FiringCount> firingCounts() const;

 private:
  int64_t nowMs() const { return toUnixMillis(clock_.wallNow()); }
  // Both with mutex_ held.
  Status loadLocked(int64_t now);
  Result<std::vector<AlertChange>> commitLocked(std::vector<AlertChange> changes);
  // The agent (name, pool) that sent a snapshot, for its alerts' labels.
  Labels sourceLabels(const std::string& agent_id);
  Result<FleetObservation> readFleet();
  void pruneIfDue(int64_t now);
  void notify(const std::vector<AlertChange>& changes);

  Store& store_;
  Clock& clock_;
  AlertServiceOptions options_;
  std::vector<AlertNotifier*> notifiers_;

  std::mutex mutex_;       // serialises evaluations and guards what follows
  AlertEngine engine_;     // guarded by mutex_
  bool loaded_ = false;    // guarded by mutex_; false until the engine matches the store
  int64_t pruned_at_ = 0;  // guarded by mutex_

  mutable std::mutex counts_mutex_;
  std::vector<FiringCount> counts_;  // guarded by counts_mutex_
};

}  // namespace corral::master
