#include "master/metrics/fleet_collector.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/master/metrics/metric_lookup.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using testing::FakeClock;
using testing::family;
using testing::sampleValue;
using testing::StoreFixture;

struct FleetFixture {
  StoreFixture db;
  FakeClock clock;
  WaitSet waits;
  FleetCollector collector{db.store(), waits, clock};
  int64_t now = toUnixMillis(clock.wallNow());

  void addCommand(const std::string& id, CommandState state, const std::string& action,
                  const std::function<void(CommandRecord&)>& edit) {
    CommandRecord c;
    c.id = id;
    c.state = state;
    c.action = action;
    c.created_at = now;
    c.updated_at = now;
    c.deadline = now + 3'600'000;
    edit(c);
    REQUIRE_OK(db.store().write([&](StoreTx& tx) { return tx.commands().insert(c); }));
  }

  std::vector<metrics::FamilyData> collect() {
    auto families = collector.collect();
    REQUIRE_OK(families);
    return std::move(*families);
  }
};

TEST_CASE("the fleet's gauges are read from the store at scrape time", "[metrics]") {
  FleetFixture f;
  Pool runners = f.db.addPool("runners");
  Pool gpu = f.db.addPool("gpu", [](Pool& p) { p.required_labels = {{"gpu", "yes"}}; });
  f.db.addPool("empty");
  f.db.addAgent(runners.id, "r1", [&](Agent& a) {
    a.last_heartbeat = f.now - 5'000;
    a.slots_total = 3;
  });
  f.db.addAgent(runners.id, "r2", [&](Agent& a) {
    a.status = "busy";
    a.last_heartbeat = f.now - 1'500;
    a.slots_used = 3;
  });
  f.db.addAgent(runners.id, "r3", [&](Agent& a) {
    a.status = "offline";
    a.last_heartbeat = f.now - 600'000;
  });
  // Online, but without the label its pool requires: it could not take pool work.
  f.db.addAgent(gpu.id, "g1", [&](Agent& a) { a.last_heartbeat = f.now; });

  auto pool_target = [&](CommandRecord& c) {
    c.target_type = "pool";
    c.target_pool_id = runners.id;
  };
  auto for_r1 = [&](CommandRecord& c) {
    c.target_type = "agent";
    c.target_agent_id = "r1";
    c.agent_id = "r1";
  };
  f.addCommand("c1", CommandState::kQueued, "plan", pool_target);
  f.addCommand("c2", CommandState::kQueued, "plan", pool_target);
  f.addCommand("c3", CommandState::kQueued, "scale", for_r1);
  f.addCommand("c4", CommandState::kLeased, "scale", for_r1);
  f.addCommand("c5", CommandState::kSucceeded, "plan", pool_target);
  f.addCommand("c6", CommandState::kQueued, "restart", [](CommandRecord& c) {
    c.target_type = "cluster";
    c.target_cluster_id = "prod";
  });

  ClusterSnapshot snapshot;
  snapshot.cluster_id = "prod";
  snapshot.agent_id = "g1";
  snapshot.version = 1;
  snapshot.kind = "k8s";
  snapshot.received_at = f.now - 90'000;
  snapshot.body = "gzip";
  REQUIRE_OK(f.db.store().write([&](StoreTx& tx) { return tx.snapshots().put(snapshot); }));
  auto parked = f.waits.arm("r1", true);

  auto families = f.collect();

  SECTION("agents by pool and status, every status of every pool shown") {
    CHECK(sampleValue(families, "corral_agents", {"runners", "online"}) == 1);
    CHECK(sampleValue(families, "corral_agents", {"runners", "busy"}) == 1);
    CHECK(sampleValue(families, "corral_agents", {"runners", "offline"}) == 1);
    CHECK(sampleValue(families, "corral_agents", {"runners", "draining"}) == 0);
    CHECK(sampleValue(families, "corral_agents", {"gpu", "online"}) == 1);
    CHECK(sampleValue(families, "corral_agents", {"empty", "error"}) == 0);
    CHECK(family(families, "corral_agents").samples.size() == 15);
  }

  SECTION("each agent's heartbeat age, liveness and slots") {
    CHECK(sampleValue(families, "corral_agent_heartbeat_age_seconds", {"runners", "r1", "r1"}) ==
          5);
    CHECK(sampleValue(families, "corral_agent_heartbeat_age_seconds", {"runners", "r2", "r2"}) ==
          1.5);
    CHECK(sampleValue(families, "corral_agent_up", {"runners", "r1", "r1"}) == 1);
    CHECK(sampleValue(families, "corral_agent_up", {"runners", "r3", "r3"}) == 0);
    CHECK(sampleValue(families, "corral_agent_slots", {"runners", "r1", "r1"}) == 3);
    // r1 reported no slot in use, but the master has given it two commands.
    CHECK(sampleValue(families, "corral_agent_slots_used", {"runners", "r1", "r1"}) == 2);
    CHECK(sampleValue(families, "corral_agent_slots_used", {"runners", "r2", "r2"}) == 3);
  }

  SECTION("agents available per pool: live, with a free slot and the required labels") {
    CHECK(sampleValue(families, "corral_pool_available_agents", {"runners"}) == 1);
    CHECK(sampleValue(families, "corral_pool_available_agents", {"gpu"}) == 0);
    CHECK(sampleValue(families, "corral_pool_available_agents", {"empty"}) == 0);
  }

  SECTION("commands by state and action, every state of every action shown") {
    CHECK(sampleValue(families, "corral_commands", {"queued", "plan"}) == 2);
    CHECK(sampleValue(families, "corral_commands", {"succeeded", "plan"}) == 1);
    CHECK(sampleValue(families, "corral_commands", {"expired", "plan"}) == 0);
    CHECK(sampleValue(families, "corral_commands", {"queued", "scale"}) == 1);
    CHECK(sampleValue(families, "corral_commands", {"leased", "scale"}) == 1);
    CHECK(sampleValue(families, "corral_commands", {"queued", "restart"}) == 1);
    CHECK(family(families, "corral_commands").samples.size() == 21);
  }

  SECTION("queue depth by target, with every pool's backlog shown") {
    CHECK(sampleValue(families, "corral_queue_depth", {"pool", "runners", "", ""}) == 2);
    CHECK(sampleValue(families, "corral_queue_depth", {"agent", "runners", "r1", ""}) == 1);
    CHECK(sampleValue(families, "corral_queue_depth", {"cluster", "", "", "prod"}) == 1);
    CHECK(sampleValue(families, "corral_queue_depth", {"pool", "gpu", "", ""}) == 0);
  }

  SECTION("snapshot age per cluster and parked polls") {
    CHECK(sampleValue(families, "corral_snapshot_age_seconds", {"prod"}) == 90);
    CHECK(sampleValue(families, "corral_parked_polls", {}) == 1);
  }
}

