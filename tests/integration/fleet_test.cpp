// Pools and agents as operators manage them, silent agents, and where pool commands go.

#include <algorithm>
#include <chrono>
#include <future>
#include <set>

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;
using corral::testing::idsOf;
using corral::testing::kFastTimings;
using corral::testing::withConfig;

namespace {

std::set<std::string> agentIds(FleetFixture& f, const std::string& query) {
  auto r = f.api.get("/api/v1/agents" + query, f.admin());
  REQUIRE(r.status == 200);
  auto ids = idsOf(r.json()["items"]);
  return {ids.begin(), ids.end()};
}

// Waits until the agent has `status`, asking the master round after round until `deadline`.
bool waitUntilStatus(FleetFixture& f, const std::string& agent_id, const std::string& status,
                     std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    auto r = f.api.get("/api/v1/agents/" + agent_id, f.admin());
    if (r.status == 200 && r.json()["status"] == status) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("a silent agent goes offline: its pool work moves on and its own work fails",
          "[integration]") {
  FleetFixture f(withConfig(kFastTimings));
  std::string pool = f.createPool("offline");
  std::string enrollment = f.enrollmentToken(pool);
  auto silent = f.registerAgent(enrollment, "silent");
  // Queued while the silent agent is the pool's only one, so the pool command is its.
  std::string pooled = f.enqueueId({{"target", {{"pool_id", pool}}}, {"action", "pooled"}});
  std::string own = f.enqueueFor(silent, "own");
  Json leased = f.pollCommands(silent, 0, 2);
  REQUIRE(idsOf(leased) == std::vector<std::string>{pooled, own});

  // The silent agent never polls again. Its pool neighbour's parked poll is what ends once the
  // master notices (offline_after is 2 s) and hands the pool command over.
  auto other = f.registerAgent(enrollment, "other");
  Json moved = f.pollCommands(other, 10);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0]["id"] == pooled);
  CHECK(moved[0]["fence"] == 2);

  // First what concerns the other agent's new lease: it stops polling now, and goes offline in
  // turn 2 s later. The command is its own now, so the silent agent's late result is refused.
  Json taken = f.command(pooled);
  CHECK(taken["state"] == "leased");
  CHECK(taken["agent_id"] == other.id);
  auto late = f.report(silent, pooled, 1, true);
  CHECK(late.status == 404);
  CHECK(late.errorCode() == "not_found");
  CHECK(f.command(pooled)["state"] == "leased");

  CHECK(f.agentView(silent.id)["status"] == "offline");
  CHECK(agentIds(f, "?status=offline").count(silent.id) == 1);
  Json failed = f.command(own, 10);
  CHECK(failed["state"] == "failed");
  CHECK(failed["reason"] == "agent_offline");

  // A poll is a sign of life.
  CHECK(f.poll(silent, 0).status == 204);
  CHECK(f.agentView(silent.id)["status"] == "online");
}

