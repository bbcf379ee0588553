#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "master/store/store.h"
#include "tests/master/support/store_fixture.h"

namespace corral::master {
namespace {

using testing::readValue;
using testing::StoreFixture;
using testing::writeValue;

constexpr int64_t kNow = 1'767'225'600'000;

CommandRecord newCommand(const std::string& id, const std::string& agent_id,
                         const std::string& idempotency_key = "") {
  CommandRecord c;
  c.id = id;
  c.target_type = "agent";
  c.target_agent_id = agent_id;
  c.agent_id = agent_id;
  c.action = "plan";
  c.deadline = kNow + 60'000;
  c.idempotency_key = idempotency_key;
  c.created_at = kNow;
  c.updated_at = kNow;
  return c;
}

Status insertCommand(Store& store, CommandRecord& c) {
  return store.write([&](StoreTx& tx) { return tx.commands().insert(c); });
}

std::vector<std::string> poolNames(Store& store, const Page& page) {
  auto pools =
      readValue<std::vector<Pool>>(store, [&](StoreTx& tx) { return tx.pools().list(page); });
  REQUIRE_OK(pools);
  std::vector<std::string> names;
  for (const auto& p : *pools) {
    names.push_back(p.name);
  }
  return names;
}

std::vector<std::string> agentIds(Store& store, const AgentFilter& filter, const Page& page) {
  auto agents = readValue<std::vector<Agent>>(
      store, [&](StoreTx& tx) { return tx.agents().list(filter, page); });
  REQUIRE_OK(agents);
  std::vector<std::string> ids;
  for (const auto& a : *agents) {
    ids.push_back(a.id);
  }
  return ids;
}

std::vector<std::string> ids(const std::vector<Agent>& agents) {
  std::vector<std::string> out;
  for (const auto& a : agents) {
    out.push_back(a.id);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// pools

TEST_CASE("a second pool with a taken name is refused with kConflict", "[store][pools]") {
  StoreFixture f;
  f.addPool("builders");
  Pool again;
  again.id = "pool_other";
  again.name = "builders";
  Status inserted = f.store().write([&](StoreTx& tx) { return tx.pools().insert(again); });
  CHECK(inserted.code() == ErrorCode::kConflict);
  CHECK(inserted.message().find("builders") != std::string::npos);

  // Renaming onto a taken name is the same conflict.
  Pool other = f.addPool("testers");
  other.name = "builders";
  Status renamed = f.store().write([&](StoreTx& tx) { return tx.pools().update(other); });
  CHECK(renamed.code() == ErrorCode::kConflict);
  CHECK(poolNames(f.store(), Page{}) == std::vector<std::string>{"builders", "testers"});
}

TEST_CASE("an unknown pool id is kNotFound for get, update and remove", "[store][pools]") {
  StoreFixture f;
  Pool ghost;
  ghost.id = "pool_ghost";
  ghost.name = "ghost";
  CHECK(readValue<Pool>(f.store(), [](StoreTx& tx) { return tx.pools().get("pool_ghost"); })
            .status()
            .code() == ErrorCode::kNotFound);
  CHECK(f.store().write([&](StoreTx& tx) { return tx.pools().update(ghost); }).code() ==
        ErrorCode::kNotFound);
  CHECK(f.store().write([](StoreTx& tx) { return tx.pools().remove("pool_ghost"); }).code() ==
        ErrorCode::kNotFound);
}

TEST_CASE("pools list in name order and page after the last name seen", "[store][pools]") {
  StoreFixture f;
  for (const char* name : {"delta", "alpha", "echo", "charlie", "bravo"}) {
    f.addPool(name);
  }
  CHECK(poolNames(f.store(), Page{"", 2}) == std::vector<std::string>{"alpha", "bravo"});
  CHECK(poolNames(f.store(), Page{"bravo", 2}) == std::vector<std::string>{"charlie", "delta"});
  CHECK(poolNames(f.store(), Page{"delta", 2}) == std::vector<std::string>{"echo"});
  CHECK(poolNames(f.store(), Page{"echo", 2}).empty());
}

TEST_CASE("countAgents counts the agents of one pool", "[store][pools]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  Pool b = f.addPool("b");
  f.addAgent(a.id, "agt_1");
  f.addAgent(a.id, "agt_2");
  f.addAgent(b.id, "agt_3");
  auto count =
      readValue<int64_t>(f.store(), [&](StoreTx& tx) { return tx.pools().countAgents(a.id); });
  REQUIRE_OK(count);
  CHECK(*count == 2);
}

// ---------------------------------------------------------------------------------------------
// agents

TEST_CASE("an agent name is unique within its pool only", "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  Pool b = f.addPool("b");
  f.addAgent(a.id, "agt_1", [](Agent& ag) { ag.name = "runner"; });
  f.addAgent(b.id, "agt_2", [](Agent& ag) { ag.name = "runner"; });
  Agent clash;
  clash.id = "agt_3";
  clash.pool_id = a.id;
  clash.name = "runner";
  CHECK(f.store().write([&](StoreTx& tx) { return tx.agents().insert(clash); }).code() ==
        ErrorCode::kConflict);

  auto found = readValue<std::optional<Agent>>(
      f.store(), [&](StoreTx& tx) { return tx.agents().findByName(b.id, "runner"); });
  REQUIRE_OK(found);
  REQUIRE(found->has_value());
  CHECK((*found)->id == "agt_2");
}

TEST_CASE("agents list in id order, filter and page after the last id seen", "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  Pool b = f.addPool("b");
  f.addAgent(a.id, "agt_4", [](Agent& ag) { ag.labels = {{"zone", "x"}}; });
  f.addAgent(a.id, "agt_1", [](Agent& ag) { ag.labels = {{"zone", "x"}}; });
  f.addAgent(b.id, "agt_3", [](Agent& ag) { ag.status = "offline"; });
  f.addAgent(a.id, "agt_2", [](Agent& ag) { ag.labels = {{"zone", "y"}}; });
  f.addAgent(a.id, "agt_5", [](Agent& ag) { ag.labels = {{"zone", "x"}}; });

  using Ids = std::vector<std::string>;
  CHECK(agentIds(f.store(), {}, Page{"", 2}) == Ids{"agt_1", "agt_2"});
  CHECK(agentIds(f.store(), {}, Page{"agt_2", 2}) == Ids{"agt_3", "agt_4"});
  CHECK(agentIds(f.store(), {}, Page{"agt_4", 2}) == Ids{"agt_5"});

  AgentFilter in_b;
  in_b.pool_id = b.id;
  CHECK(agentIds(f.store(), in_b, Page{}) == Ids{"agt_3"});
  AgentFilter offline;
  offline.status = "offline";
  CHECK(agentIds(f.store(), offline, Page{}) == Ids{"agt_3"});

  // A label filter still fills the page with matching agents.
  AgentFilter zone_x;
  zone_x.labels = {{"zone", "x"}};
  CHECK(agentIds(f.store(), zone_x, Page{"", 2}) == Ids{"agt_1", "agt_4"});
  CHECK(agentIds(f.store(), zone_x, Page{"agt_4", 2}) == Ids{"agt_5"});
}

TEST_CASE("listLive leaves out offline agents", "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  f.addAgent(a.id, "agt_2", [](Agent& ag) { ag.status = "offline"; });
  f.addAgent(a.id, "agt_3", [](Agent& ag) { ag.status = "draining"; });
  auto live = readValue<std::vector<Agent>>(
      f.store(), [&](StoreTx& tx) { return tx.agents().listLive(a.id); });
  REQUIRE_OK(live);
  CHECK(ids(*live) == std::vector<std::string>{"agt_1", "agt_3"});
}

TEST_CASE("listSilentSince returns agents not offline whose last heartbeat is before the cutoff",
          "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_old", [](Agent& ag) { ag.last_heartbeat = 1000; });
  f.addAgent(a.id, "agt_edge", [](Agent& ag) { ag.last_heartbeat = 2000; });
  f.addAgent(a.id, "agt_new", [](Agent& ag) { ag.last_heartbeat = 3000; });
  f.addAgent(a.id, "agt_gone", [](Agent& ag) {
    ag.last_heartbeat = 500;
    ag.status = "offline";
  });
  f.addAgent(a.id, "agt_busy", [](Agent& ag) {
    ag.last_heartbeat = 1500;
    ag.status = "busy";
  });
  auto silent = readValue<std::vector<Agent>>(
      f.store(), [](StoreTx& tx) { return tx.agents().listSilentSince(2000); });
  REQUIRE_OK(silent);
  auto got = ids(*silent);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"agt_busy", "agt_old"});
}

TEST_CASE("touch records a sign of life and brings an offline agent back online",
          "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_off", [](Agent& ag) {
    ag.status = "offline";
    ag.last_heartbeat = 10;
  });
  f.addAgent(a.id, "agt_drain", [](Agent& ag) {
    ag.status = "draining";
    ag.last_heartbeat = 10;
  });
  REQUIRE_OK(f.store().write([](StoreTx& tx) -> Status {
    CORRAL_RETURN_IF_ERROR(tx.agents().touch("agt_off", 5000));
    return tx.agents().touch("agt_drain", 6000);
  }));
  Agent off = f.agent("agt_off");
  CHECK(off.status == "online");
  CHECK(off.last_heartbeat == 5000);
  // Only offline turns into online: any other status is the agent's or the operator's word.
  Agent drain = f.agent("agt_drain");
  CHECK(drain.status == "draining");
  CHECK(drain.last_heartbeat == 6000);
}

