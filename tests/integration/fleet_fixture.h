#pragma once

// A running master plus helpers to create pools, enrollment tokens and registered agents over
// the real API. Helpers REQUIRE success, so a test reads as the behaviour it checks.

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/api_client.h"
#include "tests/support/file_text.h"
#include "tests/support/master_process.h"

namespace corral::testing {

struct RegisteredAgent {
  std::string id;
  std::string token;
};

struct OperatorToken {
  std::string id;
  std::string token;
};

// Leases that end after the command's timeout_s, checked every 50 ms. Agents keep the default
// offline_after, so an agent that stops polling does not go offline in the middle of a test.
inline constexpr const char* kFastLeases =
    "queue: {lease_grace: 0s}\n"
    "monitor: {interval: 50ms}\n";

// Fast leases, and agents offline after 2 s of silence.
inline constexpr const char* kFastTimings =
    "agents: {offline_after: 2s}\n"
    "queue: {lease_grace: 0s}\n"
    "monitor: {interval: 50ms}\n";

inline MasterProcess::Options withConfig(std::string yaml) {
  MasterProcess::Options options;
  options.config_yaml = std::move(yaml);
  return options;
}

inline std::vector<std::string> idsOf(const Json& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) {
    ids.push_back(item["id"].get<std::string>());
  }
  return ids;
}

class FleetFixture {
 public:
  explicit FleetFixture(MasterProcess::Options options = {})
      : master(std::move(options)), api("127.0.0.1", master.port()) {}

  const std::string& admin() const { return master.adminToken(); }

  std::string createPool(const std::string& name, Json extra = Json::object()) {
    extra["name"] = name;
    auto r = api.post("/api/v1/agent-pools", admin(), extra);
    REQUIRE(r.status == 201);
    return r.json()["id"].get<std::string>();
  }

  std::string enrollmentToken(const std::string& pool_id, const Json& body = Json::object()) {
    auto r = api.post("/api/v1/agent-pools/" + pool_id + "/tokens", admin(), body);
    REQUIRE(r.status == 201);
    return r.json()["token"].get<std::string>();
  }

  Json registerBody(const std::string& name, Json labels = Json::object()) const {
    return {{"name", name},
            {"type", "host"},
            {"protocol_version", "1.0"},
            {"labels", labels},
            {"slots", 3}};
  }

  RegisteredAgent registerAgent(const std::string& enrollment, const std::string& name,
                                Json labels = Json::object()) {
    auto r = api.post("/api/v1/agent/register", enrollment, registerBody(name, std::move(labels)));
    REQUIRE(r.status == 201);
    return {r.json()["agent_id"].get<std::string>(), r.json()["agent_token"].get<std::string>()};
  }

  // A pool with one registered agent.
  RegisteredAgent poolWithAgent(const std::string& pool_name, std::string* pool_id = nullptr) {
    std::string pool = createPool(pool_name);
    if (pool_id != nullptr) {
      *pool_id = pool;
    }
    return registerAgent(enrollmentToken(pool), pool_name + "-agent");
  }

  ApiResponse enqueue(const Json& body) { return api.post("/api/v1/commands", admin(), body); }

  // Enqueues a command that must be created; returns its id.
  std::string enqueueId(const Json& body) {
    auto r = enqueue(body);
    REQUIRE(r.status == 201);
    return r.json()["id"].get<std::string>();
  }

  std::string enqueueFor(const RegisteredAgent& agent, const std::string& action,
                         Json extra = Json::object()) {
    extra["target"] = {{"agent_id", agent.id}};
    extra["action"] = action;
    return enqueueId(extra);
  }

  ApiResponse poll(const RegisteredAgent& agent, int wait_s, int max = 1) {
    return api.get(
        "/api/v1/agent/commands?wait=" + std::to_string(wait_s) + "&max=" + std::to_string(max),
        agent.token);
  }

  // A poll on its own thread, for tests that act while it is parked.
  std::future<ApiResponse> pollAsync(const RegisteredAgent& agent, int wait_s, int max = 1) {
    return std::async(std::launch::async,
                      [this, agent, wait_s, max] { return poll(agent, wait_s, max); });
  }

  // The commands of a poll that must deliver some.
  Json pollCommands(const RegisteredAgent& agent, int wait_s, int max = 1) {
    auto r = poll(agent, wait_s, max);
    REQUIRE(r.status == 200);
    return r.json()["commands"];
  }

  // The command as operators see it; with `wait_s`, once it ended or the wait ran out.
  Json command(const std::string& id, int wait_s = 0) {
    auto r = api.get("/api/v1/commands/" + id + "?wait=" + std::to_string(wait_s), admin());
    REQUIRE(r.status == 200);
    return r.json();
  }

  Json agentView(const std::string& agent_id) {
    auto r = api.get("/api/v1/agents/" + agent_id, admin());
    REQUIRE(r.status == 200);
    return r.json();
  }

  ApiResponse report(const RegisteredAgent& agent, const std::string& command_id, int64_t fence,
                     bool success) {
    return api.post("/api/v1/agent/commands/" + command_id + "/result", agent.token,
                    {{"fence", fence}, {"success", success}});
  }

  OperatorToken operatorToken(const std::string& role) {
    auto r = api.post("/api/v1/tokens", admin(), {{"name", role + " for tests"}, {"role", role}});
    REQUIRE(r.status == 201);
    return {r.json()["id"].get<std::string>(), r.json()["token"].get<std::string>()};
  }

  // Waits until the master has a long-poll of the agent parked: each round asks the master,
  // and the deadline bounds the whole wait.
  bool waitUntilPolling(const std::string& agent_id,
                        std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      auto r = api.get("/api/v1/agents/" + agent_id + "/status", admin());
      if (r.status == 200 && r.json()["polling"] == true) {
        return true;
      }
    }
    return false;
  }

  // Waits until at least `count` requests are parked on the master (polls and command waits).
  bool waitUntilParked(int count, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      auto r = api.get("/readyz", "");
      if (r.status == 200 && r.json()["parked_polls"].get<int>() >= count) {
        return true;
      }
    }
    return false;
  }

  MasterProcess master;
  ApiClient api;
};

}  // namespace corral::testing
