#include "master/queue/durable_command_queue.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "master/queue/wait_set.h"
#include "master/scheduling/agent_selector.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::readValue;
using testing::StoreFixture;
using Wake = WaitSet::Wake;

// A request for a command to the agent, to be adjusted further by the test.
EnqueueRequest requestFor(const std::string& agent_id, const std::string& action) {
  EnqueueRequest r;
  r.agent_id = agent_id;
  r.action = action;
  return r;
}

struct QueueFixture {
  StoreFixture db;
  FakeClock clock;
  WaitSet waits;
  AgentSelector selector{[] { return uint64_t{0}; }};
  QueueOptions options;
  DurableCommandQueue queue{db.store(), clock, waits, selector, options};
  Actor op{"tok_op", "10.0.0.2"};
  Pool pool = db.addPool("runners");

  int64_t now() const { return toUnixMillis(clock.wallNow()); }

  Agent addAgent(const std::string& id, const std::function<void(Agent&)>& edit = nullptr) {
    return db.addAgent(pool.id, id, edit);
  }

  CommandRecord enqueue(const EnqueueRequest& r) {
    auto e = queue.enqueue(r, op);
    REQUIRE_OK(e);
    REQUIRE(e->created);
    return e->command;
  }

  CommandRecord enqueueFor(const std::string& agent_id, const std::string& action = "plan") {
    return enqueue(requestFor(agent_id, action));
  }

  CommandRecord enqueueToPool(const std::string& action = "plan", Labels labels = {}) {
    EnqueueRequest r;
    r.pool_id = pool.id;
    r.action = action;
    r.labels = std::move(labels);
    return enqueue(r);
  }

  Lease lease(const std::string& agent_id, int max = 10) {
    auto l = queue.lease(agent_id, max);
    REQUIRE_OK(l);
    return std::move(*l);
  }

  // Leases exactly one command to the agent and returns it.
  CommandRecord leaseOne(const std::string& agent_id) {
    Lease l = lease(agent_id, 1);
    REQUIRE(l.commands.size() == 1);
    return l.commands.front();
  }

  // Enqueues a command for an agent that has nothing else queued, and leases it to the agent.
  CommandRecord enqueueAndLease(const std::string& agent_id) {
    enqueueFor(agent_id);
    return leaseOne(agent_id);
  }

  Result<CommandRecord> complete(const std::string& agent_id, const CommandRecord& c, bool success,
                                 int64_t fence = -1) {
    CompletionReport report;
    report.fence = fence < 0 ? c.attempts : fence;
    report.success = success;
    report.data = Json{{"ok", success}};
    report.error = success ? "" : "exit status 1";
    return queue.complete(agent_id, c.id, report);
  }

  // Moves the fake clock to `at` (unix ms), which must not be in the past.
  void advanceTo(int64_t at) {
    REQUIRE(at >= now());
    clock.advance(milliseconds(at - now()));
  }

  int expireDue() {
    auto changed = queue.expireDue();
    REQUIRE_OK(changed);
    return *changed;
  }
};

std::vector<std::string> idsOf(const std::vector<CommandRecord>& commands) {
  std::vector<std::string> ids;
  ids.reserve(commands.size());
  for (const auto& c : commands) {
    ids.push_back(c.id);
  }
  return ids;
}

using Ids = std::vector<std::string>;

}  // namespace

// ---------------------------------------------------------------------------------------------
// leasing

TEST_CASE("an agent leases its commands in the order they were enqueued, across lease calls",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.addAgent("agt_2");
  Ids mine;
  for (int i = 0; i < 5; ++i) {
    mine.push_back(f.enqueueFor("agt_1").id);
    f.enqueueFor("agt_2");  // interleaved work of another agent stays out of agt_1's order
  }
  CHECK(idsOf(f.lease("agt_1", 2).commands) == Ids{mine[0], mine[1]});
  CHECK(idsOf(f.lease("agt_1", 2).commands) == Ids{mine[2], mine[3]});
  CHECK(idsOf(f.lease("agt_1", 2).commands) == Ids{mine[4]});
  Lease empty = f.lease("agt_1", 2);
  CHECK(empty.commands.empty());
  CHECK_FALSE(empty.news);
  CHECK(f.lease("agt_2", 10).commands.size() == 5);
}

TEST_CASE("a lease hands out at most max commands and stamps each with its lease", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "apply");
  r.timeout_s = 60;
  for (int i = 0; i < 3; ++i) {
    f.enqueue(r);
  }
  Lease l = f.lease("agt_1", 2);
  CHECK(l.news);
  REQUIRE(l.commands.size() == 2);
  for (const auto& c : l.commands) {
    CHECK(c.state == CommandState::kLeased);
    CHECK(c.agent_id == "agt_1");
    CHECK(c.attempts == 1);
    CHECK(c.leased_at == f.now());
    CHECK(c.lease_expires == f.now() + 60'000 + f.options.lease_grace.count());
    CommandRecord stored = f.db.command(c.id);
    CHECK(stored.state == CommandState::kLeased);
    CHECK(stored.lease_expires == c.lease_expires);
  }
  CHECK(f.lease("agt_1", 2).commands.size() == 1);
}