TEST_CASE("pools can be created, listed page by page, edited and deleted", "[integration]") {
  FleetFixture f;
  std::string a = f.createPool("pool-a", {{"description", "first"}});
  std::string b = f.createPool("pool-b");
  std::string c = f.createPool("pool-c");

  auto page1 = f.api.get("/api/v1/agent-pools?limit=2", f.admin());
  REQUIRE(page1.status == 200);
  CHECK(idsOf(page1.json()["items"]) == std::vector<std::string>{a, b});
  REQUIRE(page1.json()["continue"].is_string());
  auto page2 = f.api.get(
      "/api/v1/agent-pools?limit=2&continue=" + page1.json()["continue"].get<std::string>(),
      f.admin());
  REQUIRE(page2.status == 200);
  CHECK(idsOf(page2.json()["items"]) == std::vector<std::string>{c});
  CHECK(page2.json()["continue"].is_null());

  auto edited = f.api.put("/api/v1/agent-pools/" + a, f.admin(),
                          {{"selection_strategy", "least_busy"}, {"slots_per_agent", 8}});
  REQUIRE(edited.status == 200);
  CHECK(edited.json()["selection_strategy"] == "least_busy");
  Json stored = f.api.get("/api/v1/agent-pools/" + a, f.admin()).json();
  CHECK(stored["selection_strategy"] == "least_busy");
  CHECK(stored["slots_per_agent"] == 8);
  CHECK(stored["description"] == "first");  // fields left out are kept

  auto invalid =
      f.api.put("/api/v1/agent-pools/" + a, f.admin(), {{"selection_strategy", "fastest"}});
  CHECK(invalid.status == 422);
  CHECK(invalid.errorCode() == "invalid_argument");
  CHECK(invalid.json()["error"]["message"].get<std::string>().find("selection_strategy") !=
        std::string::npos);
  CHECK(f.api.get("/api/v1/agent-pools/" + a, f.admin()).json()["selection_strategy"] ==
        "least_busy");

  CHECK(f.api.del("/api/v1/agent-pools/" + c, f.admin()).status == 204);
  auto gone = f.api.get("/api/v1/agent-pools/" + c, f.admin());
  CHECK(gone.status == 404);
  CHECK(gone.errorCode() == "not_found");
  CHECK(f.api.del("/api/v1/agent-pools/" + c, f.admin()).status == 404);
  CHECK(f.api.get("/api/v1/agent-pools", f.admin()).json()["items"].size() == 2);
}

TEST_CASE("an agent can be moved to another pool and removed from it", "[integration]") {
  FleetFixture f;
  std::string from;
  auto agent = f.poolWithAgent("move-from", &from);
  std::string to = f.createPool("move-to");

  auto moved =
      f.api.post("/api/v1/agent-pools/" + to + "/agents", f.admin(), {{"agent_id", agent.id}});
  REQUIRE(moved.status == 200);
  CHECK(moved.json()["pool_id"] == to);
  CHECK(f.agentView(agent.id)["pool_id"] == to);
  CHECK(agentIds(f, "?pool_id=" + to) == std::set<std::string>{agent.id});
  CHECK(agentIds(f, "?pool_id=" + from).empty());
  CHECK(f.poll(agent, 0).status == 204);  // its credential survives the move

  // Commands for its new pool reach it.
  std::string id = f.enqueueId({{"target", {{"pool_id", to}}}, {"action", "hello"}});
  CHECK(idsOf(f.pollCommands(agent, 0)) == std::vector<std::string>{id});

  auto wrong_pool = f.api.del("/api/v1/agent-pools/" + from + "/agents/" + agent.id, f.admin());
  CHECK(wrong_pool.status == 404);
  CHECK(f.api.del("/api/v1/agent-pools/" + to + "/agents/" + agent.id, f.admin()).status == 204);
  CHECK(f.api.get("/api/v1/agents/" + agent.id, f.admin()).status == 404);
  auto poll = f.poll(agent, 0);
  CHECK(poll.status == 401);
  CHECK(poll.errorCode() == "unauthenticated");
  // Its leased command could never finish; it went back to the queue of the pool.
  CHECK(f.command(id)["state"] == "queued");

  CHECK(f.api.del("/api/v1/agent-pools/" + to, f.admin()).status == 204);
  CHECK(f.api.del("/api/v1/agent-pools/" + from, f.admin()).status == 204);
}

