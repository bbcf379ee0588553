#include "master/store/sqlite_store.h"

#include <atomic>
#include <barrier>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "master/store/sqlite_connection.h"
#include "tests/master/support/store_fixture.h"

namespace corral::master {
namespace {

using testing::StoreFixture;

std::set<std::string> tableNames(const std::string& path) {
  auto conn = SqliteConnection::open(path, "normal");
  REQUIRE_OK(conn);
  auto q = (*conn)->query("SELECT name FROM sqlite_master WHERE type='table'");
  std::set<std::string> names;
  while (true) {
    auto more = q.next();
    REQUIRE_OK(more);
    if (!*more) {
      return names;
    }
    names.insert(q.getText(0));
  }
}

int64_t appliedMigrations(const std::string& path) {
  auto conn = SqliteConnection::open(path, "normal");
  REQUIRE_OK(conn);
  auto q = (*conn)->query("SELECT COUNT(*) FROM schema_migrations");
  auto row = q.next();
  REQUIRE_OK(row);
  REQUIRE(*row);
  return q.getInt(0);
}

std::vector<Pool> allPools(Store& store) {
  std::vector<Pool> out;
  REQUIRE_OK(store.read([&](StoreTx& tx) -> Status {
    auto pools = tx.pools().list(Page{"", 100'000});
    if (!pools.isOk()) {
      return pools.status();
    }
    out = std::move(*pools);
    return Status::ok();
  }));
  return out;
}

Pool newPool(const std::string& name) {
  Pool p;
  p.id = "pool_" + name;
  p.name = name;
  return p;
}

bool poolExists(Store& store, const std::string& id) {
  bool found = false;
  REQUIRE_OK(store.read([&](StoreTx& tx) {
    auto pool = tx.pools().get(id);
    found = pool.isOk();
    return pool.isOk() || pool.status().code() == ErrorCode::kNotFound ? Status::ok()
                                                                       : pool.status();
  }));
  return found;
}

}  // namespace

TEST_CASE("opening a new file applies the migrations and creates every table", "[store]") {
  StoreFixture f;
  CHECK(f.store().schemaVersion() >= 1);

  auto tables = tableNames(f.path());
  for (const char* table :
       {"schema_migrations", "pools", "agents", "tokens", "commands", "command_logs", "audit"}) {
    INFO(table);
    CHECK(tables.count(table) == 1);
  }
  CHECK(appliedMigrations(f.path()) == f.store().schemaVersion());
}

TEST_CASE("reopening a migrated file applies nothing again and keeps the data", "[store]") {
  StoreFixture f;
  int version = f.store().schemaVersion();
  f.addPool("kept");

  f.reopen();
  CHECK(f.store().schemaVersion() == version);
  CHECK(appliedMigrations(f.path()) == version);
  CHECK(poolExists(f.store(), "pool_kept"));

  f.reopen();
  CHECK(f.store().schemaVersion() == version);
  CHECK(appliedMigrations(f.path()) == version);
}

TEST_CASE("a file migrated by a newer master is refused at open", "[store]") {
  StoreFixture f;
  f.close();
  {
    auto conn = SqliteConnection::open(f.path(), "normal");
    REQUIRE_OK(conn);
    REQUIRE_OK((*conn)->exec("INSERT INTO schema_migrations(version, applied_at) VALUES (999, 0)"));
  }
  SqliteOptions options;
  options.path = f.path();
  auto opened = SqliteStore::open(options);
  REQUIRE_FALSE(opened.isOk());
  CHECK(opened.status().message().find("newer") != std::string::npos);
}

TEST_CASE("a write whose function fails leaves nothing of what it wrote", "[store]") {
  StoreFixture f;
  Status status = f.store().write([](StoreTx& tx) -> Status {
    CORRAL_RETURN_IF_ERROR(tx.pools().insert(newPool("first")));
    CORRAL_RETURN_IF_ERROR(tx.pools().insert(newPool("second")));
    return conflict("changed my mind");
  });
  CHECK(status.code() == ErrorCode::kConflict);
  CHECK(status.message() == "changed my mind");
  CHECK(allPools(f.store()).empty());
}

TEST_CASE("a write whose function throws is an internal error and leaves nothing", "[store]") {
  StoreFixture f;
  Status status = f.store().write([](StoreTx& tx) -> Status {
    CORRAL_RETURN_IF_ERROR(tx.pools().insert(newPool("doomed")));
    throw std::runtime_error("boom");
  });
  CHECK(status.code() == ErrorCode::kInternal);
  CHECK(status.message().find("boom") != std::string::npos);
  CHECK(allPools(f.store()).empty());

  // The writer survives and keeps committing.
  REQUIRE_OK(f.store().write([](StoreTx& tx) { return tx.pools().insert(newPool("after")); }));
  CHECK(allPools(f.store()).size() == 1);
}

TEST_CASE("concurrent writes commit while the one failing in each round rolls back alone",
          "[store]") {
  StoreFixture f;
  constexpr int kThreads = 6;
  constexpr int kRounds = 40;
  // Every round releases all threads at once, so their writes tend to land in the same group
  // commit; one of them fails after writing, and only its rows may vanish.
  std::barrier round_start(kThreads);
  std::atomic<int> ok_count{0};
  std::atomic<int> failed_count{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        round_start.arrive_and_wait();
        bool fails = round % kThreads == t;
        std::string name = "r" + std::to_string(round) + "-t" + std::to_string(t);
        Status s = f.store().write([&](StoreTx& tx) -> Status {
          CORRAL_RETURN_IF_ERROR(tx.pools().insert(newPool(name)));
          AuditEntry e;
          e.actor = "test";
          e.action = "pool.create";
          e.target = "pool_" + name;
          CORRAL_RETURN_IF_ERROR(tx.audit().append(e));
          return fails ? invalidArgument("refused " + name) : Status::ok();
        });
        if (s.isOk() && !fails) {
          ++ok_count;
        } else if (s.code() == ErrorCode::kInvalidArgument && fails) {
          ++failed_count;
        } else {
          ++unexpected;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  CHECK(unexpected == 0);
  CHECK(failed_count == kRounds);
  CHECK(ok_count == kRounds * (kThreads - 1));

  auto pools = allPools(f.store());
  CHECK(static_cast<int>(pools.size()) == kRounds * (kThreads - 1));
  for (const auto& p : pools) {
    int round = std::stoi(p.name.substr(1, p.name.find('-') - 1));
    int thread = std::stoi(p.name.substr(p.name.find("-t") + 2));
    INFO(p.name);
    CHECK(round % kThreads != thread);
  }
  size_t audited = 0;
  REQUIRE_OK(f.store().read([&](StoreTx& tx) -> Status {
    auto entries = tx.audit().list("pool.", Page{"", 100'000});
    if (!entries.isOk()) {
      return entries.status();
    }
    audited = entries->size();
    return Status::ok();
  }));
  CHECK(audited == pools.size());
}

TEST_CASE("everything written survives closing and opening a new store on the same file",
          "[store]") {
  StoreFixture f("full");
  Pool pool = f.addPool("durable", [](Pool& p) {
    p.description = "kept across restarts";
    p.pool_type = "k8s";
    p.selection_strategy = "least_busy";
    p.required_labels = {{"zone", "a"}};
    p.slots_per_agent = 5;
  });
  Agent agent = f.addAgent(pool.id, "agt_1", [](Agent& a) {
    a.labels = {{"zone", "a"}, {"gpu", "yes"}};
    a.capabilities = Json{{"actions", Json::array({"plan", "apply"})}};
    a.version = "1.2.3";
    a.hostname = "runner-1";
    a.drain = true;
    a.slots_total = 5;
    a.slots_used = 2;
    a.load = 0.5;
    a.tasks_total = 7;
  });
  CommandRecord command;
  command.id = "cmd_durable";
  command.target_type = "agent";
  command.target_agent_id = agent.id;
  command.agent_id = agent.id;
  command.action = "plan";
  command.params = Json{{"workspace", "prod"}};
  command.state = CommandState::kSucceeded;
  command.idempotency_key = "key-1";
  command.result = Json{{"changes", 3}};
  command.deadline = 99;
  Token token;
  token.id = "tok_durable";
  token.kind = TokenKind::kOperator;
  token.hash = std::string(64, 'a');
  token.hint = "crl_op_abcd";
  token.role = Role::kAdmin;
  REQUIRE_OK(f.store().write([&](StoreTx& tx) -> Status {
    CORRAL_RETURN_IF_ERROR(tx.commands().insert(command));
    auto size = tx.commands().appendLog(command.id, 0, "line 1\n");
    CORRAL_RETURN_IF_ERROR(testing::statusOf(size));
    CORRAL_RETURN_IF_ERROR(tx.tokens().insert(token));
    AuditEntry e;
    e.at = 5;
    e.actor = token.id;
    e.action = "pool.create";
    e.target = pool.id;
    e.details = Json{{"name", pool.name}};
    return tx.audit().append(e);
  }));

  f.reopen();

  REQUIRE_OK(f.store().read([&](StoreTx& tx) -> Status {
    auto p = tx.pools().get(pool.id);
    REQUIRE_OK(p);
    CHECK(p->name == "durable");
    CHECK(p->description == "kept across restarts");
    CHECK(p->pool_type == "k8s");
    CHECK(p->selection_strategy == "least_busy");
    CHECK(p->required_labels == Labels{{"zone", "a"}});
    CHECK(p->slots_per_agent == 5);

    auto a = tx.agents().get(agent.id);
    REQUIRE_OK(a);
    CHECK(a->labels == agent.labels);
    CHECK(a->capabilities == agent.capabilities);
    CHECK(a->version == "1.2.3");
    CHECK(a->hostname == "runner-1");
    CHECK(a->drain);
    CHECK(a->slots_total == 5);
    CHECK(a->slots_used == 2);
    CHECK(a->load == Approx(0.5));
    CHECK(a->tasks_total == 7);

    auto c = tx.commands().get(command.id);
    REQUIRE_OK(c);
    CHECK(c->seq == command.seq);
    CHECK(c->params == command.params);
    CHECK(c->state == CommandState::kSucceeded);
    CHECK(c->idempotency_key == "key-1");
    CHECK(c->result == command.result);
    CHECK(c->log_size == 7);
    auto log = tx.commands().readLog(command.id);
    REQUIRE_OK(log);
    CHECK(*log == "line 1\n");

    auto t = tx.tokens().get(token.id);
    REQUIRE_OK(t);
    CHECK(t->hash == token.hash);
    CHECK(t->role == Role::kAdmin);

    auto entries = tx.audit().list("", Page{});
    REQUIRE_OK(entries);
    REQUIRE(entries->size() == 1);
    CHECK(entries->front().details == Json{{"name", "durable"}});
    return Status::ok();
  }));
}

TEST_CASE("a read transaction cannot write", "[store]") {
  StoreFixture f;
  Status status = f.store().read([](StoreTx& tx) { return tx.pools().insert(newPool("sneaky")); });
  CHECK_FALSE(status.isOk());
  CHECK(allPools(f.store()).empty());
}

TEST_CASE("a write is visible to the next read from any thread", "[store]") {
  StoreFixture f;
  std::vector<std::thread> threads;
  std::atomic<int> missing{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
        Status w = f.store().write([&](StoreTx& tx) { return tx.pools().insert(newPool(name)); });
        Status r =
            f.store().read([&](StoreTx& tx) { return tx.pools().get("pool_" + name).status(); });
        if (!w.isOk() || !r.isOk()) {
          ++missing;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  CHECK(missing == 0);
  CHECK(allPools(f.store()).size() == 80);
}

}  // namespace corral::master
