#include "master/fleet/fleet_service.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "master/queue/durable_command_queue.h"
#include "master/queue/wait_set.h"
#include "master/scheduling/agent_selector.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::StoreFixture;

// The durable queue, with a hook that runs right after each agentOffline(): the test acts there
// as another thread would while the monitor is still working through its list of silent agents.
class HookedQueue final : public CommandQueue {
 public:
  explicit HookedQueue(CommandQueue& inner) : inner_(inner) {}

  Result<Enqueued> enqueue(const EnqueueRequest& request, const Actor& actor) override {
    return inner_.enqueue(request, actor);
  }
  Result<Lease> lease(const std::string& agent_id, int max) override {
    return inner_.lease(agent_id, max);
  }
  Result<ProgressAck> progress(const std::string& agent_id, const std::string& command_id,
                               int64_t fence, std::optional<int64_t> offset,
                               const std::string& log) override {
    return inner_.progress(agent_id, command_id, fence, offset, log);
  }
  Result<CommandRecord> complete(const std::string& agent_id, const std::string& command_id,
                                 const CompletionReport& report) override {
    return inner_.complete(agent_id, command_id, report);
  }
  Result<CommandRecord> cancel(const std::string& command_id, const Actor& actor) override {
    return inner_.cancel(command_id, actor);
  }
  Result<int> expireDue() override { return inner_.expireDue(); }
  Result<bool> agentOffline(const std::string& agent_id, int64_t silent_before) override {
    auto went = inner_.agentOffline(agent_id, silent_before);
    if (after_offline) {
      after_offline(agent_id);
    }
    return went;
  }
  Result<std::vector<std::string>> pendingCancels(const std::string& agent_id) override {
    return inner_.pendingCancels(agent_id);
  }

  std::function<void(const std::string&)> after_offline;

 private:
  CommandQueue& inner_;
};

FleetOptions offlineAfterTwoSeconds() {
  FleetOptions options;
  options.offline_after = milliseconds(2000);
  return options;
}

struct FleetFixture {
  int64_t now() const { return toUnixMillis(clock.wallNow()); }

  // An agent of the pool, last heard from `ago` before now.
  Agent addAgent(const std::string& id, milliseconds ago = milliseconds(0)) {
    int64_t heard = now() - ago.count();
    return db.addAgent(pool.id, id, [heard](Agent& a) { a.last_heartbeat = heard; });
  }

  StoreFixture db;
  FakeClock clock;
  WaitSet waits;
  AgentSelector selector{[] { return uint64_t{0}; }};
  DurableCommandQueue durable{db.store(), clock, waits, selector, QueueOptions{}};
  HookedQueue queue{durable};
  FleetOptions options = offlineAfterTwoSeconds();
  FleetService fleet{db.store(), clock, queue, waits, options};
  Actor op{"tok_op", "10.0.0.2"};
  Pool pool = db.addPool("runners");
};

TEST_CASE("an agent whose parked poll takes work while the monitor is busy stays online",
          "[fleet]") {
  FleetFixture f;
  // Heard from within one round of the monitor: both are on its list once the clock has moved
  // past offline_after, the silent one first.
  f.addAgent("agt_a_silent", milliseconds(20));
  f.addAgent("agt_b_parked");
  EnqueueRequest r;
  r.pool_id = f.pool.id;
  r.action = "plan";
  auto enqueued = f.queue.enqueue(r, f.op);
  REQUIRE_OK(enqueued);
  const std::string pooled = enqueued->command.id;
  REQUIRE(enqueued->command.agent_id == "agt_a_silent");
  auto taken = f.queue.lease("agt_a_silent", 1);
  REQUIRE_OK(taken);
  REQUIRE(taken->commands.size() == 1);

  auto ticket = f.waits.arm("agt_b_parked", /*exclusive=*/true);
  f.clock.advance(milliseconds(3000));
  // The silent agent going offline wakes the parked poll, which leases the pool command and
  // answers before the monitor looks at the poll's agent.
  f.queue.after_offline = [&](const std::string& agent_id) {
    if (agent_id != "agt_a_silent") {
      return;
    }
    auto lease = f.queue.lease("agt_b_parked", 1);
    REQUIRE_OK(lease);
    CHECK(lease->commands.size() == 1);
    ticket.reset();
  };

  auto offline = f.fleet.markSilentOffline();
  REQUIRE_OK(offline);
  CHECK(*offline == 1);
  CHECK(f.db.agent("agt_a_silent").status == "offline");
  CHECK(f.db.agent("agt_b_parked").status == "online");
  CommandRecord moved = f.db.command(pooled);
  CHECK(moved.state == CommandState::kLeased);
  CHECK(moved.agent_id == "agt_b_parked");
  CHECK(moved.attempts == 2);
}

TEST_CASE("an agent whose answered poll outlasted offline_after stays online for offline_after",
          "[fleet]") {
  FleetFixture f;
  f.addAgent("agt_1");
  auto ticket = f.waits.arm("agt_1", /*exclusive=*/true);
  f.clock.advance(milliseconds(3000));
  auto parked = f.fleet.markSilentOffline();
  REQUIRE_OK(parked);
  CHECK(*parked == 0);

  // The poll is answered, here with a command handed over, which leaves the stored heartbeat
  // at the poll's start; the end is recorded while the poll still counts as parked.
  f.fleet.pollEnded("agt_1");
  ticket.reset();
  f.clock.advance(milliseconds(1999));
  auto answered = f.fleet.markSilentOffline();
  REQUIRE_OK(answered);
  CHECK(*answered == 0);
  CHECK(f.db.agent("agt_1").status == "online");

  f.clock.advance(milliseconds(1));
  auto silent = f.fleet.markSilentOffline();
  REQUIRE_OK(silent);
  CHECK(*silent == 1);
  CHECK(f.db.agent("agt_1").status == "offline");
}

}  // namespace
}  // namespace corral::master
