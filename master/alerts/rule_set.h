#pragma once

// The rules the master runs, made from its configuration: every enabled rule with its severity
// and thresholds, none when alerts are off.

#include <memory>
#include <string_view>
#include <vector>

#include "master/alerts/alert_rule.h"
#include "master/config/alerts_config.h"

namespace corral::master {

struct AlertRules {
  std::vector<std::unique_ptr<SnapshotRule>> snapshot;
  std::vector<std::unique_ptr<LivenessRule>> liveness;
};

AlertRules makeAlertRules(const AlertsConfig& config);

// Every rule's name, enabled or not, in the order docs/configuration.md lists them.
const std::vector<std::string_view>& allAlertRuleNames();

}  // namespace corral::master