TEST_CASE("a lease with max 0 hands out nothing but still reports cancellations", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.enqueueFor("agt_1");
  CommandRecord running = f.leaseOne("agt_1");
  CommandRecord waiting = f.enqueueFor("agt_1");
  REQUIRE_OK(f.queue.cancel(running.id, f.op));
  // An agent whose slots are all busy polls only to hear about cancellations.
  Lease full = f.lease("agt_1", 0);
  CHECK(full.commands.empty());
  CHECK(full.cancel == Ids{running.id});
  CHECK(full.news);
  // A negative maximum is no licence to take everything.
  CHECK(f.lease("agt_1", -1).commands.empty());
  CHECK(f.db.command(waiting.id).state == CommandState::kQueued);
}

TEST_CASE("a lease records a sign of life and brings an offline agent back", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1", [](Agent& a) {
    a.status = "offline";
    a.last_heartbeat = 1;
  });
  f.clock.advance(milliseconds(1234));
  f.lease("agt_1");
  Agent a = f.db.agent("agt_1");
  CHECK(a.status == "online");
  CHECK(a.last_heartbeat == f.now());
}

TEST_CASE("a drained agent leases nothing new", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1", [](Agent& a) { a.drain = true; });
  CommandRecord c = f.enqueueFor("agt_1");
  Lease l = f.lease("agt_1");
  CHECK(l.commands.empty());
  CHECK_FALSE(l.news);
  CHECK(f.db.command(c.id).state == CommandState::kQueued);
}