TEST_CASE("busyCounts counts each agent's queued, leased and running commands in the pool",
          "[store][agents]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  Pool b = f.addPool("b");
  f.addAgent(a.id, "agt_1");
  f.addAgent(a.id, "agt_2");
  f.addAgent(b.id, "agt_3");
  int n = 0;
  auto add = [&](const std::string& agent, CommandState state) {
    CommandRecord c = newCommand("cmd_" + std::to_string(++n), agent);
    c.state = state;
    REQUIRE_OK(insertCommand(f.store(), c));
  };
  add("agt_1", CommandState::kQueued);
  add("agt_1", CommandState::kLeased);
  add("agt_1", CommandState::kRunning);
  add("agt_1", CommandState::kSucceeded);
  add("agt_2", CommandState::kFailed);
  add("agt_3", CommandState::kRunning);
  auto busy = readValue<std::map<std::string, int>>(
      f.store(), [&](StoreTx& tx) { return tx.agents().busyCounts(a.id); });
  REQUIRE_OK(busy);
  CHECK(*busy == std::map<std::string, int>{{"agt_1", 3}});
}

// ---------------------------------------------------------------------------------------------
// commands

TEST_CASE("a second command with a taken idempotency key is refused with kConflict",
          "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  CommandRecord first = newCommand("cmd_1", "agt_1", "retry-me");
  REQUIRE_OK(insertCommand(f.store(), first));
  CHECK(first.seq > 0);
  CommandRecord second = newCommand("cmd_2", "agt_1", "retry-me");
  Status s = insertCommand(f.store(), second);
  CHECK(s.code() == ErrorCode::kConflict);
  CHECK(s.message().find("retry-me") != std::string::npos);

  auto found = readValue<std::optional<CommandRecord>>(
      f.store(), [](StoreTx& tx) { return tx.commands().findByIdempotencyKey("retry-me"); });
  REQUIRE_OK(found);
  REQUIRE(found->has_value());
  CHECK((*found)->id == "cmd_1");
}

