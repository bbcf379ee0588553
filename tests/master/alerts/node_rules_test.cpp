// The node rules over the recorded nodes, edited through the agent's model.

#include <catch2/catch.hpp>

#include "master/alerts/node_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {
namespace {

using master::AlertRuleSettings;

agent::model::Condition* conditionOf(agent::model::Node& node, const std::string& type) {
  for (auto& c : node.conditions) {
    if (c.type == type) {
      return &c;
    }
  }
  FAIL("the node has no condition " << type);
  return nullptr;
}

}  // namespace

TEST_CASE("the recorded nodes are Ready and under no pressure", "[alerts][rules][nodes]") {
  FakeClock clock;
  auto cluster = observe(recordedCluster());
  REQUIRE(cluster.nodes.size() >= 2);
  CHECK(findings(*master::makeNodeNotReadyRule(AlertRuleSettings{}), cluster, clock).empty());
  CHECK(findings(*master::makeNodePressureRule(AlertRuleSettings{}), cluster, clock).empty());
}

TEST_CASE("a node whose Ready condition is not True fires node_not_ready",
          "[alerts][rules][nodes]") {
  FakeClock clock;
  auto rule = master::makeNodeNotReadyRule(AlertRuleSettings{});
  auto s = emptyCluster();
  auto node = recordedNode();
  node.ready = false;
  node.unschedulable = true;
  auto* ready = conditionOf(node, "Ready");
  ready->status = "Unknown";
  ready->reason = "NodeStatusUnknown";
  ready->message = "Kubelet stopped posting node status.";
  s.resources.nodes.push_back(node);
  auto found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at("Node/" + node.meta.name);
  CHECK(f.summary == "Node " + node.meta.name + " is not Ready");
  CHECK(f.description ==
        "Its Ready condition is Unknown (NodeStatusUnknown: Kubelet stopped posting node "
        "status.). It is cordoned.");
  CHECK(f.labels.at("node") == node.meta.name);
  CHECK(f.labels.at("kind") == "Node");

  // A node that reports no Ready condition at all is not Ready either.
  node.conditions.clear();
  node.unschedulable = false;
  s.resources.nodes = {node};
  found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  CHECK(found.begin()->second.description == "The node reports no Ready condition.");
}

TEST_CASE("each pressure condition of a node fires node_pressure on its own",
          "[alerts][rules][nodes]") {
  FakeClock clock;
  auto rule = master::makeNodePressureRule(AlertRuleSettings{});
  auto s = emptyCluster();
  auto node = recordedNode();
  node.memory_pressure = true;
  auto* memory = conditionOf(node, "MemoryPressure");
  memory->status = "True";
  memory->reason = "KubeletHasInsufficientMemory";
  memory->message = "kubelet has insufficient memory available";
  node.disk_pressure = true;
  conditionOf(node, "DiskPressure")->status = "True";
  s.resources.nodes.push_back(node);
  auto found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 2);
  const master::Finding& m = found.at("Node/" + node.meta.name + "/MemoryPressure");
  CHECK(m.summary == "Node " + node.meta.name + " is under MemoryPressure");
  CHECK(m.description ==
        "Its MemoryPressure condition is True (KubeletHasInsufficientMemory: kubelet has "
        "insufficient memory available).");
  CHECK(m.labels.at("condition") == "MemoryPressure");
  CHECK(found.at("Node/" + node.meta.name + "/DiskPressure").labels.at("condition") ==
        "DiskPressure");
  CHECK(found.count("Node/" + node.meta.name + "/PIDPressure") == 0);
}

}  // namespace corral::testing