TEST_CASE("commands are leased to one agent only, however many lease at once", "[queue]") {
  QueueFixture f;
  constexpr int kCommands = 40;
  // Enqueued while the pool is empty, so no command is assigned and every agent may claim all.
  for (int i = 0; i < kCommands; ++i) {
    f.enqueueToPool();
  }
  const Ids agents = {"agt_1", "agt_2", "agt_3", "agt_4"};
  for (const auto& id : agents) {
    f.addAgent(id);
  }
  std::mutex mutex;
  std::vector<std::string> leased;
  int errors = 0;
  std::vector<std::thread> threads;
  for (const auto& id : agents) {
    threads.emplace_back([&, id] {
      while (true) {
        auto l = f.queue.lease(id, 3);
        std::lock_guard lock(mutex);
        if (!l.isOk()) {
          ++errors;
          return;
        }
        if (l->commands.empty()) {
          return;
        }
        for (const auto& c : l->commands) {
          leased.push_back(c.id);
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(errors == 0);
  CHECK(leased.size() == kCommands);
  CHECK(std::set<std::string>(leased.begin(), leased.end()).size() == kCommands);
}

// ---------------------------------------------------------------------------------------------
// fences and completion

TEST_CASE("the fence is the attempt count and a stale fence changes nothing", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "apply");
  r.timeout_s = 10;
  CommandRecord c = f.enqueue(r);
  CommandRecord first = f.leaseOne("agt_1");
  CHECK(first.attempts == 1);
  f.advanceTo(first.lease_expires);
  CHECK(f.expireDue() == 1);
  CommandRecord second = f.leaseOne("agt_1");
  CHECK(second.id == c.id);
  CHECK(second.attempts == 2);

  auto progress = f.queue.progress("agt_1", c.id, 1, 0, "late output");
  CHECK(progress.status().code() == ErrorCode::kConflict);
  CHECK(progress.status().message().find("stale fence") != std::string::npos);
  auto late = f.complete("agt_1", c, true, 1);
  CHECK(late.status().code() == ErrorCode::kConflict);

  CommandRecord stored = f.db.command(c.id);
  CHECK(stored.state == CommandState::kLeased);
  CHECK(stored.attempts == 2);
  CHECK(stored.log_size == 0);
  CHECK(stored.result.is_null());
  CHECK(f.db.log(c.id).empty());
  CHECK(f.db.agent("agt_1").tasks_total == 0);

  auto done = f.complete("agt_1", c, true, 2);
  REQUIRE_OK(done);
  CHECK(done->state == CommandState::kSucceeded);
}

TEST_CASE("repeating the same completion returns the stored command and counts it once",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto first = f.complete("agt_1", c, true);
  REQUIRE_OK(first);
  CHECK(first->state == CommandState::kSucceeded);
  CHECK(first->result == Json{{"ok", true}});
  CHECK(first->finished_at == f.now());

  f.clock.advance(milliseconds(500));
  auto again = f.complete("agt_1", c, true);
  REQUIRE_OK(again);
  CHECK(again->state == CommandState::kSucceeded);
  CHECK(again->finished_at == first->finished_at);

  Agent a = f.db.agent("agt_1");
  CHECK(a.tasks_total == 1);
  CHECK(a.tasks_succeeded == 1);
  CHECK(a.tasks_failed == 0);
}

TEST_CASE("a failed completion is counted as a failed task", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto done = f.complete("agt_1", c, false);
  REQUIRE_OK(done);
  CHECK(done->state == CommandState::kFailed);
  CHECK(done->error == "exit status 1");
  CHECK(done->reason.empty());
  Agent a = f.db.agent("agt_1");
  CHECK(a.tasks_total == 1);
  CHECK(a.tasks_failed == 1);
}

TEST_CASE("only the agent holding the lease may report on a command", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.addAgent("agt_2");
  CommandRecord c = f.enqueueAndLease("agt_1");
  CHECK(f.complete("agt_2", c, true).status().code() == ErrorCode::kNotFound);
  CHECK(f.queue.progress("agt_2", c.id, 1, 0, "x").status().code() == ErrorCode::kNotFound);
  CommandRecord ghost;
  ghost.id = "cmd_ghost";
  CHECK(f.complete("agt_1", ghost, true, 1).status().code() == ErrorCode::kNotFound);
  CHECK(f.db.command(c.id).state == CommandState::kLeased);
}

// ---------------------------------------------------------------------------------------------
// progress

TEST_CASE("progress moves a leased command to running and appends its log", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto cmd_waiter = f.waits.arm(commandKey(c.id), false);
  f.clock.advance(milliseconds(250));

  auto ack = f.queue.progress("agt_1", c.id, 1, 0, "Plan: 1 to add\n");
  REQUIRE_OK(ack);
  CHECK(ack->next_offset == 15);
  CHECK_FALSE(ack->cancel_requested);
  CommandRecord running = f.db.command(c.id);
  CHECK(running.state == CommandState::kRunning);
  CHECK(running.started_at == f.now());
  CHECK(f.waits.wait(*cmd_waiter, milliseconds(0)) == Wake::kNotified);

  // A retried chunk is stored once; a chunk without an offset goes at the end.
  auto retried = f.queue.progress("agt_1", c.id, 1, 0, "Plan: 1 to add\n");
  REQUIRE_OK(retried);
  CHECK(retried->next_offset == 15);
  auto appended = f.queue.progress("agt_1", c.id, 1, std::nullopt, "done\n");
  REQUIRE_OK(appended);
  CHECK(appended->next_offset == 20);
  CHECK(f.db.log(c.id) == "Plan: 1 to add\ndone\n");

  // A progress report without a log only answers where the log ends.
  auto empty = f.queue.progress("agt_1", c.id, 1, std::nullopt, "");
  REQUIRE_OK(empty);
  CHECK(empty->next_offset == 20);
  CHECK(f.db.command(c.id).started_at == running.started_at);
}

TEST_CASE("progress with a negative log offset is refused and stores nothing", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto refused = f.queue.progress("agt_1", c.id, 1, -3, "hello");
  CHECK(refused.status().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.status().message().find("offset") != std::string::npos);
  CHECK(f.db.log(c.id).empty());
  CHECK(f.db.command(c.id).log_size == 0);
}

TEST_CASE("progress with a log chunk that leaves a gap is refused and changes nothing", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto gap = f.queue.progress("agt_1", c.id, 1, 100, "lost");
  CHECK(gap.status().code() == ErrorCode::kConflict);
  CommandRecord stored = f.db.command(c.id);
  CHECK(stored.state == CommandState::kLeased);
  CHECK(stored.log_size == 0);
}

// ---------------------------------------------------------------------------------------------
// expiry

TEST_CASE("a lease expires at lease_expires and the command is leased again with fence 2",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "apply");
  r.timeout_s = 30;
  CommandRecord c = f.enqueue(r);
  CommandRecord leased = f.leaseOne("agt_1");
  auto agent_waiter = f.waits.arm("agt_1", true);

  f.advanceTo(leased.lease_expires - 1);
  CHECK(f.expireDue() == 0);
  CHECK(f.db.command(c.id).state == CommandState::kLeased);
  CHECK(f.waits.wait(*agent_waiter, milliseconds(0)) == Wake::kTimeout);

  f.clock.advance(milliseconds(1));
  CHECK(f.expireDue() == 1);
  CommandRecord requeued = f.db.command(c.id);
  CHECK(requeued.state == CommandState::kQueued);
  CHECK(requeued.agent_id == "agt_1");  // it named the agent, so it waits for the same one
  CHECK(requeued.lease_expires == 0);
  CHECK(requeued.attempts == 1);
  CHECK(f.waits.wait(*agent_waiter, milliseconds(0)) == Wake::kNotified);
  // The old lease's report is stale even before anyone leases the command again.
  CHECK(f.complete("agt_1", leased, true).status().code() == ErrorCode::kConflict);
  CHECK(f.db.command(c.id).state == CommandState::kQueued);

  CommandRecord again = f.leaseOne("agt_1");
  CHECK(again.id == c.id);
  CHECK(again.attempts == 2);
}

TEST_CASE("a pool command whose lease expires goes back to the pool unassigned", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueToPool();
  CHECK(c.agent_id == "agt_1");
  CommandRecord leased = f.leaseOne("agt_1");
  f.addAgent("agt_2");
  auto other = f.waits.arm("agt_2", true);

  f.advanceTo(leased.lease_expires);
  CHECK(f.expireDue() == 1);
  CommandRecord requeued = f.db.command(c.id);
  CHECK(requeued.state == CommandState::kQueued);
  CHECK(requeued.agent_id.empty());
  CHECK(f.waits.wait(*other, milliseconds(0)) == Wake::kNotified);

  CommandRecord again = f.leaseOne("agt_2");
  CHECK(again.id == c.id);
  CHECK(again.attempts == 2);
}

TEST_CASE("a command whose lease expires max_attempts times fails with reason lease_expired",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "apply");
  r.max_attempts = 2;
  CommandRecord c = f.enqueue(r);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    CommandRecord leased = f.leaseOne("agt_1");
    CHECK(leased.attempts == attempt);
    f.advanceTo(leased.lease_expires);
    CHECK(f.expireDue() == 1);
  }
  CommandRecord failed = f.db.command(c.id);
  CHECK(failed.state == CommandState::kFailed);
  CHECK(failed.reason == "lease_expired");
  CHECK(failed.finished_at == f.now());
  CHECK(f.lease("agt_1").commands.empty());
  // A report for the lost lease arriving now is refused.
  CHECK(f.complete("agt_1", failed, true).status().code() == ErrorCode::kConflict);
}

TEST_CASE("a command not leased before its deadline expires", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "plan");
  r.deadline_s = 10;
  CommandRecord c = f.enqueue(r);
  CHECK(c.deadline == f.now() + 10'000);
  auto waiter = f.waits.arm(commandKey(c.id), false);

  f.advanceTo(c.deadline - 1);
  CHECK(f.expireDue() == 0);
  f.clock.advance(milliseconds(1));
  CHECK(f.expireDue() == 1);
  CommandRecord expired = f.db.command(c.id);
  CHECK(expired.state == CommandState::kExpired);
  CHECK(expired.reason == "deadline");
  CHECK(f.waits.wait(*waiter, milliseconds(0)) == Wake::kNotified);
  CHECK(f.lease("agt_1").commands.empty());
  CHECK(f.expireDue() == 0);
}

TEST_CASE("a lease after the deadline expires the command instead of handing it out", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "plan");
  r.deadline_s = 5;
  CommandRecord late = f.enqueue(r);
  f.clock.advance(milliseconds(5000));
  CommandRecord fresh = f.enqueueFor("agt_1");
  CHECK(idsOf(f.lease("agt_1").commands) == Ids{fresh.id});
  CHECK(f.db.command(late.id).state == CommandState::kExpired);
}

