// Requests the master must refuse with the right status and error code, without harm.

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::ApiResponse;
using corral::testing::FleetFixture;
using corral::testing::withConfig;

namespace {

void checkRefused(const ApiResponse& r, int status, const std::string& code) {
  CHECK(r.status == status);
  CHECK(r.errorCode() == code);
  CHECK_FALSE(r.json()["error"]["message"].get<std::string>().empty());
}

// The message of a refusal names the field (or query parameter) at fault.
void checkNames(const ApiResponse& r, const std::string& field) {
  INFO(r.body);
  CHECK(r.json()["error"]["message"].get<std::string>().find("'" + field + "'") !=
        std::string::npos);
}

}  // namespace

TEST_CASE("malformed bodies are refused by what is wrong with them", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("bodies");
  std::string enrollment = f.enrollmentToken(pool);
  auto agent = f.registerAgent(enrollment, "bodies-agent");

  {
    INFO("not JSON");
    checkRefused(
        f.api.raw("POST", "/api/v1/agent-pools", f.admin(), "{\"name\": ", "application/json"), 400,
        "bad_request");
    checkRefused(f.api.raw("POST", "/api/v1/agent/heartbeat", agent.token, "not json at all",
                           "application/json"),
                 400, "bad_request");
  }
  {
    INFO("not an object");
    auto r = f.api.raw("POST", "/api/v1/commands", f.admin(), "[1, 2]", "application/json");
    checkRefused(r, 422, "invalid_argument");
  }
  {
    INFO("the wrong content type");
    checkRefused(
        f.api.raw("POST", "/api/v1/agent-pools", f.admin(), R"({"name": "x"})", "text/plain"), 415,
        "unsupported_media_type");
    checkRefused(f.api.raw("POST", "/api/v1/agent/register", enrollment,
                           f.registerBody("plain").dump(), "application/x-www-form-urlencoded"),
                 415, "unsupported_media_type");
  }
  {
    INFO("a body over the default limit of 1 MiB");
    std::string big(size_t(1) << 20, 'x');
    auto r = f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "big"}, {"description", big}});
    checkRefused(r, 413, "payload_too_large");
    // Just under the limit is read, and refused for what it says instead.
    std::string under((size_t(1) << 20) - 64, 'x');
    auto fits =
        f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "big"}, {"description", under}});
    checkRefused(fits, 422, "invalid_argument");
    checkNames(fits, "description");
  }
  {
    INFO("a field of the wrong type");
    auto pool_name = f.api.post("/api/v1/agent-pools", f.admin(), {{"name", 5}});
    checkRefused(pool_name, 422, "invalid_argument");
    checkNames(pool_name, "name");
    auto slots = f.api.post("/api/v1/agent-pools", f.admin(),
                            {{"name", "typed"}, {"slots_per_agent", "three"}});
    checkRefused(slots, 422, "invalid_argument");
    checkNames(slots, "slots_per_agent");
    auto action = f.enqueue({{"target", {{"agent_id", agent.id}}}, {"action", Json::array()}});
    checkRefused(action, 422, "invalid_argument");
    checkNames(action, "action");
    auto target = f.enqueue({{"target", {{"agent_id", 7}}}, {"action", "x"}});
    checkRefused(target, 422, "invalid_argument");
    checkNames(target, "target.agent_id");
    auto fence = f.api.post("/api/v1/agent/commands/cmd_x/result", agent.token,
                            {{"fence", "1"}, {"success", true}});
    checkRefused(fence, 422, "invalid_argument");
    checkNames(fence, "fence");
    auto missing = f.api.post("/api/v1/agent/register", enrollment, {{"type", "host"}});
    checkRefused(missing, 422, "invalid_argument");
    checkNames(missing, "name");
  }
  {
    INFO("values out of range");
    auto slots =
        f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "ranged"}, {"slots_per_agent", 0}});
    checkRefused(slots, 422, "invalid_argument");
    checkNames(slots, "slots_per_agent");
    auto timeout =
        f.enqueue({{"target", {{"agent_id", agent.id}}}, {"action", "x"}, {"timeout_s", 0}});
    checkRefused(timeout, 422, "invalid_argument");
    checkNames(timeout, "timeout_s");
    auto deadline =
        f.enqueue({{"target", {{"agent_id", agent.id}}}, {"action", "x"}, {"deadline_s", -1}});
    checkRefused(deadline, 422, "invalid_argument");
    checkNames(deadline, "deadline_s");
    Json too_many_slots = f.registerBody("ranged");
    too_many_slots["slots"] = 65;
    auto agent_slots = f.api.post("/api/v1/agent/register", enrollment, too_many_slots);
    checkRefused(agent_slots, 422, "invalid_argument");
    auto heartbeat =
        f.api.post("/api/v1/agent/heartbeat", agent.token, {{"slots_total", 2}, {"slots_used", 3}});
    checkRefused(heartbeat, 422, "invalid_argument");
    checkNames(heartbeat, "slots_used");
    auto expiry =
        f.api.post("/api/v1/agent-pools/" + pool + "/tokens", f.admin(), {{"expires_in_s", 0}});
    checkRefused(expiry, 422, "invalid_argument");
    auto role = f.api.post("/api/v1/tokens", f.admin(), {{"role", "root"}});
    checkRefused(role, 422, "invalid_argument");
    checkNames(role, "role");
  }
  {
    INFO("query parameters out of range");
    for (const char* query : {"wait=999", "wait=-1", "wait=soon", "max=0", "max=65"}) {
      INFO(query);
      checkRefused(f.api.get("/api/v1/agent/commands?" + std::string(query), agent.token), 422,
                   "invalid_argument");
    }
    checkRefused(f.api.get("/api/v1/agents?limit=0", f.admin()), 422, "invalid_argument");
    checkRefused(f.api.get("/api/v1/agent-pools?limit=501", f.admin()), 422, "invalid_argument");
    checkRefused(f.api.get("/api/v1/commands?state=sleeping", f.admin()), 422, "invalid_argument");
    std::string id = f.enqueueFor(agent, "x");
    checkRefused(f.api.get("/api/v1/commands/" + id + "?wait=999", f.admin()), 422,
                 "invalid_argument");
  }
  {
    INFO("two targets in one command");
    size_t before = f.api.get("/api/v1/commands", f.admin()).json()["items"].size();
    auto both =
        f.enqueue({{"target", {{"agent_id", agent.id}, {"pool_id", pool}}}, {"action", "x"}});
    checkRefused(both, 422, "invalid_argument");
    checkNames(both, "target");
    auto none = f.enqueue({{"action", "x"}});
    checkRefused(none, 422, "invalid_argument");
    CHECK(f.api.get("/api/v1/commands", f.admin()).json()["items"].size() == before);
  }
  {
    INFO("unknown ids");
    checkRefused(f.api.get("/api/v1/agents/agt_nope", f.admin()), 404, "not_found");
    checkRefused(f.api.put("/api/v1/agents/agt_nope", f.admin(), {{"description", "x"}}), 404,
                 "not_found");
    checkRefused(f.api.del("/api/v1/agents/agt_nope", f.admin()), 404, "not_found");
    checkRefused(f.api.get("/api/v1/agent-pools/pool_nope", f.admin()), 404, "not_found");
    checkRefused(f.api.put("/api/v1/agent-pools/pool_nope", f.admin(), {{"description", "x"}}), 404,
                 "not_found");
    checkRefused(f.api.post("/api/v1/agent-pools/pool_nope/tokens", f.admin(), Json::object()), 404,
                 "not_found");
    checkRefused(f.api.get("/api/v1/commands/cmd_nope", f.admin()), 404, "not_found");
    checkRefused(f.api.get("/api/v1/commands/cmd_nope?wait=5", f.admin()), 404, "not_found");
    checkRefused(f.api.del("/api/v1/tokens/tok_nope", f.admin()), 404, "not_found");
    checkRefused(f.api.del("/api/v1/agent-pools/" + pool + "/tokens/tok_nope", f.admin()), 404,
                 "not_found");
    checkRefused(f.enqueue({{"target", {{"agent_id", "agt_nope"}}}, {"action", "x"}}), 404,
                 "not_found");
    checkRefused(f.enqueue({{"target", {{"pool_id", "pool_nope"}}}, {"action", "x"}}), 404,
                 "not_found");
    checkRefused(f.api.post("/api/v1/agent/commands/cmd_nope/result", agent.token,
                            {{"fence", 1}, {"success", true}}),
                 404, "not_found");
  }
  {
    INFO("state conflicts");
    checkRefused(f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "bodies"}}), 409,
                 "conflict");
    checkRefused(f.api.del("/api/v1/agent-pools/" + pool, f.admin()), 409, "conflict");
    CHECK(f.api.get("/api/v1/agent-pools/" + pool, f.admin()).status == 200);
  }
  {
    INFO("unknown routes");
    checkRefused(f.api.get("/api/v1/nothing-here", f.admin()), 404, "not_found");
    checkRefused(f.api.get("/api/v2/agents", f.admin()), 404, "not_found");
    checkRefused(f.api.post("/api/v1/agent/nothing-here", agent.token, Json::object()), 404,
                 "not_found");
  }

  // Whatever was thrown at it, the master is still serving.
  CHECK(f.api.get("/healthz", "").status == 200);
  CHECK(f.api.get("/readyz", "").status == 200);
  CHECK(f.poll(agent, 0).status != 0);
}

TEST_CASE("a configured body limit is enforced", "[integration]") {
  FleetFixture f(withConfig("http: {max_body_bytes: 2048}\n"));
  std::string text(4096, 'x');
  auto r = f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "big"}, {"description", text}});
  CHECK(r.status == 413);
  CHECK(r.errorCode() == "payload_too_large");
  auto small = f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "small"}});
  CHECK(small.status == 201);
  CHECK(f.api.get("/healthz", "").status == 200);
}