TEST_CASE("commands without an idempotency key never conflict with each other",
          "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  for (int i = 0; i < 3; ++i) {
    CommandRecord c = newCommand("cmd_" + std::to_string(i), "agt_1");
    REQUIRE_OK(insertCommand(f.store(), c));
  }
  auto found = readValue<std::optional<CommandRecord>>(
      f.store(), [](StoreTx& tx) { return tx.commands().findByIdempotencyKey(""); });
  REQUIRE_OK(found);
  CHECK_FALSE(found->has_value());
}

TEST_CASE("commands list newest first and page after the last seq seen", "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  f.addAgent(a.id, "agt_2");
  std::vector<CommandRecord> made;
  for (int i = 0; i < 5; ++i) {
    CommandRecord c = newCommand("cmd_" + std::to_string(i), i % 2 == 0 ? "agt_1" : "agt_2");
    REQUIRE_OK(insertCommand(f.store(), c));
    made.push_back(c);
  }
  auto page = [&](const CommandFilter& filter, const Page& p) {
    auto listed = readValue<std::vector<CommandRecord>>(
        f.store(), [&](StoreTx& tx) { return tx.commands().list(filter, p); });
    REQUIRE_OK(listed);
    std::vector<std::string> out;
    for (const auto& c : *listed) {
      out.push_back(c.id);
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  CHECK(page({}, Page{"", 2}) == Ids{"cmd_4", "cmd_3"});
  CHECK(page({}, Page{std::to_string(made[3].seq), 2}) == Ids{"cmd_2", "cmd_1"});
  CHECK(page({}, Page{std::to_string(made[1].seq), 2}) == Ids{"cmd_0"});
  CHECK(page({}, Page{std::to_string(made[0].seq), 2}).empty());

  CommandFilter by_agent;
  by_agent.agent_id = "agt_2";
  CHECK(page(by_agent, Page{}) == Ids{"cmd_3", "cmd_1"});
}

TEST_CASE("a malformed page position is kInvalidArgument, not an internal error",
          "[store][commands]") {
  StoreFixture f;
  for (const char* after : {"abc", "12abc", "", "99999999999999999999999"}) {
    INFO(after);
    auto commands = readValue<std::vector<CommandRecord>>(f.store(), [&](StoreTx& tx) {
      return tx.commands().list({}, Page{after, 10});
    });
    auto audit = readValue<std::vector<AuditEntry>>(f.store(), [&](StoreTx& tx) {
      return tx.audit().list("", Page{after, 10});
    });
    if (std::string(after).empty()) {
      CHECK_OK(commands);
      CHECK_OK(audit);
    } else {
      CHECK(commands.status().code() == ErrorCode::kInvalidArgument);
      CHECK(audit.status().code() == ErrorCode::kInvalidArgument);
    }
  }
}

TEST_CASE("appendLog stores a chunk once, trims a retried overlap and refuses a gap",
          "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  CommandRecord c = newCommand("cmd_log", "agt_1");
  REQUIRE_OK(insertCommand(f.store(), c));
  auto append = [&](int64_t offset, const std::string& data) {
    return writeValue<int64_t>(
        f.store(), [&](StoreTx& tx) { return tx.commands().appendLog(c.id, offset, data); });
  };

  auto first = append(0, "hello");
  REQUIRE_OK(first);
  CHECK(*first == 5);

  auto retried = append(0, "hello");  // the agent did not see the answer and sent it again
  REQUIRE_OK(retried);
  CHECK(*retried == 5);

  auto overlapping = append(3, "lo world");
  REQUIRE_OK(overlapping);
  CHECK(*overlapping == 11);

  auto gap = append(20, "lost");
  CHECK(gap.status().code() == ErrorCode::kConflict);
  CHECK(gap.status().message().find("gap") != std::string::npos);

  CHECK(f.log(c.id) == "hello world");
  CHECK(f.command(c.id).log_size == 11);
}

TEST_CASE("appendLog refuses a negative offset", "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  CommandRecord c = newCommand("cmd_log", "agt_1");
  REQUIRE_OK(insertCommand(f.store(), c));
  auto r = writeValue<int64_t>(
      f.store(), [&](StoreTx& tx) { return tx.commands().appendLog(c.id, -3, "hello"); });
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK(f.log(c.id).empty());
  CHECK(f.command(c.id).log_size == 0);
}

TEST_CASE("appendLog on an unknown command is kNotFound", "[store][commands]") {
  StoreFixture f;
  auto r = writeValue<int64_t>(
      f.store(), [](StoreTx& tx) { return tx.commands().appendLog("cmd_ghost", 0, "x"); });
  CHECK(r.status().code() == ErrorCode::kNotFound);
}

TEST_CASE("queuedForAgent returns the agent's queued commands oldest first", "[store][commands]") {
  StoreFixture f;
  Pool a = f.addPool("a");
  f.addAgent(a.id, "agt_1");
  for (int i = 0; i < 4; ++i) {
    CommandRecord c = newCommand("cmd_" + std::to_string(i), "agt_1");
    if (i == 1) {
      c.state = CommandState::kLeased;
    }
    REQUIRE_OK(insertCommand(f.store(), c));
  }
  auto queued = readValue<std::vector<CommandRecord>>(
      f.store(), [](StoreTx& tx) { return tx.commands().queuedForAgent("agt_1", 2); });
  REQUIRE_OK(queued);
  REQUIRE(queued->size() == 2);
  CHECK((*queued)[0].id == "cmd_0");
  CHECK((*queued)[1].id == "cmd_2");
}

// ---------------------------------------------------------------------------------------------
// tokens and audit

TEST_CASE("revoking a token twice keeps the first revocation time", "[store][tokens]") {
  StoreFixture f;
  Token t;
  t.id = "tok_1";
  t.hash = std::string(64, 'b');
  t.hint = "crl_op_xxxx";
  REQUIRE_OK(f.store().write([&](StoreTx& tx) { return tx.tokens().insert(t); }));
  REQUIRE_OK(f.store().write([](StoreTx& tx) { return tx.tokens().revoke("tok_1", 100); }));
  REQUIRE_OK(f.store().write([](StoreTx& tx) { return tx.tokens().revoke("tok_1", 200); }));
  CHECK(f.token("tok_1").revoked_at == 100);
  CHECK(f.store().write([](StoreTx& tx) { return tx.tokens().revoke("tok_ghost", 100); }).code() ==
        ErrorCode::kNotFound);
}

TEST_CASE("audit entries list newest first, by action prefix, paging after the last seq",
          "[store][audit]") {
  StoreFixture f;
  REQUIRE_OK(f.store().write([](StoreTx& tx) -> Status {
    for (const char* action : {"pool.create", "agent.update", "pool.update", "pool.delete"}) {
      AuditEntry e;
      e.actor = "system";
      e.action = action;
      CORRAL_RETURN_IF_ERROR(tx.audit().append(e));
    }
    return Status::ok();
  }));
  auto first = readValue<std::vector<AuditEntry>>(f.store(), [](StoreTx& tx) {
    return tx.audit().list("pool.", Page{"", 2});
  });
  REQUIRE_OK(first);
  REQUIRE(first->size() == 2);
  CHECK((*first)[0].action == "pool.delete");
  CHECK((*first)[1].action == "pool.update");
  auto rest = readValue<std::vector<AuditEntry>>(f.store(), [&](StoreTx& tx) {
    return tx.audit().list("pool.", Page{std::to_string(first->back().seq), 2});
  });
  REQUIRE_OK(rest);
  REQUIRE(rest->size() == 1);
  CHECK((*rest)[0].action == "pool.create");
}

}  // namespace corral::master