// ---------------------------------------------------------------------------------------------
// cancellation

TEST_CASE("cancelling a queued command ends it at once", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueFor("agt_1");
  auto cancelled = f.queue.cancel(c.id, f.op);
  REQUIRE_OK(cancelled);
  CHECK(cancelled->state == CommandState::kCancelled);
  CHECK(cancelled->reason == "cancelled");
  CHECK(cancelled->finished_at == f.now());
  CHECK(f.db.command(c.id).state == CommandState::kCancelled);
  CHECK(f.lease("agt_1").commands.empty());
}

TEST_CASE("cancelling a leased command reaches the agent on its next lease, as news once",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto poll = f.waits.arm("agt_1", true);

  auto flagged = f.queue.cancel(c.id, f.op);
  REQUIRE_OK(flagged);
  CHECK(flagged->state == CommandState::kLeased);
  CHECK(flagged->cancel_requested);
  CHECK(f.waits.wait(*poll, milliseconds(0)) == Wake::kNotified);

  Lease first = f.lease("agt_1");
  CHECK(first.cancel == Ids{c.id});
  CHECK(first.news);
  CHECK(first.commands.empty());
  CHECK(f.db.command(c.id).cancel_delivered);

  Lease second = f.lease("agt_1");
  CHECK(second.cancel == Ids{c.id});
  CHECK_FALSE(second.news);

  auto ack = f.queue.progress("agt_1", c.id, c.attempts, std::nullopt, "");
  REQUIRE_OK(ack);
  CHECK(ack->cancel_requested);
}

