// Every change an operator or agent makes is in the audit log, newest first.

#include <algorithm>

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;

namespace {

// Every entry of the log, following `continue` from page to page.
std::vector<Json> allEntries(FleetFixture& f, const std::string& query, int limit) {
  std::vector<Json> entries;
  std::string next;
  for (int page = 0; page < 100; ++page) {
    std::string path = "/api/v1/audit?limit=" + std::to_string(limit) + query;
    if (!next.empty()) {
      path += "&continue=" + next;
    }
    auto r = f.api.get(path, f.admin());
    REQUIRE(r.status == 200);
    Json items = r.json()["items"];
    REQUIRE(static_cast<int>(items.size()) <= limit);
    entries.insert(entries.end(), items.begin(), items.end());
    if (r.json()["continue"].is_null()) {
      break;
    }
    next = r.json()["continue"].get<std::string>();
  }
  return entries;
}

// Position of the newest entry with this action and target, or -1.
int positionOf(const std::vector<Json>& entries, const std::string& action,
               const std::string& target) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i]["action"] == action && entries[i]["target"] == target) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("the audit log records each mutation, newest first, page by page", "[integration]") {
  FleetFixture f;
  std::string pool = f.createPool("audited");
  auto agent = f.registerAgent(f.enrollmentToken(pool), "audited-agent");
  std::string id = f.enqueueFor(agent, "noop");
  REQUIRE(f.api.post("/api/v1/commands/" + id + "/cancel", f.admin(), {}).status == 200);
  auto viewer = f.operatorToken("viewer");
  REQUIRE(f.api.del("/api/v1/tokens/" + viewer.id, f.admin()).status == 204);
  // A refused request changes nothing and is not recorded.
  REQUIRE(f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "audited"}}).status == 409);

  std::vector<Json> entries = allEntries(f, "", 500);
  REQUIRE(entries.size() >= 7);
  for (size_t i = 1; i < entries.size(); ++i) {
    CHECK(entries[i - 1]["seq"].get<int64_t>() > entries[i]["seq"].get<int64_t>());
  }
  CHECK(entries[0]["action"] == "operator_token.revoke");
  CHECK(entries[0]["target"] == viewer.id);

  int pool_create = positionOf(entries, "pool.create", pool);
  int agent_register = positionOf(entries, "agent.register", agent.id);
  int command_create = positionOf(entries, "command.create", id);
  int command_cancel = positionOf(entries, "command.cancel", id);
  int token_create = positionOf(entries, "operator_token.create", viewer.id);
  int token_revoke = positionOf(entries, "operator_token.revoke", viewer.id);
  CHECK(pool_create > agent_register);
  CHECK(agent_register > command_create);
  CHECK(command_create > command_cancel);
  CHECK(command_cancel > token_create);
  CHECK(token_create > token_revoke);
  CHECK(token_revoke == 0);
  CHECK(std::count_if(entries.begin(), entries.end(),
                      [](const Json& e) { return e["action"] == "pool.create"; }) == 1);

  // Operator actions name the operator token and where the call came from.
  REQUIRE(command_create >= 0);
  const Json& created = entries[static_cast<size_t>(command_create)];
  CHECK(created["actor"].get<std::string>().rfind("tok_", 0) == 0);
  CHECK(created["remote_addr"] == "127.0.0.1");
  CHECK(created["details"]["action"] == "noop");
  CHECK(created["at"].is_string());

  // Small pages give the same entries in the same order.
  std::vector<Json> paged = allEntries(f, "", 2);
  CHECK(paged == entries);

  // An action prefix narrows the log.
  std::vector<Json> commands = allEntries(f, "&action=command.", 500);
  REQUIRE(commands.size() == 2);
  CHECK(commands[0]["action"] == "command.cancel");
  CHECK(commands[1]["action"] == "command.create");

  auto bad = f.api.get("/api/v1/audit?continue=abc", f.admin());
  CHECK(bad.status == 422);
  CHECK(bad.errorCode() == "invalid_argument");
}
