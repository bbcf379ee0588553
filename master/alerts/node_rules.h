#pragma once

// The rules about nodes: a node that is not Ready, and a node under memory, disk or PID pressure
// (one alert per node and pressure condition).

#include <memory>

#include "master/alerts/alert_rule.h"

namespace corral::master {

inline constexpr const char* kRuleNodeNotReady = "node_not_ready";
inline constexpr const char* kRuleNodePressure = "node_pressure";

// The node's Ready condition is not True (False, Unknown, or missing).
std::unique_ptr<SnapshotRule> makeNodeNotReadyRule(const AlertRuleSettings& settings);
// MemoryPressure, DiskPressure or PIDPressure is True.
std::unique_ptr<SnapshotRule> makeNodePressureRule(const AlertRuleSettings& settings);

}  // namespace corral::master
