// The rules of the liveness tick, over fleet observations as the service reads them.

#include <catch2/catch.hpp>

#include "master/alerts/liveness_rules.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {
namespace {

master::AgentFacts agent(const std::string& id, const std::string& cluster_id) {
  master::AgentFacts a;
  a.id = id;
  a.name = id + "-name";
  a.pool_id = "pool_k8s";
  a.pool = "k8s";
  a.cluster_id = cluster_id;
  a.status = "offline";
  a.last_heartbeat = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  return a;
}

}  // namespace

TEST_CASE("every offline agent fires agent_offline with its pool and cluster",
          "[alerts][rules][liveness]") {
  FakeClock clock;
  auto rule = master::makeAgentOfflineRule(master::AlertRuleSettings{});
  master::FleetObservation fleet;
  fleet.offline_agents = {agent("agt_1", "prod"), agent("agt_2", "")};
  auto found = findings(*rule, fleet, clock);
  REQUIRE(found.size() == 2);
  const master::Finding& f = found.at("Agent/agt_1");
  CHECK(f.cluster_id == "prod");
  CHECK(f.summary == "Agent agt_1-name of pool k8s is offline");
  CHECK(f.description ==
        "No heartbeat, poll or snapshot since 2026-01-01T00:00:00.000Z; its leased commands were "
        "handed back or failed.");
  CHECK(f.labels == master::Labels{{"kind", "Agent"},
                                   {"name", "agt_1-name"},
                                   {"agent", "agt_1-name"},
                                   {"agent_id", "agt_1"},
                                   {"pool", "k8s"}});
  CHECK(found.at("Agent/agt_2").cluster_id.empty());
  CHECK(findings(*rule, master::FleetObservation{}, clock).empty());
}

TEST_CASE("a cluster without a snapshot for longer than `after` fires snapshot_stale",
          "[alerts][rules][liveness]") {
  FakeClock clock;
  master::SnapshotStaleSettings settings;
  settings.after = std::chrono::minutes(5);
  auto rule = master::makeSnapshotStaleRule(settings);
  master::FleetObservation fleet;
  master::ClusterLiveness prod;
  prod.cluster_id = "prod";
  prod.received_at = nowMs(clock);
  prod.agent = agent("agt_1", "prod");
  fleet.clusters.push_back(prod);

  clock.advance(std::chrono::minutes(5));
  CHECK(findings(*rule, fleet, clock).empty());
  clock.advance(std::chrono::milliseconds(1));
  auto found = findings(*rule, fleet, clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at("Cluster/prod");
  CHECK(f.cluster_id == "prod");
  CHECK(f.summary == "No snapshot from cluster prod for more than 5m");
  CHECK(f.description ==
        "The latest snapshot arrived at 2026-01-01T00:00:00.000Z from agent agt_1-name.");
  CHECK(f.labels.at("agent_id") == "agt_1");
  CHECK(f.labels.at("pool") == "k8s");

  // Its wording does not change as the silence grows, so the alert is not rewritten every tick.
  clock.advance(std::chrono::hours(1));
  CHECK(findings(*rule, fleet, clock).at("Cluster/prod").summary == f.summary);
}

}  // namespace corral::testing
