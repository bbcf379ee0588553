#include "master/alerts/liveness_rules.h"

#include <utility>

#include "common/time_format.h"
#include "master/alerts/rule_text.h"

namespace corral::master {
namespace {

std::string timeText(int64_t unix_ms) {
  return unix_ms == 0 ? std::string("never") : formatRfc3339(fromUnixMillis(unix_ms));
}

// agent, agent_id and pool, as far as they are known.
void addAgentLabels(const AgentFacts& agent, Labels& labels) {
  if (!agent.id.empty()) {
    labels["agent_id"] = agent.id;
  }
  if (!agent.name.empty()) {
    labels["agent"] = agent.name;
  }
  if (!agent.pool.empty()) {
    labels["pool"] = agent.pool;
  }
}

class AgentOfflineRule final : public LivenessRule {
 public:
  explicit AgentOfflineRule(AlertRuleSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleAgentOffline; }
  const AlertRuleSettings& settings() const override { return settings_; }

  void evaluate(const FleetObservation& fleet, int64_t, std::vector<Finding>& out) override {
    for (const AgentFacts& agent : fleet.offline_agents) {
      Finding f;
      f.identity = "Agent/" + agent.id;
      f.cluster_id = agent.cluster_id;
      f.summary = "Agent " + agent.name + (agent.pool.empty() ? "" : " of pool " + agent.pool) +
                  " is offline";
      f.description = "No heartbeat, poll or snapshot since " + timeText(agent.last_heartbeat) +
                      "; its leased commands were handed back or failed.";
      f.labels = {{"kind", "Agent"}, {"name", agent.name}};
      addAgentLabels(agent, f.labels);
      out.push_back(std::move(f));
    }
  }

 private:
  AlertRuleSettings settings_;
};

class SnapshotStaleRule final : public LivenessRule {
 public:
  explicit SnapshotStaleRule(SnapshotStaleSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleSnapshotStale; }
  const AlertRuleSettings& settings() const override { return settings_; }

  void evaluate(const FleetObservation& fleet, int64_t now, std::vector<Finding>& out) override {
    for (const ClusterLiveness& cluster : fleet.clusters) {
      if (now - cluster.received_at <= settings_.after.count()) {
        continue;
      }
      Finding f;
      f.identity = "Cluster/" + cluster.cluster_id;
      f.cluster_id = cluster.cluster_id;
      // Worded without the growing age, so the alert does not change at every tick.
      f.summary = "No snapshot from cluster " + cluster.cluster_id + " for more than " +
                  durationText(settings_.after.count());
      f.description = "The latest snapshot arrived at " + timeText(cluster.received_at) +
                      (cluster.agent.name.empty() ? "" : " from agent " + cluster.agent.name) + ".";
      addAgentLabels(cluster.agent, f.labels);
      out.push_back(std::move(f));
    }
  }

 private:
  SnapshotStaleSettings settings_;
};

}  // namespace

std::unique_ptr<LivenessRule> makeAgentOfflineRule(const AlertRuleSettings& settings) {
  return std::make_unique<AgentOfflineRule>(settings);
}

std::unique_ptr<LivenessRule> makeSnapshotStaleRule(const SnapshotStaleSettings& settings) {
  return std::make_unique<SnapshotStaleRule>(settings);
}

}  // namespace corral::master
