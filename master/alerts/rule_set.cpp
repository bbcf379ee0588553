#include "master/alerts/rule_set.h"

#include "master/alerts/deployment_rules.h"
#include "master/alerts/event_rules.h"
#include "master/alerts/liveness_rules.h"
#include "master/alerts/node_rules.h"
#include "master/alerts/pod_rules.h"

namespace corral::master {

AlertRules makeAlertRules(const AlertsConfig& c) {
  AlertRules rules;
  if (!c.enabled) {
    return rules;
  }
  auto addSnapshot = [&](const AlertRuleSettings& settings, auto make) {
    if (settings.enabled) {
      rules.snapshot.push_back(make());
    }
  };
  addSnapshot(c.pod_crash_loop, [&] { return makePodCrashLoopRule(c.pod_crash_loop); });
  addSnapshot(c.pod_image_pull, [&] { return makePodImagePullRule(c.pod_image_pull); });
  addSnapshot(c.pod_oom_killed, [&] { return makePodOomKilledRule(c.pod_oom_killed); });
  addSnapshot(c.pod_restarts, [&] { return makePodRestartsRule(c.pod_restarts); });
  addSnapshot(c.node_not_ready, [&] { return makeNodeNotReadyRule(c.node_not_ready); });
  addSnapshot(c.node_pressure, [&] { return makeNodePressureRule(c.node_pressure); });
  addSnapshot(c.deployment_unavailable,
              [&] { return makeDeploymentUnavailableRule(c.deployment_unavailable); });
  addSnapshot(c.warning_events, [&] { return makeWarningEventsRule(c.warning_events); });
  if (c.agent_offline.enabled) {
    rules.liveness.push_back(makeAgentOfflineRule(c.agent_offline));
  }
  if (c.snapshot_stale.enabled) {
    rules.liveness.push_back(makeSnapshotStaleRule(c.snapshot_stale));
  }
  return rules;
}

const std::vector<std::string_view>& allAlertRuleNames() {
  static const std::vector<std::string_view> kNames = {
      kRulePodCrashLoop, kRulePodImagePull, kRulePodOomKilled,          kRulePodRestarts,
      kRuleNodeNotReady, kRuleNodePressure, kRuleDeploymentUnavailable, kRuleWarningEvents,
      kRuleAgentOffline, kRuleSnapshotStale};
  return kNames;
}

}  // namespace corral::master
