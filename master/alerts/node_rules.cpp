#include "master/alerts/node_rules.h"

#include <utility>

namespace corral::master {
namespace {

Labels nodeLabels(const NodeFacts& node) {
  return {{"kind", "Node"}, {"name", node.name}, {"node", node.name}};
}

const NodeConditionFacts* condition(const NodeFacts& node, const std::string& type) {
  for (const auto& c : node.conditions) {
    if (c.type == type) {
      return &c;
    }
  }
  return nullptr;
}

// "reason: message", or what is known of it.
std::string conditionText(const NodeConditionFacts& c) {
  std::string out = c.reason;
  if (!c.message.empty()) {
    out += (out.empty() ? "" : ": ") + c.message;
  }
  return out;
}

class NodeNotReadyRule final : public SnapshotRule {
 public:
  explicit NodeNotReadyRule(AlertRuleSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleNodeNotReady; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"nodes"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t, std::vector<Finding>& out) override {
    for (const NodeFacts& node : cluster.nodes) {
      if (node.ready) {
        continue;
      }
      Finding f;
      f.identity = "Node/" + node.name;
      f.summary = "Node " + node.name + " is not Ready";
      const NodeConditionFacts* ready = condition(node, "Ready");
      if (ready == nullptr) {
        f.description = "The node reports no Ready condition.";
      } else {
        f.description = "Its Ready condition is " + ready->status;
        std::string why = conditionText(*ready);
        f.description += why.empty() ? "." : " (" + why + ").";
      }
      if (node.unschedulable) {
        f.description += " It is cordoned.";
      }
      f.labels = nodeLabels(node);
      out.push_back(std::move(f));
    }
    return true;
  }

 private:
  AlertRuleSettings settings_;
};

class NodePressureRule final : public SnapshotRule {
 public:
  explicit NodePressureRule(AlertRuleSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleNodePressure; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"nodes"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t, std::vector<Finding>& out) override {
    for (const NodeFacts& node : cluster.nodes) {
      const std::pair<bool, const char*> pressures[] = {{node.memory_pressure, "MemoryPressure"},
                                                        {node.disk_pressure, "DiskPressure"},
                                                        {node.pid_pressure, "PIDPressure"}};
      for (const auto& [on, type] : pressures) {
        if (!on) {
          continue;
        }
        Finding f;
        f.identity = "Node/" + node.name + "/" + type;
        f.summary = "Node " + node.name + " is under " + type;
        f.description = std::string("Its ") + type + " condition is True";
        const NodeConditionFacts* c = condition(node, type);
        std::string why = c == nullptr ? std::string() : conditionText(*c);
        f.description += why.empty() ? "." : " (" + why + ").";
        f.labels = nodeLabels(node);
        f.labels["condition"] = type;
        out.push_back(std::move(f));
      }
    }
    return true;
  }

 private:
  AlertRuleSettings settings_;
};

}  // namespace

std::unique_ptr<SnapshotRule> makeNodeNotReadyRule(const AlertRuleSettings& settings) {
  return std::make_unique<NodeNotReadyRule>(settings);
}

std::unique_ptr<SnapshotRule> makeNodePressureRule(const AlertRuleSettings& settings) {
  return std::make_unique<NodePressureRule>(settings);
}

}  // namespace corral::master
