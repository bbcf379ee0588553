#include "master/alerts/deployment_rules.h"

#include <utility>

#include "master/alerts/rule_text.h"

namespace corral::master {
namespace {

class DeploymentUnavailableRule final : public SnapshotRule {
 public:
  explicit DeploymentUnavailableRule(AlertRuleSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleDeploymentUnavailable; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"deployments"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t, std::vector<Finding>& out) override {
    for (const DeploymentFacts& d : cluster.deployments) {
      int64_t unavailable = d.replicas - d.available_replicas;
      if (unavailable <= 0) {
        continue;
      }
      Finding f;
      f.identity = "Deployment/" + d.ns + "/" + d.name;
      f.summary = "Deployment " + qualifiedName(d.ns, d.name) + " has " +
                  std::to_string(unavailable) + " of " + plural(d.replicas, "replica", "replicas") +
                  " unavailable";
      f.description =
          std::to_string(d.available_replicas) + " available, " + std::to_string(d.ready_replicas) +
          " ready and " + std::to_string(d.updated_replicas) + " up to date of " +
          std::to_string(d.replicas) + " wanted" + (d.paused ? "; its rollout is paused." : ".");
      f.labels = {{"namespace", d.ns}, {"kind", "Deployment"}, {"name", d.name}};
      out.push_back(std::move(f));
    }
    return true;
  }

 private:
  AlertRuleSettings settings_;
};

}  // namespace

std::unique_ptr<SnapshotRule> makeDeploymentUnavailableRule(const AlertRuleSettings& settings) {
  return std::make_unique<DeploymentUnavailableRule>(settings);
}

}  // namespace corral::master
