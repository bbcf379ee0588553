// The command queue as agents and operators see it: order, leases and fences, results,
// cancellation, idempotency keys and pick-up deadlines.

#include <httplib.h>

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::ApiResponse;
using corral::testing::FleetFixture;
using corral::testing::idsOf;
using corral::testing::kFastLeases;
using corral::testing::withConfig;

namespace {

// ApiClient sends no custom headers; this one request needs one.
ApiResponse postWithIdempotencyKey(int port, const std::string& token, const Json& body,
                                   const std::string& key) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  httplib::Headers headers{{"Authorization", "Bearer " + token}, {"Idempotency-Key", key}};
  auto r = client.Post("/api/v1/commands", headers, body.dump(), "application/json");
  ApiResponse out;
  if (r) {
    out.status = r->status;
    out.body = r->body;
  }
  return out;
}

}  // namespace

TEST_CASE("an agent's commands are leased in the order they were queued", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("fifo");
  auto other = f.registerAgent(f.enrollmentToken(f.createPool("fifo-other")), "other");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(f.enqueueFor(agent, "step", {{"params", {{"n", i}}}}));
    f.enqueueFor(other, "noise");  // another agent's queue does not disturb this one
  }
  for (int i = 0; i < 5; ++i) {
    INFO("poll " << i);
    Json commands = f.pollCommands(agent, 0, 1);
    REQUIRE(commands.size() == 1);
    CHECK(commands[0]["id"] == ids[static_cast<size_t>(i)]);
    CHECK(commands[0]["params"]["n"] == i);
    CHECK(commands[0]["fence"] == 1);
  }
  CHECK(f.poll(agent, 0).status == 204);

  std::vector<std::string> more;
  for (int i = 0; i < 5; ++i) {
    more.push_back(f.enqueueFor(agent, "batch"));
  }
  CHECK(idsOf(f.pollCommands(agent, 0, 3)) == std::vector<std::string>{more[0], more[1], more[2]});
  CHECK(idsOf(f.pollCommands(agent, 0, 3)) == std::vector<std::string>{more[3], more[4]});
}

TEST_CASE("an unreported lease expires and the command is redelivered with a higher fence",
          "[integration]") {
  FleetFixture f(withConfig(kFastLeases));
  auto agent = f.poolWithAgent("lease");
  // Two seconds leave time to report against the second lease before it expires in turn.
  std::string id = f.enqueueFor(agent, "slow", {{"timeout_s", 2}});

  Json first = f.pollCommands(agent, 0);
  REQUIRE(first.size() == 1);
  CHECK(first[0]["fence"] == 1);
  CHECK(first[0]["attempt"] == 1);
  CHECK(first[0]["timeout_s"] == 2);

  // No result: the next poll parks until the lease expires and the command comes back.
  Json second = f.pollCommands(agent, 10);
  REQUIRE(second.size() == 1);
  CHECK(second[0]["id"] == id);
  CHECK(second[0]["fence"] == 2);
  CHECK(second[0]["attempt"] == 2);

  auto late = f.report(agent, id, 1, true);
  CHECK(late.status == 409);
  CHECK(late.errorCode() == "conflict");
  auto late_progress = f.api.post("/api/v1/agent/commands/" + id + "/progress", agent.token,
                                  {{"fence", 1}, {"log", "old output"}});
  CHECK(late_progress.status == 409);
  Json unchanged = f.command(id);
  CHECK(unchanged["state"] == "leased");
  CHECK(unchanged["attempts"] == 2);
  CHECK(unchanged["agent_id"] == agent.id);
  CHECK(unchanged["log_size"] == 0);

  auto current = f.report(agent, id, 2, true);
  CHECK(current.status == 200);
  CHECK(current.json()["state"] == "succeeded");
  CHECK(f.command(id)["state"] == "succeeded");
}

TEST_CASE("a command fails with lease_expired once its attempts are used up", "[integration]") {
  FleetFixture f(withConfig(kFastLeases));
  auto agent = f.poolWithAgent("attempts");
  std::string id = f.enqueueFor(agent, "hang", {{"timeout_s", 1}, {"max_attempts", 2}});
  CHECK(f.pollCommands(agent, 0)[0]["fence"] == 1);
  CHECK(f.pollCommands(agent, 10)[0]["fence"] == 2);

  Json ended = f.command(id, 10);
  CHECK(ended["state"] == "failed");
  CHECK(ended["reason"] == "lease_expired");
  CHECK(ended["attempts"] == 2);
  CHECK(f.poll(agent, 0).status == 204);
  CHECK(f.report(agent, id, 2, true).status == 409);
}

TEST_CASE("a result sent twice is stored and counted once", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("twice");
  std::string id = f.enqueueFor(agent, "report");
  REQUIRE(f.pollCommands(agent, 0).size() == 1);

  auto first = f.api.post("/api/v1/agent/commands/" + id + "/result", agent.token,
                          {{"fence", 1}, {"success", true}, {"data", {{"replicas", 3}}}});
  CHECK(first.status == 200);
  auto again = f.api.post("/api/v1/agent/commands/" + id + "/result", agent.token,
                          {{"fence", 1}, {"success", true}, {"data", {{"replicas", 3}}}});
  CHECK(again.status == 200);
  CHECK(again.json()["state"] == "succeeded");
  // A resend that differs changes nothing either: the first stored result counts.
  CHECK(f.report(agent, id, 1, false).status == 200);

  Json command = f.command(id);
  CHECK(command["state"] == "succeeded");
  CHECK(command["result"] == Json{{"replicas", 3}});
  Json tasks = f.agentView(agent.id)["tasks"];
  CHECK(tasks["total"] == 1);
  CHECK(tasks["succeeded"] == 1);
  CHECK(tasks["failed"] == 0);

  // Another agent cannot report on it at all.
  auto stranger = f.registerAgent(f.enrollmentToken(f.createPool("twice-other")), "stranger");
  auto foreign = f.report(stranger, id, 1, true);
  CHECK(foreign.status == 404);
  CHECK(foreign.errorCode() == "not_found");
}

