#include "agent/scheduler/command_scheduler.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "tests/agent/support/fake_master_gateway.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace corral::agent {
namespace {

using testing::FakeMasterGateway;
using testing::kWaitDeadline;

// Runs commands by the "key" in their params: a held key blocks in execute() until released, and
// the outcome is the one set for the key (a success by default). Thread-safe.
class FakeExecutor final : public CommandExecutor {
 public:
  CommandOutcome execute(const std::string& /*action*/, const Json& params) override {
    std::unique_lock lock(mutex_);
    std::string key = params.value("key", "");
    started_.push_back(key);
    ++running_;
    most_at_once_ = std::max(most_at_once_, running_);
    cv_.notify_all();
    // Bounded, so that a failing test ends instead of hanging.
    cv_.wait_for(lock, kWaitDeadline, [&] { return held_.count(key) == 0; });
    --running_;
    auto it = outcomes_.find(key);
    return it == outcomes_.end() ? success() : it->second;
  }

  void hold(const std::string& key) {
    std::lock_guard lock(mutex_);
    held_.insert(key);
  }
  void release(const std::string& key) {
    std::lock_guard lock(mutex_);
    held_.erase(key);
    cv_.notify_all();
  }
  void releaseAll() {
    std::lock_guard lock(mutex_);
    held_.clear();
    cv_.notify_all();
  }
  void setOutcome(const std::string& key, CommandOutcome outcome) {
    std::lock_guard lock(mutex_);
    outcomes_[key] = std::move(outcome);
  }

  // Blocks until `n` commands are inside execute() at once, or the deadline passes (false).
  bool waitForRunning(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kWaitDeadline, [&] { return running_ >= n; });
  }
  std::vector<std::string> started() const {
    std::lock_guard lock(mutex_);
    return started_;
  }
  int mostAtOnce() const {
    std::lock_guard lock(mutex_);
    return most_at_once_;
  }

 private:
  static CommandOutcome success() {
    CommandOutcome outcome;
    outcome.success = true;
    return outcome;
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::set<std::string> held_;                      // guarded by mutex_
  std::map<std::string, CommandOutcome> outcomes_;  // guarded by mutex_
  std::vector<std::string> started_;                // guarded by mutex_
  int running_ = 0;                                 // guarded by mutex_
  int most_at_once_ = 0;                            // guarded by mutex_
};

proto::Command command(const std::string& id, const std::string& key, int64_t fence = 1) {
  proto::Command c;
  c.id = id;
  c.action = "scale";
  c.params = {{"key", key}};
  c.fence = fence;
  c.created_at = "2026-01-01T00:00:00Z";
  return c;
}

proto::PollResponse delivering(std::vector<proto::Command> commands) {
  proto::PollResponse answer;
  answer.commands = std::move(commands);
  return answer;
}

proto::RegisterRequest identity() {
  proto::RegisterRequest r;
  r.name = "runner-1";
  r.type = "host";
  r.protocol_version = proto::kProtocolVersion;
  return r;
}

// A scheduler over fakes, with a registered session. Held commands are released before the
// scheduler is destroyed, since its destructor waits for them.
struct Harness {
  explicit Harness(int slots = 3) : options{slots, 25} {
    REQUIRE(session.start().isOk());
    clock.setAutoAdvance(true);
  }
  ~Harness() { executor.releaseAll(); }

