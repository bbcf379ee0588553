#pragma once

// A running master plus helpers to create pools, enrollment tokens and registered agents over
// the real API. Helpers REQUIRE success, so a test reads as the behaviour it checks.

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/api_client.h"
#include "tests/support/master_process.h"

namespace corral::testing {

struct RegisteredAgent {
  std::string id;
  std::string token;
};

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

  std::string enrollmentToken(const std::string& pool_id, Json body = Json::object()) {
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
    auto r = api.post("/api/v1/agent/register", enrollment, registerBody(name, labels));
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

  ApiResponse poll(const RegisteredAgent& agent, int wait_s, int max = 1) {
    return api.get("/api/v1/agent/commands?wait=" + std::to_string(wait_s) +
                       "&max=" + std::to_string(max),
                   agent.token);
  }

  MasterProcess master;
  ApiClient api;
};

}  // namespace corral::testing
