// Credentials that change while requests wait on them, and what each operator role may do.

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;

namespace {

constexpr auto kWellBefore = std::chrono::seconds(10);

}  // namespace

TEST_CASE("revoking an agent's token ends its parked long-poll with 401", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("revoke");
  auto parked = f.pollAsync(agent, 30);
  REQUIRE(f.waitUntilPolling(agent.id));

  auto revoke = f.api.post("/api/v1/agents/" + agent.id + "/revoke-token", f.admin(), {});
  CHECK(revoke.status == 204);
  REQUIRE(parked.wait_for(kWellBefore) == std::future_status::ready);
  auto r = parked.get();
  CHECK(r.status == 401);
  CHECK(r.errorCode() == "unauthenticated");

  CHECK(f.poll(agent, 0).status == 401);
  // The agent itself is still there for an operator to look at.
  CHECK(f.agentView(agent.id)["id"] == agent.id);
}

TEST_CASE("revoking an operator token ends its waiting command request with 401", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("op-revoke");
  std::string id = f.enqueueFor(agent, "noop");
  auto viewer = f.operatorToken("viewer");

  auto waiting = std::async(std::launch::async, [&] {
    return f.api.get("/api/v1/commands/" + id + "?wait=30", viewer.token);
  });
  REQUIRE(f.waitUntilParked(1));
  auto revoke = f.api.del("/api/v1/tokens/" + viewer.id, f.admin());
  CHECK(revoke.status == 204);
  REQUIRE(waiting.wait_for(kWellBefore) == std::future_status::ready);
  auto r = waiting.get();
  CHECK(r.status == 401);
  CHECK(r.errorCode() == "unauthenticated");

  CHECK(f.api.get("/api/v1/agents", viewer.token).status == 401);
  auto tokens = f.api.get("/api/v1/tokens", f.admin());
  REQUIRE(tokens.status == 200);
  bool listed_revoked = false;
  Json listed = tokens.json();
  for (const auto& t : listed["items"]) {
    if (t["id"] == viewer.id) {
      listed_revoked = t["revoked"] == true && t["role"] == "viewer";
    }
  }
  CHECK(listed_revoked);
}

TEST_CASE("regenerating an agent's token replaces it at once", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("regen");
  auto parked = f.pollAsync(agent, 30);
  REQUIRE(f.waitUntilPolling(agent.id));

  auto r = f.api.post("/api/v1/agents/" + agent.id + "/regenerate-token", f.admin(), {});
  REQUIRE(r.status == 200);
  CHECK(r.json()["agent_id"] == agent.id);
  corral::testing::RegisteredAgent renewed{agent.id, r.json()["agent_token"].get<std::string>()};
  CHECK(renewed.token.rfind("crl_agt_", 0) == 0);
  CHECK(renewed.token != agent.token);

  REQUIRE(parked.wait_for(kWellBefore) == std::future_status::ready);
  CHECK(parked.get().status == 401);
  CHECK(f.poll(agent, 0).status == 401);

  std::string id = f.enqueueFor(agent, "noop");
  auto commands = f.pollCommands(renewed, 0);
  REQUIRE(commands.size() == 1);
  CHECK(commands[0]["id"] == id);

  auto unknown = f.api.post("/api/v1/agents/agt_nope/regenerate-token", f.admin(), {});
  CHECK(unknown.status == 404);
  CHECK(unknown.errorCode() == "not_found");
}

TEST_CASE("a viewer may read but not change anything", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("roles");
  auto agent = f.registerAgent(f.enrollmentToken(pool), "roles-agent");
  auto viewer = f.operatorToken("viewer");

  CHECK(f.api.get("/api/v1/agents", viewer.token).status == 200);
  CHECK(f.api.get("/api/v1/agent-pools/" + pool, viewer.token).status == 200);
  CHECK(f.api.get("/api/v1/commands", viewer.token).status == 200);
  CHECK(f.api.get("/api/v1/audit", viewer.token).status == 200);

  auto create = f.api.post("/api/v1/agent-pools", viewer.token, {{"name", "nope"}});
  CHECK(create.status == 403);
  CHECK(create.errorCode() == "permission_denied");
  auto enqueue = f.api.post("/api/v1/commands", viewer.token,
                            {{"target", {{"agent_id", agent.id}}}, {"action", "noop"}});
  CHECK(enqueue.status == 403);
  CHECK(enqueue.errorCode() == "permission_denied");
  auto drain = f.api.put("/api/v1/agents/" + agent.id, viewer.token, {{"drain", true}});
  CHECK(drain.status == 403);
  CHECK(f.api.get("/api/v1/tokens", viewer.token).status == 403);

  // Nothing changed.
  CHECK(f.api.get("/api/v1/agent-pools", f.admin()).json()["items"].size() == 1);
  CHECK(f.agentView(agent.id)["drain"] == false);
}

TEST_CASE("an operator manages the fleet but not operator tokens", "[integration]") {
  FleetFixture f;
  auto op = f.operatorToken("operator");
  auto pool = f.api.post("/api/v1/agent-pools", op.token, {{"name", "by-operator"}});
  CHECK(pool.status == 201);

  auto token = f.api.post("/api/v1/tokens", op.token, {{"role", "viewer"}});
  CHECK(token.status == 403);
  CHECK(token.errorCode() == "permission_denied");
  auto list = f.api.get("/api/v1/tokens", op.token);
  CHECK(list.status == 403);
  auto revoke_admin = f.api.del("/api/v1/tokens/" + op.id, op.token);
  CHECK(revoke_admin.status == 403);
  CHECK(f.api.get("/api/v1/agents", op.token).status == 200);
}

TEST_CASE("a request without a usable operator token is refused with 401", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("anon");

  auto none = f.api.get("/api/v1/agents", "");
  CHECK(none.status == 401);
  CHECK(none.errorCode() == "unauthenticated");
  CHECK(none.headers["WWW-Authenticate"] == "Bearer");

  for (const std::string& token : {std::string("crl_op_unknown"), agent.token}) {
    INFO("token: " << token);
    auto r = f.api.get("/api/v1/agents", token);
    CHECK(r.status == 401);
    CHECK(r.errorCode() == "unauthenticated");
  }
  // The agent routes refuse an operator token the same way.
  auto poll = f.api.get("/api/v1/agent/commands?wait=0", f.admin());
  CHECK(poll.status == 401);
  CHECK(poll.errorCode() == "unauthenticated");
}