TEST_CASE("an unsuccessful completion after a cancel ends the command as cancelled", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  REQUIRE_OK(f.queue.cancel(c.id, f.op));
  auto done = f.complete("agt_1", c, false);
  REQUIRE_OK(done);
  CHECK(done->state == CommandState::kCancelled);
  // The agent may repeat its report; the answer stays the same.
  auto again = f.complete("agt_1", c, false);
  REQUIRE_OK(again);
  CHECK(again->state == CommandState::kCancelled);
  CHECK(f.db.agent("agt_1").tasks_total == 1);
}

TEST_CASE("cancelling a command that ended is kConflict", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  REQUIRE_OK(f.complete("agt_1", c, true));
  auto refused = f.queue.cancel(c.id, f.op);
  CHECK(refused.status().code() == ErrorCode::kConflict);
  CHECK(f.db.command(c.id).state == CommandState::kSucceeded);
  CHECK(f.queue.cancel("cmd_ghost", f.op).status().code() == ErrorCode::kNotFound);
}

TEST_CASE("pendingCancels tells a heartbeat about cancellations and marks them delivered",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.enqueueFor("agt_1");
  f.enqueueFor("agt_1");
  Lease l = f.lease("agt_1", 2);
  REQUIRE(l.commands.size() == 2);
  REQUIRE_OK(f.queue.cancel(l.commands[1].id, f.op));
  auto cancels = f.queue.pendingCancels("agt_1");
  REQUIRE_OK(cancels);
  CHECK(*cancels == Ids{l.commands[1].id});
  CHECK(f.db.command(l.commands[1].id).cancel_delivered);
  Lease next = f.lease("agt_1");
  CHECK(next.cancel == Ids{l.commands[1].id});
  CHECK_FALSE(next.news);
}

TEST_CASE("a cancelled command whose lease expires ends as cancelled, not redelivered", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  REQUIRE_OK(f.queue.cancel(c.id, f.op));
  f.advanceTo(c.lease_expires);
  CHECK(f.expireDue() == 1);
  CHECK(f.db.command(c.id).state == CommandState::kCancelled);
  CHECK(f.lease("agt_1").commands.empty());
}

// ---------------------------------------------------------------------------------------------
// enqueue

TEST_CASE("an idempotency key returns the first command with created=false", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  EnqueueRequest r = requestFor("agt_1", "plan");
  r.idempotency_key = "deploy-42";
  auto first = f.queue.enqueue(r, f.op);
  REQUIRE_OK(first);
  CHECK(first->created);

  r.action = "apply";  // a retry is answered with what the first request made
  auto retry = f.queue.enqueue(r, f.op);
  REQUIRE_OK(retry);
  CHECK_FALSE(retry->created);
  CHECK(retry->command.id == first->command.id);
  CHECK(retry->command.action == "plan");
  CHECK(f.lease("agt_1").commands.size() == 1);
}