TEST_CASE("agents can be listed by pool, status and label, and edited", "[integration]") {
  FleetFixture f;
  std::string p1 = f.createPool("filter-1");
  std::string e1 = f.enrollmentToken(p1);
  auto prod = f.registerAgent(e1, "prod", {{"env", "prod"}});
  auto dev = f.registerAgent(e1, "dev", {{"env", "dev"}});
  auto lone = f.registerAgent(f.enrollmentToken(f.createPool("filter-2")), "lone",
                              {{"env", "prod"}, {"tier", "db"}});

  CHECK(agentIds(f, "") == std::set<std::string>{prod.id, dev.id, lone.id});
  CHECK(agentIds(f, "?pool_id=" + p1) == std::set<std::string>{prod.id, dev.id});
  CHECK(agentIds(f, "?label=env%3Dprod") == std::set<std::string>{prod.id, lone.id});
  CHECK(agentIds(f, "?label=env%3Dprod,tier%3Ddb") == std::set<std::string>{lone.id});
  CHECK(agentIds(f, "?pool_id=" + p1 + "&label=env%3Dprod") == std::set<std::string>{prod.id});
  CHECK(agentIds(f, "?status=online").size() == 3);
  CHECK(agentIds(f, "?status=offline").empty());
  auto bad_label = f.api.get("/api/v1/agents?label=env", f.admin());
  CHECK(bad_label.status == 422);
  CHECK(bad_label.errorCode() == "invalid_argument");

  auto edited =
      f.api.put("/api/v1/agents/" + prod.id, f.admin(),
                {{"labels", {{"env", "staging"}, {"tier", "web"}}}, {"description", "web front"}});
  REQUIRE(edited.status == 200);
  Json view = f.agentView(prod.id);
  CHECK(view["labels"] == Json{{"env", "staging"}, {"tier", "web"}});
  CHECK(view["description"] == "web front");
  CHECK(agentIds(f, "?label=env%3Dprod") == std::set<std::string>{lone.id});
  auto bad_edit = f.api.put("/api/v1/agents/" + prod.id, f.admin(), {{"drain", "yes"}});
  CHECK(bad_edit.status == 422);
  CHECK(bad_edit.json()["error"]["message"].get<std::string>().find("drain") != std::string::npos);
}

TEST_CASE("a drained agent leases nothing while its commands stay queued", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("drain");
  auto drained = f.api.put("/api/v1/agents/" + agent.id, f.admin(), {{"drain", true}});
  REQUIRE(drained.status == 200);
  CHECK(drained.json()["drain"] == true);
  CHECK(drained.json()["status"] == "draining");

  std::string id = f.enqueueFor(agent, "blocked");
  CHECK(f.poll(agent, 0).status == 204);
  CHECK(f.command(id)["state"] == "queued");

  auto status = f.api.get("/api/v1/agents/" + agent.id + "/status", f.admin());
  REQUIRE(status.status == 200);
  CHECK(status.json()["id"] == agent.id);
  CHECK(status.json()["status"] == "draining");
  CHECK(status.json()["polling"] == false);
  CHECK(status.json()["tasks"]["total"] == 0);
  auto heartbeat = f.api.post("/api/v1/agent/heartbeat", agent.token,
                              {{"status", "online"}, {"slots_total", 3}, {"slots_used", 0}});
  REQUIRE(heartbeat.status == 200);
  CHECK(heartbeat.json()["drain"] == true);
  CHECK(f.agentView(agent.id)["status"] == "draining");

  auto commands = f.api.get("/api/v1/agents/" + agent.id + "/commands", f.admin());
  REQUIRE(commands.status == 200);
  CHECK(idsOf(commands.json()["items"]) == std::vector<std::string>{id});
  auto queued = f.api.get("/api/v1/agents/" + agent.id + "/commands?state=queued", f.admin());
  CHECK(idsOf(queued.json()["items"]) == std::vector<std::string>{id});
  auto done = f.api.get("/api/v1/agents/" + agent.id + "/commands?state=succeeded", f.admin());
  CHECK(done.json()["items"].empty());
  CHECK(f.api.get("/api/v1/agents/agt_nope/status", f.admin()).status == 404);
  CHECK(f.api.get("/api/v1/agents/agt_nope/commands", f.admin()).status == 404);

  // Undrained, the waiting command goes out.
  REQUIRE(f.api.put("/api/v1/agents/" + agent.id, f.admin(), {{"drain", false}}).status == 200);
  CHECK(idsOf(f.pollCommands(agent, 0)) == std::vector<std::string>{id});
}