TEST_CASE("cancelling a queued command ends it at once", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("cancel-queued");
  std::string id = f.enqueueFor(agent, "never");
  auto r = f.api.post("/api/v1/commands/" + id + "/cancel", f.admin(), {});
  REQUIRE(r.status == 200);
  CHECK(r.json()["state"] == "cancelled");
  CHECK(f.command(id)["state"] == "cancelled");
  CHECK(f.poll(agent, 0).status == 204);
}

TEST_CASE("cancelling a leased command reaches the agent through poll and heartbeat",
          "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("cancel-leased");
  std::string id = f.enqueueFor(agent, "long");
  REQUIRE(f.pollCommands(agent, 0).size() == 1);

  auto r = f.api.post("/api/v1/commands/" + id + "/cancel", f.admin(), {});
  REQUIRE(r.status == 200);
  CHECK(r.json()["state"] == "leased");
  CHECK(r.json()["cancel_requested"] == true);

  // The poll has something to deliver, so it does not wait out its 30 seconds.
  auto parked = f.pollAsync(agent, 30);
  REQUIRE(parked.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto delivered = parked.get();
  REQUIRE(delivered.status == 200);
  CHECK(delivered.json()["commands"].empty());
  CHECK(delivered.json()["cancel"] == Json::array({id}));

  auto heartbeat = f.api.post("/api/v1/agent/heartbeat", agent.token,
                              {{"status", "online"},
                               {"slots_total", 3},
                               {"slots_used", 1},
                               {"running", Json::array({id})}});
  REQUIRE(heartbeat.status == 200);
  CHECK(heartbeat.json()["cancel"] == Json::array({id}));
  CHECK(heartbeat.json()["drain"] == false);
  // Delivered once: an idle poll has nothing new and waits.
  CHECK(f.poll(agent, 0).status == 204);

  auto progress = f.api.post("/api/v1/agent/commands/" + id + "/progress", agent.token,
                             {{"fence", 1}, {"message", "stopping"}});
  REQUIRE(progress.status == 200);
  CHECK(progress.json()["cancel_requested"] == true);

  auto result = f.report(agent, id, 1, false);
  CHECK(result.status == 200);
  CHECK(result.json()["state"] == "cancelled");
  CHECK(f.command(id)["state"] == "cancelled");

  auto ended = f.api.post("/api/v1/commands/" + id + "/cancel", f.admin(), {});
  CHECK(ended.status == 409);
  CHECK(ended.errorCode() == "conflict");
  auto unknown = f.api.post("/api/v1/commands/cmd_doesnotexist/cancel", f.admin(), {});
  CHECK(unknown.status == 404);
  CHECK(unknown.errorCode() == "not_found");
}

TEST_CASE("a cancellation wakes the agent's parked long-poll", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("cancel-parked");
  std::string id = f.enqueueFor(agent, "long");
  REQUIRE(f.pollCommands(agent, 0).size() == 1);

  auto parked = f.pollAsync(agent, 30);
  REQUIRE(f.waitUntilPolling(agent.id));
  REQUIRE(f.api.post("/api/v1/commands/" + id + "/cancel", f.admin(), {}).status == 200);
  REQUIRE(parked.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto delivered = parked.get();
  REQUIRE(delivered.status == 200);
  CHECK(delivered.json()["cancel"] == Json::array({id}));
}

TEST_CASE("an idempotency key returns the command it first created", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("idem");
  Json body = {
      {"target", {{"agent_id", agent.id}}}, {"action", "deploy"}, {"idempotency_key", "deploy-42"}};
  auto first = f.enqueue(body);
  REQUIRE(first.status == 201);
  auto second = f.enqueue(body);
  CHECK(second.status == 200);
  CHECK(second.json()["id"] == first.json()["id"]);
  CHECK(second.json()["idempotency_key"] == "deploy-42");

  Json plain = {{"target", {{"agent_id", agent.id}}}, {"action", "deploy"}};
  auto by_header = postWithIdempotencyKey(f.master.port(), f.admin(), plain, "deploy-43");
  REQUIRE(by_header.status == 201);
  auto by_header_again = postWithIdempotencyKey(f.master.port(), f.admin(), plain, "deploy-43");
  CHECK(by_header_again.status == 200);
  CHECK(by_header_again.json()["id"] == by_header.json()["id"]);
  CHECK(by_header.json()["id"] != first.json()["id"]);

  auto listed = f.api.get("/api/v1/commands?agent_id=" + agent.id, f.admin());
  REQUIRE(listed.status == 200);
  CHECK(listed.json()["items"].size() == 2);
}

TEST_CASE("a command not picked up before its deadline expires", "[integration]") {
  FleetFixture f(withConfig(kFastLeases));
  auto agent = f.poolWithAgent("deadline");  // registered, but never polls in time
  std::string id = f.enqueueFor(agent, "too-late", {{"deadline_s", 1}});
  Json ended = f.command(id, 10);
  CHECK(ended["state"] == "expired");
  CHECK(ended["reason"] == "deadline");
  CHECK(f.poll(agent, 0).status == 204);
}