TEST_CASE("concurrent enqueues with one idempotency key create one command", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  constexpr int kThreads = 6;
  std::mutex mutex;
  std::vector<Enqueued> results;
  int errors = 0;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      EnqueueRequest r = requestFor("agt_1", "plan");
      r.idempotency_key = "same";
      auto e = f.queue.enqueue(r, f.op);
      std::lock_guard lock(mutex);
      if (e.isOk()) {
        results.push_back(*e);
      } else {
        ++errors;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(errors == 0);
  REQUIRE(results.size() == kThreads);
  CHECK(std::count_if(results.begin(), results.end(),
                      [](const Enqueued& e) { return e.created; }) == 1);
  for (const auto& e : results) {
    CHECK(e.command.id == results.front().command.id);
  }
}

TEST_CASE("enqueue fills in the configured defaults and audits the command", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueFor("agt_1");
  CHECK(c.state == CommandState::kQueued);
  CHECK(c.target_type == "agent");
  CHECK(c.target_agent_id == "agt_1");
  CHECK(c.timeout_s == f.options.default_timeout_s);
  CHECK(c.max_attempts == f.options.default_max_attempts);
  CHECK(c.deadline == f.now() + f.options.default_deadline.count());
  CHECK(c.created_by == "tok_op");
  CHECK(c.params == Json::object());
  auto audit = readValue<std::vector<AuditEntry>>(
      f.db.store(), [](StoreTx& tx) { return tx.audit().list("command.", Page{}); });
  REQUIRE_OK(audit);
  REQUIRE(audit->size() == 1);
  CHECK((*audit)[0].target == c.id);
}

TEST_CASE("enqueue refuses a malformed request and names the field", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  auto refused = [&](const EnqueueRequest& r, const std::string& field) {
    auto e = f.queue.enqueue(r, f.op);
    INFO(field);
    CHECK(e.status().code() == ErrorCode::kInvalidArgument);
    CHECK(e.status().message().find("'" + field + "'") != std::string::npos);
  };
  EnqueueRequest base;
  base.action = "plan";

  EnqueueRequest none = base;
  refused(none, "target");

  EnqueueRequest two = base;
  two.agent_id = "agt_1";
  two.pool_id = f.pool.id;
  refused(two, "target");

  EnqueueRequest three = base;
  three.agent_id = "agt_1";
  three.cluster_id = "prod";
  refused(three, "target");

  EnqueueRequest ok = base;
  ok.agent_id = "agt_1";

  EnqueueRequest no_action = ok;
  no_action.action = "";
  refused(no_action, "action");

  EnqueueRequest negative_timeout = ok;
  negative_timeout.timeout_s = -1;
  refused(negative_timeout, "timeout_s");

  EnqueueRequest long_timeout = ok;
  long_timeout.timeout_s = 86'401;
  refused(long_timeout, "timeout_s");

  EnqueueRequest long_deadline = ok;
  long_deadline.deadline_s = 7 * 86'400 + 1;
  refused(long_deadline, "deadline_s");

  EnqueueRequest attempts = ok;
  attempts.max_attempts = 101;
  refused(attempts, "max_attempts");

  // Nothing was stored by any of them.
  CHECK(f.lease("agt_1").commands.empty());

  EnqueueRequest longest = ok;
  longest.timeout_s = 86'400;
  CHECK_OK(f.queue.enqueue(longest, f.op));
}

TEST_CASE("enqueue to an unknown agent or pool is kNotFound", "[queue]") {
  QueueFixture f;
  EnqueueRequest to_agent;
  to_agent.agent_id = "agt_ghost";
  to_agent.action = "plan";
  auto a = f.queue.enqueue(to_agent, f.op);
  CHECK(a.status().code() == ErrorCode::kNotFound);
  CHECK(a.status().message().find("agt_ghost") != std::string::npos);

  EnqueueRequest to_pool;
  to_pool.pool_id = "pool_ghost";
  to_pool.action = "plan";
  auto p = f.queue.enqueue(to_pool, f.op);
  CHECK(p.status().code() == ErrorCode::kNotFound);
  CHECK(p.status().message().find("pool_ghost") != std::string::npos);

  CHECK(f.queue.lease("agt_ghost", 1).status().code() == ErrorCode::kNotFound);
}

TEST_CASE("enqueue wakes the parked poll of the agent it targets, and only that one", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.addAgent("agt_2");
  auto target = f.waits.arm("agt_1", true);
  auto bystander = f.waits.arm("agt_2", true);
  f.enqueueFor("agt_1");
  CHECK(f.waits.wait(*target, milliseconds(0)) == Wake::kNotified);
  CHECK(f.waits.wait(*bystander, milliseconds(0)) == Wake::kTimeout);
}

TEST_CASE("enqueue wakes a poll parked in another thread", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  // Armed before the thread starts, as a poll arms before it checks the store: the wake-up
  // cannot be missed whichever thread runs first.
  auto ticket = f.waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread poll([&] { woke = f.waits.wait(*ticket, milliseconds(60'000)); });
  f.enqueueFor("agt_1");
  poll.join();
  // Either the poll was inside wait() and received the command directly, or it was about to wait
  // and is told to look at the store; it never sleeps through its 60 s.
  CHECK((woke == Wake::kNotified || woke == Wake::kHandedOff));
}

namespace {

// Waits (bounded) until a poll of `key` is blocked inside wait(), where an enqueue can hand it a
// command directly.
bool waitUntilBlocked(WaitSet& waits, const std::string& key) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waits.isBlocked(key)) {
      return true;
    }
    std::this_thread::yield();
  }
  return false;
}

}  // namespace

TEST_CASE("an enqueue leases its command straight to a blocked poll and hands it over", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  auto ticket = f.waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread poll([&] { woke = f.waits.wait(*ticket, milliseconds(60'000)); });
  REQUIRE(waitUntilBlocked(f.waits, "agt_1"));
  CommandRecord sent = f.enqueueFor("agt_1");
  poll.join();
  REQUIRE(woke == Wake::kHandedOff);
  auto handed = ticket->waiter().takeHandedOff();
  REQUIRE(handed.size() == 1);
  CHECK(handed[0].id == sent.id);
  CHECK(handed[0].attempts == 1);  // the fence the agent will echo
  CommandRecord stored = f.db.command(sent.id);
  CHECK(stored.state == CommandState::kLeased);
  CHECK(stored.attempts == 1);
  CHECK(f.lease("agt_1", 5).commands.empty());  // never delivered twice
}

TEST_CASE("an enqueue does not hand over past an older queued command of the agent", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord older = f.enqueueFor("agt_1");  // nobody polling: stays queued
  auto ticket = f.waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread poll([&] { woke = f.waits.wait(*ticket, milliseconds(60'000)); });
  REQUIRE(waitUntilBlocked(f.waits, "agt_1"));
  CommandRecord newer = f.enqueueFor("agt_1");
  poll.join();
  CHECK(woke == Wake::kNotified);
  CHECK(idsOf(f.lease("agt_1", 5).commands) == Ids{older.id, newer.id});
}

// ---------------------------------------------------------------------------------------------
// pools

TEST_CASE("a pool command is assigned to an eligible agent of the pool", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1", [](Agent& a) { a.drain = true; });
  f.addAgent("agt_2", [](Agent& a) { a.labels = {{"gpu", "yes"}}; });
  f.addAgent("agt_3");
  auto woken = f.waits.arm("agt_2", true);
  auto idle = f.waits.arm("agt_3", true);

  CommandRecord c = f.enqueueToPool("plan", {{"gpu", "yes"}});
  CHECK(c.target_type == "pool");
  CHECK(c.target_pool_id == f.pool.id);
  CHECK(c.agent_id == "agt_2");
  CHECK(f.waits.wait(*woken, milliseconds(0)) == Wake::kNotified);
  CHECK(f.waits.wait(*idle, milliseconds(0)) == Wake::kTimeout);

  CHECK(f.lease("agt_3").commands.empty());
  CHECK(idsOf(f.lease("agt_2").commands) == Ids{c.id});
}

TEST_CASE("pool commands are spread by the pool's strategy", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  f.addAgent("agt_2");
  Ids assigned;
  for (int i = 0; i < 4; ++i) {
    assigned.push_back(f.enqueueToPool().agent_id);
  }
  CHECK(assigned == Ids{"agt_1", "agt_2", "agt_1", "agt_2"});
}

TEST_CASE("a pool command with no eligible agent waits unassigned for an eligible lease",
          "[queue]") {
  QueueFixture f;
  Pool linux_only = f.db.addPool("linux", [](Pool& p) { p.required_labels = {{"os", "linux"}}; });
  f.db.addAgent(linux_only.id, "agt_win", [](Agent& a) { a.labels = {{"os", "windows"}}; });
  EnqueueRequest r;
  r.pool_id = linux_only.id;
  r.action = "plan";
  CommandRecord c = f.enqueue(r);
  CHECK(c.agent_id.empty());
  CHECK(f.db.command(c.id).agent_id.empty());

  CHECK(f.lease("agt_win").commands.empty());
  CHECK(f.db.command(c.id).state == CommandState::kQueued);

  f.db.addAgent(linux_only.id, "agt_lin", [](Agent& a) { a.labels = {{"os", "linux"}}; });
  CommandRecord claimed = f.leaseOne("agt_lin");
  CHECK(claimed.id == c.id);
  CHECK(claimed.agent_id == "agt_lin");
  CHECK(claimed.attempts == 1);
}

TEST_CASE("an unassigned pool command is not claimed by an agent lacking its labels", "[queue]") {
  QueueFixture f;
  CommandRecord c = f.enqueueToPool("plan", {{"gpu", "yes"}});
  CHECK(c.agent_id.empty());
  f.addAgent("agt_cpu");
  f.addAgent("agt_gpu", [](Agent& a) { a.labels = {{"gpu", "yes"}}; });
  CHECK(f.lease("agt_cpu").commands.empty());
  CHECK(idsOf(f.lease("agt_gpu").commands) == Ids{c.id});
}

TEST_CASE("an agent that reports draining or error does not claim unassigned pool commands",
          "[queue]") {
  QueueFixture f;
  CommandRecord c = f.enqueueToPool();
  CHECK(c.agent_id.empty());
  f.addAgent("agt_draining", [](Agent& a) { a.status = "draining"; });
  f.addAgent("agt_error", [](Agent& a) { a.status = "error"; });
  CHECK(f.lease("agt_draining").commands.empty());
  CHECK(f.lease("agt_error").commands.empty());
  f.addAgent("agt_ok");
  CHECK(idsOf(f.lease("agt_ok").commands) == Ids{c.id});
}

TEST_CASE("a cluster command goes to a live agent serving the cluster", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_other", [](Agent& a) { a.cluster_id = "staging"; });
  f.addAgent("agt_prod", [](Agent& a) { a.cluster_id = "prod"; });
  EnqueueRequest r;
  r.cluster_id = "prod";
  r.action = "restart";
  CommandRecord c = f.enqueue(r);
  CHECK(c.target_type == "cluster");
  CHECK(c.agent_id == "agt_prod");
  CHECK(f.lease("agt_other").commands.empty());
  CHECK(idsOf(f.lease("agt_prod").commands) == Ids{c.id});
}

TEST_CASE("a cluster command without a live agent is claimed by the first one to lease",
          "[queue]") {
  QueueFixture f;
  EnqueueRequest r;
  r.cluster_id = "prod";
  r.action = "scale";
  CommandRecord c = f.enqueue(r);
  CHECK(c.agent_id.empty());
  f.addAgent("agt_prod", [](Agent& a) { a.cluster_id = "prod"; });
  CHECK(idsOf(f.lease("agt_prod").commands) == Ids{c.id});
}

// ---------------------------------------------------------------------------------------------
// agents going away

TEST_CASE("agentOffline requeues pool commands unassigned and fails the ones naming the agent",
          "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord pool_leased = f.enqueueToPool();
  CommandRecord named_leased = f.enqueueFor("agt_1");
  Lease l = f.lease("agt_1", 2);
  REQUIRE(l.commands.size() == 2);
  CommandRecord pool_assigned = f.enqueueToPool();
  CommandRecord named_queued = f.enqueueFor("agt_1");
  REQUIRE(pool_assigned.agent_id == "agt_1");

  f.addAgent("agt_2");
  auto other = f.waits.arm("agt_2", true);
  auto gone = f.waits.arm("agt_1", true);
  f.clock.advance(milliseconds(1000));
  auto went = f.queue.agentOffline("agt_1", f.now());
  REQUIRE_OK(went);
  CHECK(*went);

  CHECK(f.db.agent("agt_1").status == "offline");
  CommandRecord p1 = f.db.command(pool_leased.id);
  CHECK(p1.state == CommandState::kQueued);
  CHECK(p1.agent_id.empty());
  CommandRecord p2 = f.db.command(pool_assigned.id);
  CHECK(p2.state == CommandState::kQueued);
  CHECK(p2.agent_id.empty());
  CommandRecord a1 = f.db.command(named_leased.id);
  CHECK(a1.state == CommandState::kFailed);
  CHECK(a1.reason == "agent_offline");
  CHECK(a1.finished_at == f.now());
  // A queued command that named the agent waits for it to come back.
  CommandRecord a2 = f.db.command(named_queued.id);
  CHECK(a2.state == CommandState::kQueued);
  CHECK(a2.agent_id == "agt_1");

  CHECK(f.waits.wait(*other, milliseconds(0)) == Wake::kNotified);
  CHECK(f.waits.wait(*gone, milliseconds(0)) == Wake::kTimeout);

  CommandRecord p1_again = f.leaseOne("agt_2");
  CHECK(p1_again.id == pool_leased.id);
  CHECK(p1_again.attempts == 2);
  CHECK(idsOf(f.lease("agt_2").commands) == Ids{pool_assigned.id});

  // The agent's report for the lost lease is refused.
  CHECK_FALSE(f.complete("agt_1", l.commands[1], true).isOk());

  // Going offline twice changes nothing more.
  auto again = f.queue.agentOffline("agt_1", f.now());
  REQUIRE_OK(again);
  CHECK_FALSE(*again);
  CHECK(f.db.command(named_queued.id).state == CommandState::kQueued);
}

TEST_CASE("agentOffline leaves an agent heard from since it was found silent", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  // The monitor finds the agent silent before this instant; then the agent leases a command.
  int64_t silent_before = f.now();
  f.clock.advance(milliseconds(10));
  CommandRecord c = f.enqueueAndLease("agt_1");

  auto kept = f.queue.agentOffline("agt_1", silent_before);
  REQUIRE_OK(kept);
  CHECK_FALSE(*kept);
  CHECK(f.db.agent("agt_1").status == "online");
  CHECK(f.db.command(c.id).state == CommandState::kLeased);

  // Silent again past a later look, it goes.
  f.clock.advance(milliseconds(10));
  auto went = f.queue.agentOffline("agt_1", f.now());
  REQUIRE_OK(went);
  CHECK(*went);
  CHECK(f.db.agent("agt_1").status == "offline");
  CHECK(f.db.command(c.id).state == CommandState::kFailed);
}

TEST_CASE("agentOffline of an unknown agent is kNotFound", "[queue]") {
  QueueFixture f;
  CHECK(f.queue.agentOffline("agt_ghost", f.now()).status().code() == ErrorCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// waiters of a command

TEST_CASE("completion wakes the waiters of the command", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  CommandRecord c = f.enqueueAndLease("agt_1");
  auto waiter = f.waits.arm(commandKey(c.id), false);
  REQUIRE_OK(f.complete("agt_1", c, true));
  CHECK(f.waits.wait(*waiter, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("a shut down wait set answers parked polls with kShutdown", "[queue]") {
  QueueFixture f;
  f.addAgent("agt_1");
  auto ticket = f.waits.arm("agt_1", true);
  f.waits.shutdown();
  f.enqueueFor("agt_1");
  CHECK(f.waits.wait(*ticket, milliseconds(0)) == Wake::kShutdown);
}

}  // namespace corral::master