TEST_CASE("a pool command with labels goes only to an agent that has them", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("zones");
  std::string enrollment = f.enrollmentToken(pool);
  auto in_a = f.registerAgent(enrollment, "zone-a", {{"zone", "a"}});
  auto in_b = f.registerAgent(enrollment, "zone-b", {{"zone", "b"}});

  std::string id =
      f.enqueueId({{"target", {{"pool_id", pool}, {"labels", {{"zone", "b"}}}}}, {"action", "z"}});
  CHECK(f.poll(in_a, 0).status == 204);
  CHECK(idsOf(f.pollCommands(in_b, 0)) == std::vector<std::string>{id});
  CHECK(f.command(id)["agent_id"] == in_b.id);

  // Labels no agent has: the command waits for one.
  std::string nowhere =
      f.enqueueId({{"target", {{"pool_id", pool}, {"labels", {{"zone", "c"}}}}}, {"action", "z"}});
  CHECK(f.poll(in_a, 0).status == 204);
  CHECK(f.poll(in_b, 0).status == 204);
  CHECK(f.command(nowhere)["state"] == "queued");

  auto labels_alone = f.enqueue({{"target", {{"labels", {{"zone", "a"}}}}}, {"action", "z"}});
  CHECK(labels_alone.status == 422);
  CHECK(labels_alone.errorCode() == "invalid_argument");
}

TEST_CASE("a least_busy pool spreads commands over its agents", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("spread", {{"selection_strategy", "least_busy"}});
  std::string enrollment = f.enrollmentToken(pool);
  auto first = f.registerAgent(enrollment, "first");
  auto second = f.registerAgent(enrollment, "second");

  std::string c1 = f.enqueueId({{"target", {{"pool_id", pool}}}, {"action", "one"}});
  std::string c2 = f.enqueueId({{"target", {{"pool_id", pool}}}, {"action", "two"}});
  Json got_first = f.pollCommands(first, 0, 3);
  Json got_second = f.pollCommands(second, 0, 3);
  REQUIRE(got_first.size() == 1);
  REQUIRE(got_second.size() == 1);
  CHECK(std::set<std::string>{got_first[0]["id"].get<std::string>(),
                              got_second[0]["id"].get<std::string>()} ==
        std::set<std::string>{c1, c2});
}

TEST_CASE("an agent whose long-poll outlasts offline_after stays online after it ends",
          "[integration]") {
  FleetFixture f(withConfig(kFastTimings));
  std::string pool;
  auto agent = f.poolWithAgent("long-poll", &pool);
  auto bystander = f.registerAgent(f.enrollmentToken(pool), "bystander");
  // Held for 3 s, longer than the 2 s of silence that make an agent offline.
  REQUIRE(f.poll(agent, 3).status == 204);
  // Give the monitor (every 50 ms) a second to look, blocking on a command that stays queued.
  std::string waiting = f.enqueueFor(bystander, "never-picked");
  CHECK(f.command(waiting, 1)["state"] == "queued");
  CHECK(f.agentView(agent.id)["status"] == "online");
}

TEST_CASE("an agent handed a command after a poll longer than offline_after stays online",
          "[integration]") {
  FleetFixture f(
      withConfig("agents: {offline_after: 3s}\n"
                 "queue: {lease_grace: 0s}\n"
                 "monitor: {interval: 50ms}\n"));
  std::string pool;
  auto agent = f.poolWithAgent("handed", &pool);
  auto parked = f.pollAsync(agent, 20);
  REQUIRE(f.waitUntilPolling(agent.id));
  // Registered once the poll is parked: by the time it goes offline, the polling agent has been
  // silent for longer than offline_after too, and only its poll keeps it online.
  auto witness = f.registerAgent(f.enrollmentToken(pool), "witness");
  REQUIRE(waitUntilStatus(f, witness.id, "offline", std::chrono::seconds(20)));

  std::string id = f.enqueueFor(agent, "handed-over");
  REQUIRE(parked.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto delivered = parked.get();
  REQUIRE(delivered.status == 200);
  CHECK(idsOf(delivered.json()["commands"]) == std::vector<std::string>{id});
  // The command ends early only if the agent is taken offline; the monitor looks twenty times
  // while this waits.
  CHECK(f.command(id, 1)["state"] == "leased");
  CHECK(f.agentView(agent.id)["status"] == "online");
}
