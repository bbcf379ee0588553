// Agent registration and the enrollment tokens that allow it.

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;

namespace {

constexpr const char* kRegister = "/api/v1/agent/register";

}  // namespace

TEST_CASE("registration creates an agent with its token and the master's intervals",
          "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("reg");
  auto r = f.api.post(kRegister, f.enrollmentToken(pool), f.registerBody("host-1"));
  REQUIRE(r.status == 201);
  Json body = r.json();
  CHECK(body["agent_id"].get<std::string>().rfind("agt_", 0) == 0);
  CHECK(body["agent_token"].get<std::string>().rfind("crl_agt_", 0) == 0);
  CHECK(body["pool_id"] == pool);
  CHECK(body["protocol_version"] == "1.0");
  CHECK(body["heartbeat_interval_s"] == 15);
  CHECK(body["poll_wait_s"] == 30);
  CHECK(body["snapshot_interval_s"] == 30);
  CHECK(body["offline_after_s"] == 45);

  Json agent = f.agentView(body["agent_id"]);
  CHECK(agent["name"] == "host-1");
  CHECK(agent["pool_id"] == pool);
  CHECK(agent["status"] == "online");
}

TEST_CASE("re-registration with the previous token keeps the agent and replaces its token",
          "[integration]") {
  FleetFixture f;
  std::string enrollment = f.enrollmentToken(f.createPool("rereg"));
  auto first = f.registerAgent(enrollment, "host-1");

  Json again = f.registerBody("host-1", {{"zone", "b"}});
  again["previous_token"] = first.token;
  auto r = f.api.post(kRegister, enrollment, again);
  REQUIRE(r.status == 200);
  CHECK(r.json()["agent_id"] == first.id);
  corral::testing::RegisteredAgent second{first.id, r.json()["agent_token"].get<std::string>()};
  CHECK(second.token != first.token);
  CHECK(f.agentView(first.id)["labels"] == Json{{"zone", "b"}});

  auto old_poll = f.poll(first, 0);
  CHECK(old_poll.status == 401);
  CHECK(old_poll.errorCode() == "unauthenticated");
  CHECK(f.poll(second, 0).status == 204);

  // The replaced token no longer proves the name either.
  Json with_old = f.registerBody("host-1");
  with_old["previous_token"] = first.token;
  auto stale = f.api.post(kRegister, enrollment, with_old);
  CHECK(stale.status == 409);
  CHECK(stale.errorCode() == "conflict");
}

TEST_CASE("registering a taken name without the previous token is a conflict", "[integration]") {
  FleetFixture f;
  std::string enrollment = f.enrollmentToken(f.createPool("taken"));
  auto first = f.registerAgent(enrollment, "host-1");
  auto r = f.api.post(kRegister, enrollment, f.registerBody("host-1"));
  CHECK(r.status == 409);
  CHECK(r.errorCode() == "conflict");
  // The first agent is untouched.
  CHECK(f.poll(first, 0).status == 204);

  // The same name in another pool is a different agent.
  auto other =
      f.api.post(kRegister, f.enrollmentToken(f.createPool("taken-2")), f.registerBody("host-1"));
  CHECK(other.status == 201);
}

TEST_CASE("registration refuses unknown, wrong-kind and missing tokens with 401", "[integration]") {
  FleetFixture f;
  std::string enrollment = f.enrollmentToken(f.createPool("auth"));
  auto agent = f.registerAgent(enrollment, "host-1");
  Json body = f.registerBody("host-2");

  for (const std::string& token : {std::string("crl_enr_doesnotexist"), std::string("garbage"),
                                   std::string(), f.admin(), agent.token}) {
    INFO("token: " << token);
    auto r = f.api.post(kRegister, token, body);
    CHECK(r.status == 401);
    CHECK(r.errorCode() == "unauthenticated");
  }
  // None of the refusals registered anything.
  auto list = f.api.get("/api/v1/agents", f.admin());
  REQUIRE(list.status == 200);
  CHECK(list.json()["items"].size() == 1);
}

