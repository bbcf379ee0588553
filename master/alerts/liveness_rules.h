#pragma once

// The rules evaluated on the liveness tick: an agent the master marked offline, and a cluster
// whose snapshots stopped arriving.

#include <memory>

#include "master/alerts/alert_rule.h"

namespace corral::master {

inline constexpr const char* kRuleAgentOffline = "agent_offline";
inline constexpr const char* kRuleSnapshotStale = "snapshot_stale";

// The agent's status is offline (silent for longer than agents.offline_after).
std::unique_ptr<LivenessRule> makeAgentOfflineRule(const AlertRuleSettings& settings);
// The cluster's latest snapshot arrived longer than `after` ago.
std::unique_ptr<LivenessRule> makeSnapshotStaleRule(const SnapshotStaleSettings& settings);

}  // namespace corral::master
