#include "tests/master/support/store_fixture.h"

#include <utility>

namespace corral::testing {
namespace {

// Any fixed instant: the records' times do not matter to the tests that use these helpers.
constexpr int64_t kCreatedAt = 1'767'225'600'000;

template <typename T, typename Fn>
T readOne(master::Store& store, Fn fn) {
  Result<T> r = readValue<T>(store, fn);
  REQUIRE_OK(r);
  return std::move(*r);
}

}  // namespace

StoreFixture::StoreFixture(std::string synchronous) : synchronous_(std::move(synchronous)) {
  open();
}

StoreFixture::~StoreFixture() = default;

void StoreFixture::open() {
  master::SqliteOptions options;
  options.path = path();
  options.synchronous = synchronous_;
  options.readers = 2;
  auto opened = master::SqliteStore::open(options);
  REQUIRE_OK(opened);
  store_ = std::move(*opened);
}

void StoreFixture::close() { store_.reset(); }

void StoreFixture::reopen() {
  close();
  open();
}

master::Pool StoreFixture::addPool(const std::string& name,
                                   const std::function<void(master::Pool&)>& edit) {
  master::Pool pool;
  pool.id = "pool_" + name;
  pool.name = name;
  pool.created_at = kCreatedAt;
  pool.updated_at = kCreatedAt;
  if (edit) {
    edit(pool);
  }
  REQUIRE_OK(store_->write([&](master::StoreTx& tx) { return tx.pools().insert(pool); }));
  return pool;
}

master::Agent StoreFixture::addAgent(const std::string& pool_id, const std::string& id,
                                     const std::function<void(master::Agent&)>& edit) {
  master::Agent agent;
  agent.id = id;
  agent.pool_id = pool_id;
  agent.name = id;
  agent.registered_at = kCreatedAt;
  agent.last_heartbeat = kCreatedAt;
  if (edit) {
    edit(agent);
  }
  REQUIRE_OK(store_->write([&](master::StoreTx& tx) { return tx.agents().insert(agent); }));
  return agent;
}

void StoreFixture::updateAgent(const std::string& id,
                               const std::function<void(master::Agent&)>& edit) {
  REQUIRE_OK(store_->write([&](master::StoreTx& tx) -> Status {
    auto agent = tx.agents().get(id);
    if (!agent.isOk()) {
      return agent.status();
    }
    edit(*agent);
    return tx.agents().update(*agent);
  }));
}

master::Agent StoreFixture::agent(const std::string& id) {
  return readOne<master::Agent>(*store_, [&](master::StoreTx& tx) { return tx.agents().get(id); });
}

master::CommandRecord StoreFixture::command(const std::string& id) {
  return readOne<master::CommandRecord>(*store_,
                                        [&](master::StoreTx& tx) { return tx.commands().get(id); });
}

master::Token StoreFixture::token(const std::string& id) {
  return readOne<master::Token>(*store_, [&](master::StoreTx& tx) { return tx.tokens().get(id); });
}

std::string StoreFixture::log(const std::string& command_id) {
  return readOne<std::string>(
      *store_, [&](master::StoreTx& tx) { return tx.commands().readLog(command_id); });
}

}  // namespace corral::testing