TEST_CASE("an empty store gives families without series, not errors", "[metrics]") {
  FleetFixture f;
  auto families = f.collect();
  CHECK(family(families, "corral_agents").samples.empty());
  CHECK(family(families, "corral_commands").samples.empty());
  CHECK(sampleValue(families, "corral_parked_polls", {}) == 0);
}

TEST_CASE("beyond the cap, the least used actions are counted as one 'other'", "[metrics]") {
  FleetView view;
  // action_0 is used once, action_1 twice, ...: the least used are the first ones.
  int64_t total = 0;
  for (int i = 0; i < 70; ++i) {
    view.commands.push_back({"succeeded", "action_" + std::to_string(i), i + 1});
    total += i + 1;
  }
  auto families = fleetFamilies(view, 0, 0);
  const auto& commands = family(families, "corral_commands");
  CHECK(commands.samples.size() == kMaxActionSeries * 7);
  CHECK(sampleValue(families, "corral_commands", {"succeeded", "action_69"}) == 70);
  CHECK_FALSE(sampleValue(families, "corral_commands", {"succeeded", "action_6"}));
  // The 63 most used keep their series (action_7 .. action_69); action_0 .. action_6 are merged.
  CHECK(sampleValue(families, "corral_commands", {"succeeded", "other"}) ==
        1 + 2 + 3 + 4 + 5 + 6 + 7);
  double sum = 0;
  for (const auto& s : commands.samples) {
    sum += s.value;
  }
  CHECK(sum == static_cast<double>(total));
}

}  // namespace
}  // namespace corral::master