  corral::testing::TempDir dir;
  FakeMasterGateway gateway;
  Session session{gateway, identity(), "crl_enr_runners", dir.path().string()};
  corral::testing::FakeClock clock;
  FakeExecutor executor;
  std::atomic<int> cluster_changes{0};
  std::promise<std::string> credential_lost;
  CommandSchedulerOptions options;
  CommandScheduler scheduler{
      gateway,
      session,
      executor,
      clock,
      Backoff(std::chrono::milliseconds(100), std::chrono::milliseconds(800),
              [] { return uint64_t{60}; }),
      options,
      {[this] { ++cluster_changes; },
       [this](const corral::Status& s) { credential_lost.set_value(s.message()); }}};
};

TEST_CASE("pollOnce asks the master for as many commands as there are free slots",
          "[agent][scheduler][commands]") {
  Harness h(3);
  h.executor.hold("a");
  h.gateway.queuePoll(delivering({command("cmd_a", "a")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(1));

  h.gateway.queuePoll(std::optional<proto::PollResponse>());  // 204: nothing to do
  REQUIRE(h.scheduler.pollOnce().isOk());

  auto polls = h.gateway.polls();
  REQUIRE(polls.size() == 2);
  CHECK(polls[0].max == 3);
  CHECK(polls[0].wait_s == 25);
  CHECK(polls[1].max == 2);
  CHECK(h.scheduler.running() == std::vector<std::string>{"cmd_a"});
}

TEST_CASE("commands run concurrently up to the slots, and a full scheduler does not poll",
          "[agent][scheduler][commands]") {
  Harness h(2);
  h.executor.hold("a");
  h.executor.hold("b");
  h.gateway.queuePoll(delivering({command("cmd_a", "a"), command("cmd_b", "b")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(2));

  // Both slots are busy: the next pass waits for one to free before it asks for anything.
  auto next = std::async(std::launch::async, [&] { return h.scheduler.pollOnce(); });
  h.gateway.queuePoll(delivering({command("cmd_c", "c")}));
  CHECK(h.gateway.polls().size() == 1);
  h.executor.release("a");
  REQUIRE(next.wait_for(kWaitDeadline) == std::future_status::ready);
  REQUIRE(next.get().isOk());

  auto polls = h.gateway.polls();
  REQUIRE(polls.size() == 2);
  CHECK(polls[1].max == 1);
  auto calls = h.gateway.calls();
  auto finished_a = std::find(calls.begin(), calls.end(), "result cmd_a");
  auto second_poll = std::find(calls.rbegin(), calls.rend(), "poll").base() - 1;
  CHECK(finished_a < second_poll);
  h.executor.release("b");
  CHECK(h.scheduler.drain(kWaitDeadline) == 0);
  CHECK(h.executor.mostAtOnce() == 2);
  auto started = h.executor.started();
  std::sort(started.begin(), started.end());
  CHECK(started == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("the result carries the fence, the outcome, its data, its error and its timings",
          "[agent][scheduler][commands]") {
  Harness h;
  CommandOutcome ok;
  ok.success = true;
  ok.data = {{"replicas", 3}};
  ok.started_at = "2026-01-01T00:00:01Z";
  ok.finished_at = "2026-01-01T00:00:02Z";
  ok.duration_ms = 1'500;
  h.executor.setOutcome("ok", ok);
  CommandOutcome failed;
  failed.success = false;
  failed.error = "deployments.apps \"web\" not found";
  failed.duration_ms = 12;
  h.executor.setOutcome("bad", failed);
  h.gateway.queuePoll(delivering({command("cmd_ok", "ok", 7), command("cmd_bad", "bad", 9)}));

  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.gateway.waitForReports(2));

  std::map<std::string, proto::ResultRequest> by_id;
  for (const auto& report : h.gateway.reports()) {
    by_id[report.command_id] = report.request;
  }
  REQUIRE(by_id.count("cmd_ok") == 1);
  CHECK(by_id["cmd_ok"].fence == 7);
  CHECK(by_id["cmd_ok"].success);
  CHECK(by_id["cmd_ok"].data == Json{{"replicas", 3}});
  CHECK(by_id["cmd_ok"].error.empty());
  CHECK(by_id["cmd_ok"].started_at == "2026-01-01T00:00:01Z");
  CHECK(by_id["cmd_ok"].finished_at == "2026-01-01T00:00:02Z");
  CHECK(by_id["cmd_ok"].duration_ms == 1'500);
  REQUIRE(by_id.count("cmd_bad") == 1);
  CHECK(by_id["cmd_bad"].fence == 9);
  CHECK_FALSE(by_id["cmd_bad"].success);
  CHECK(by_id["cmd_bad"].error == "deployments.apps \"web\" not found");
  CHECK(by_id["cmd_bad"].duration_ms == 12);
}

TEST_CASE("a result refused with 409 is dropped and the scheduler goes on",
          "[agent][scheduler][commands]") {
  Harness h;
  h.gateway.queueResult(conflict("stale fence 1, the command was redelivered (HTTP 409)"));
  h.gateway.queuePoll(delivering({command("cmd_a", "a")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.gateway.waitForReports(1));
  CHECK(h.scheduler.drain(kWaitDeadline) == 0);
  CHECK(h.scheduler.running().empty());

  h.gateway.queuePoll(delivering({command("cmd_b", "b")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.gateway.waitForReports(2));
  // Not sent again: another delivery's result is the one that counts.
  auto reports = h.gateway.reports();
  CHECK(std::count_if(reports.begin(), reports.end(),
                      [](const auto& r) { return r.command_id == "cmd_a"; }) == 1);
}

TEST_CASE("a command cancelled while it runs is reported as failed and cancelled",
          "[agent][scheduler][commands]") {
  Harness h;
  h.executor.hold("a");
  h.gateway.queuePoll(delivering({command("cmd_a", "a")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(1));

  SECTION("through a heartbeat answer") { h.scheduler.cancel({"cmd_a", "cmd_unknown"}); }
  SECTION("through a poll answer") {
    proto::PollResponse answer;
    answer.cancel = {"cmd_a"};
    h.gateway.queuePoll(answer);
    REQUIRE(h.scheduler.pollOnce().isOk());
  }
  h.executor.release("a");  // the executor says it succeeded; the operator's word wins

  REQUIRE(h.gateway.waitForReports(1));
  auto report = h.gateway.reports()[0];
  CHECK(report.command_id == "cmd_a");
  CHECK_FALSE(report.request.success);
  CHECK_THAT(report.request.error, Catch::Contains("cancelled"));
}

TEST_CASE("a command delivered again while it runs runs once and reports under the newer fence",
          "[agent][scheduler][commands]") {
  Harness h;
  h.executor.hold("a");
  h.gateway.queuePoll(delivering({command("cmd_a", "a", 1)}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(1));

  // Its lease ran out while it ran; the master leased it again, with a higher fence.
  proto::Command again = command("cmd_a", "a", 2);
  again.attempt = 2;
  h.gateway.queuePoll(delivering({again}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  CHECK(h.scheduler.running() == std::vector<std::string>{"cmd_a"});
  h.executor.release("a");

  CHECK(h.scheduler.drain(kWaitDeadline) == 0);
  CHECK(h.executor.started() == std::vector<std::string>{"a"});
  auto reports = h.gateway.reports();
  REQUIRE(reports.size() == 1);
  // The first fence is stale by now; only the second one's result counts on the master.
  CHECK(reports[0].request.fence == 2);
}

TEST_CASE("cluster_changed runs after a command that changed the cluster, and only then",
          "[agent][scheduler][commands]") {
  Harness h;
  CommandOutcome read;
  read.success = true;
  h.executor.setOutcome("logs", read);
  CommandOutcome scaled;
  scaled.success = true;
  scaled.changed_cluster = true;
  h.executor.setOutcome("scale", scaled);

  h.gateway.queuePoll(delivering({command("cmd_logs", "logs")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.scheduler.drain(kWaitDeadline) == 0);
  REQUIRE(h.gateway.reports().size() == 1);
  CHECK(h.cluster_changes == 0);

  h.gateway.queuePoll(delivering({command("cmd_scale", "scale")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.scheduler.drain(kWaitDeadline) == 0);
  CHECK(h.cluster_changes == 1);
}

TEST_CASE("stop() ends polling through the gateway and drain() waits for running commands",
          "[agent][scheduler][commands]") {
  Harness h;
  h.executor.hold("a");
  h.gateway.queuePoll(delivering({command("cmd_a", "a")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(1));

  h.scheduler.stop();
  CHECK(h.gateway.stopPollingCalls() == 1);
  CHECK(h.scheduler.pollOnce().isOk());
  CHECK(h.gateway.polls().size() == 1);  // no poll after stop()

  auto drained = std::async(std::launch::async, [&] { return h.scheduler.drain(kWaitDeadline); });
  h.executor.release("a");
  REQUIRE(drained.wait_for(kWaitDeadline) == std::future_status::ready);
  CHECK(drained.get() == 0);
  // The running command could still report after polling stopped.
  REQUIRE(h.gateway.reports().size() == 1);
  CHECK(h.gateway.reports()[0].request.success);
}

TEST_CASE("drain() returns how many commands still run when the grace runs out",
          "[agent][scheduler][commands]") {
  Harness h;
  h.executor.hold("a");
  h.executor.hold("b");
  h.gateway.queuePoll(delivering({command("cmd_a", "a"), command("cmd_b", "b")}));
  REQUIRE(h.scheduler.pollOnce().isOk());
  REQUIRE(h.executor.waitForRunning(2));
  h.scheduler.stop();

  CHECK(h.scheduler.drain(std::chrono::milliseconds(20)) == 2);
  CHECK(h.gateway.reports().empty());
}

TEST_CASE("the loop polls again at once after an answer and backs off after a failure",
          "[agent][scheduler][commands]") {
  Harness h;
  h.gateway.queuePoll(std::optional<proto::PollResponse>());
  h.gateway.queuePoll(unavailable("the master is starting (HTTP 503)"));
  h.scheduler.start();
  REQUIRE(h.gateway.waitForPolls(3));  // the third one parks until stop()

  // One wait, after the failure, drawn from the backoff (60 below its 100 ms ceiling).
  CHECK(h.clock.sleeps() == std::vector<Millis>{Millis(60)});
  h.scheduler.stop();
}

TEST_CASE("a 401 on poll makes the loop enrol again and poll with the new credential",
          "[agent][scheduler][commands]") {
  Harness h;
  REQUIRE(h.gateway.token() == "crl_agt_1");
  h.gateway.queuePoll(unauthenticated("the agent token was revoked (HTTP 401)"));
  h.scheduler.start();

  REQUIRE(h.gateway.waitForRegistrations(2));
  REQUIRE(h.gateway.waitForPolls(2));
  auto registration = h.gateway.registrations()[1];
  CHECK(registration.enrollment_token == "crl_enr_runners");
  CHECK(registration.request.previous_token == "crl_agt_1");
  auto polls = h.gateway.polls();
  CHECK(polls[0].token == "crl_agt_1");
  CHECK(polls[1].token == "crl_agt_2");
  h.scheduler.stop();
}

TEST_CASE("a credential that cannot be recovered stops the loop and tells its owner",
          "[agent][scheduler][commands]") {
  Harness h;
  h.gateway.queuePoll(unauthenticated("the agent token was revoked (HTTP 401)"));
  h.gateway.queueRegister(conflict("an agent named runner-1 already exists (HTTP 409)"));
  auto lost = h.credential_lost.get_future();
  h.scheduler.start();

  REQUIRE(lost.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(lost.get().find("runner-1") != std::string::npos);
  CHECK(h.gateway.polls().size() == 1);  // no poll after the loss
  h.scheduler.stop();
}

TEST_CASE("stop() ends a loop whose poll is parked on the master", "[agent][scheduler][commands]") {
  auto h = std::make_unique<Harness>();
  h->scheduler.start();
  REQUIRE(h->gateway.waitForPolls(1));
  h->scheduler.stop();
  CHECK(h->gateway.stopPollingCalls() == 1);
  // The destructor joins the loop, which ends because the parked poll was abandoned (were it not,
  // the test would hang here until the test runner's timeout).
  h.reset();
}

}  // namespace
}  // namespace corral::agent
