#pragma once

// A rule turns an observation into findings: the conditions that hold now, one per object. The
// engine (alert_engine.h) turns findings into alerts: it keys them by fingerprint, waits out the
// rule's `for`, opens, updates and resolves. A rule may keep state between evaluations (restart
// counts, event counts, per cluster) to decide over a window; it is called by one thread at a time.
//
// Snapshot rules run on every snapshot of a cluster and speak for that cluster only: an alert of
// theirs that the next snapshot of its cluster does not find again is resolved. Liveness rules
// run on every liveness tick over the whole fleet.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "master/alerts/observation.h"
#include "master/config/alerts_config.h"
#include "master/model/model.h"

namespace corral::master {

struct Finding {
  // Names the object within its cluster, stable across snapshots ("Pod/shop/api-0"); with the
  // rule and the cluster it makes the fingerprint.
  std::string identity;
  std::string cluster_id;  // liveness rules set it; the engine sets it for snapshot rules
  std::string summary;
  std::string description;
  Labels labels;  // namespace, kind, name, node, ... (the engine adds cluster, agent and pool)
};

class SnapshotRule {
 public:
  virtual ~SnapshotRule() = default;
  virtual std::string_view name() const = 0;
  virtual const AlertRuleSettings& settings() const = 0;
  // The snapshot kinds the rule reads ("pods", ...). When the agent could not read one of them,
  // the rule is skipped for that snapshot and its alerts stay as they are.
  virtual std::vector<std::string_view> kinds() const = 0;
  // Appends the conditions that hold in `cluster` to `out`. `now` is the master's time of the
  // evaluation (Unix ms). Returns false when the rule has nothing yet to judge against (a rule
  // over a window, at the first snapshot of a cluster it sees): its alerts and pending conditions
  // for the cluster then stay as they are, rather than resolve for want of history.
  virtual bool evaluate(const ClusterObservation& cluster, int64_t now,
                        std::vector<Finding>& out) = 0;
};

class LivenessRule {
 public:
  virtual ~LivenessRule() = default;
  virtual std::string_view name() const = 0;
  virtual const AlertRuleSettings& settings() const = 0;
  // Appends the conditions that hold across the fleet to `out`; each sets its cluster_id.
  virtual void evaluate(const FleetObservation& fleet, int64_t now, std::vector<Finding>& out) = 0;
};

}  // namespace corral::master