TEST_CASE("registration with another protocol major is refused naming protocol_version",
          "[integration]") {
  FleetFixture f;
  std::string enrollment = f.enrollmentToken(f.createPool("proto"));
  Json body = f.registerBody("host-1");
  for (const char* version : {"2.0", "one", ""}) {
    INFO("protocol_version: " << version);
    body["protocol_version"] = version;
    auto r = f.api.post(kRegister, enrollment, body);
    CHECK(r.status == 422);
    CHECK(r.errorCode() == "invalid_argument");
    CHECK(r.json()["error"]["message"].get<std::string>().find("protocol") != std::string::npos);
  }
  body["protocol_version"] = "1.7";  // a newer minor of the same major is fine
  CHECK(f.api.post(kRegister, enrollment, body).status == 201);
}

TEST_CASE("an enrollment token limited to one use refuses the second registration",
          "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("once");
  std::string enrollment = f.enrollmentToken(pool, {{"max_uses", 1}, {"name", "single"}});
  CHECK(f.api.post(kRegister, enrollment, f.registerBody("host-1")).status == 201);
  auto second = f.api.post(kRegister, enrollment, f.registerBody("host-2"));
  CHECK(second.status == 401);
  CHECK(second.errorCode() == "unauthenticated");

  // The listing shows how often the token was used, and never its secret.
  auto list = f.api.get("/api/v1/agent-pools/" + pool + "/tokens", f.admin());
  REQUIRE(list.status == 200);
  Json items = list.json()["items"];
  REQUIRE(items.size() == 1);
  CHECK(items[0]["name"] == "single");
  CHECK(items[0]["use_count"] == 1);
  CHECK(items[0]["max_uses"] == 1);
  CHECK(items[0]["pool_id"] == pool);
  CHECK_FALSE(items[0].contains("token"));
  CHECK(list.body.find(enrollment) == std::string::npos);
  CHECK(list.body.find(enrollment.substr(0, 16)) == std::string::npos);
}

TEST_CASE("a revoked enrollment token cannot register", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("revoked");
  auto created = f.api.post("/api/v1/agent-pools/" + pool + "/tokens", f.admin(), Json::object());
  REQUIRE(created.status == 201);
  std::string token_id = created.json()["id"];
  std::string secret = created.json()["token"];
  CHECK(f.api.post(kRegister, secret, f.registerBody("host-1")).status == 201);

  auto revoke = f.api.del("/api/v1/agent-pools/" + pool + "/tokens/" + token_id, f.admin());
  CHECK(revoke.status == 204);
  auto r = f.api.post(kRegister, secret, f.registerBody("host-2"));
  CHECK(r.status == 401);
  CHECK(r.errorCode() == "unauthenticated");

  auto list = f.api.get("/api/v1/agent-pools/" + pool + "/tokens", f.admin());
  REQUIRE(list.status == 200);
  REQUIRE(list.json()["items"].size() == 1);
  CHECK(list.json()["items"][0]["revoked"] == true);
  CHECK(list.json()["items"][0]["use_count"] == 1);

  // A token is only revoked through the pool it belongs to.
  std::string other = f.createPool("revoked-other");
  auto created_other =
      f.api.post("/api/v1/agent-pools/" + other + "/tokens", f.admin(), Json::object());
  REQUIRE(created_other.status == 201);
  auto wrong_pool = f.api.del(
      "/api/v1/agent-pools/" + pool + "/tokens/" + created_other.json()["id"].get<std::string>(),
      f.admin());
  CHECK(wrong_pool.status == 404);
  CHECK(wrong_pool.errorCode() == "not_found");
}

TEST_CASE("an expired enrollment token cannot register", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("expiring");
  auto waiter = f.registerAgent(f.enrollmentToken(pool), "waiter");
  std::string expiring = f.enrollmentToken(pool, {{"expires_in_s", 1}});
  // Let the token's second pass on the master's clock: an idle long-poll holds for 2 s.
  REQUIRE(f.poll(waiter, 2).status == 204);
  auto r = f.api.post(kRegister, expiring, f.registerBody("late"));
  CHECK(r.status == 401);
  CHECK(r.errorCode() == "unauthenticated");
  CHECK(r.json()["error"]["message"].get<std::string>().find("expired") != std::string::npos);
}
