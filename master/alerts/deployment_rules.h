#pragma once

// The rule about deployments: replicas that stay unavailable. How long they must stay so is the
// rule's `for` (10 minutes by default), which the engine keeps track of from the first snapshot
// that saw them unavailable.

#include <memory>

#include "master/alerts/alert_rule.h"

namespace corral::master {

inline constexpr const char* kRuleDeploymentUnavailable = "deployment_unavailable";

// Fewer replicas are available than the deployment wants.
std::unique_ptr<SnapshotRule> makeDeploymentUnavailableRule(const AlertRuleSettings& settings);

}  // namespace corral::master
