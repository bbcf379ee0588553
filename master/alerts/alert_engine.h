#pragma once

// Turns the rules' findings into alert state changes. For each finding it computes the
// fingerprint (rule + cluster + object identity); a condition already firing is updated (last
// seen, count), a new one waits out its rule's `for` and then fires, and a firing alert whose
// condition the evaluation no longer finds is resolved. A resolved condition that comes back
// fires as a new alert (a new id, the same fingerprint): each episode keeps its own times and
// acknowledgement.
//
// The engine keeps the firing alerts and the pending conditions in memory and decides at the
// `now` it is given; it does not persist anything. AlertService writes the changes it returns and
// reloads it from the store when a write fails. Not thread-safe: one caller at a time.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "master/alerts/observation.h"
#include "master/alerts/rule_set.h"
#include "master/model/alert_record.h"

namespace corral::master {

struct AlertChange {
  enum class Kind {
    kFired,         // a new alert
    kUpdated,       // still firing; seen again, or its wording or severity changed
    kResolved,      // the condition is gone
    kAcknowledged,  // an operator acknowledged it (AlertService only)
  };
  Kind kind = Kind::kFired;
  AlertRecord alert;  // as it is after the change
};

// "fired", "updated", "resolved", "acknowledged".
const char* changeKindName(AlertChange::Kind kind);

struct FiringCount {
  std::string rule;
  std::string severity;
  int64_t count = 0;
};

// 16 hex characters of SHA-256 over the rule, the cluster and the object's identity.
std::string alertFingerprint(std::string_view rule, const std::string& cluster_id,
                             const std::string& identity);

class AlertEngine {
 public:
  // A firing alert seen again is reported as updated when its wording, labels or severity
  // changed, or when it was last reported this long ago: the store's last_seen and count lag by at
  // most this much, and a liveness tick every second does not write every second.
  static constexpr int64_t kRefreshMs = 15'000;

  explicit AlertEngine(AlertRules rules);

  // Replaces the firing alerts the engine knows with `firing` (read from the store) and forgets
  // the pending conditions. Returns the resolution of every alert whose rule no longer runs.
  std::vector<AlertChange> load(std::vector<AlertRecord> firing, int64_t now);

  // Runs the snapshot rules on one cluster's snapshot. `source` labels its alerts with the agent
  // that sent it (agent, agent_id, pool).
  std::vector<AlertChange> evaluateSnapshot(const ClusterObservation& cluster, const Labels& source,
                                            int64_t now);
  // Runs the liveness rules over the fleet.
  std::vector<AlertChange> evaluateLiveness(const FleetObservation& fleet, int64_t now);

  // Keeps the engine's copy of a firing alert in step with an acknowledgement stored meanwhile.
  void acknowledged(const AlertRecord& alert);

  // Firing alerts by rule and severity, with a zero for every rule that runs.
  std::vector<FiringCount> firingCounts() const;
  size_t firingSize() const { return firing_.size(); }
  // The rules never change after construction, so these may be asked from any thread.
  bool hasSnapshotRules() const { return !rules_.snapshot.empty(); }
  bool hasLivenessRules() const { return !rules_.liveness.empty(); }

 private:
  struct Firing {
    AlertRecord alert;
    int64_t reported_at = 0;  // when a change about it was last returned
  };
  struct Pending {
    std::string rule;
    std::string cluster_id;
    int64_t since = 0;  // the first evaluation that saw the condition
    int64_t count = 0;  // evaluations that saw it
  };

  // Applies one rule's findings within the rule's scope: one cluster (`cluster` non-null) or the
  // whole fleet.
  void apply(std::string_view rule, const AlertRuleSettings& settings,
             std::vector<Finding>& findings, const std::string* cluster, const Labels& source,
             int64_t now, std::vector<AlertChange>& out);

  AlertRules rules_;
  std::map<std::string, Firing> firing_;    // by fingerprint
  std::map<std::string, Pending> pending_;  // by fingerprint: seen, not yet held for `for`
};

}  // namespace corral::master
