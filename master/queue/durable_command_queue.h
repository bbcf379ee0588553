#pragma once

// CommandQueue over the Store, waking parked long-polls through a Notifier after each commit.
// Notification keys: an agent's id wakes that agent's poll; "cmd:<id>" wakes waiters on a
// command's end.

#include <chrono>

#include "common/clock.h"
#include "master/model/agent_observer.h"
#include "master/queue/command_observer.h"
#include "master/queue/command_queue.h"
#include "master/queue/dispatch_observer.h"
#include "master/queue/wait_set.h"
#include "master/scheduling/agent_selector.h"

namespace corral::master {

struct QueueOptions {
  std::chrono::milliseconds lease_grace{30'000};  // added to timeout_s for the visibility timeout
  std::chrono::milliseconds default_deadline{3'600'000};
  int default_timeout_s = 300;
  int default_max_attempts = 3;
};

inline std::string commandKey(const std::string& command_id) { return "cmd:" + command_id; }

class DurableCommandQueue final : public CommandQueue {
 public:
  // `observer`, when not null, hears of every command handed to an agent; `commands` of every
  // change of a command's state, and `agents` of agents going offline or coming back. Each must
  // outlive the queue.
  DurableCommandQueue(Store& store, Clock& clock, Notifier& notifier, AgentSelector& selector,
                      QueueOptions options, DispatchObserver* observer = nullptr,
                      CommandObserver* commands = nullptr, AgentObserver* agents = nullptr);

  Result<Enqueued> enqueue(const EnqueueRequest& request, const Actor& actor) override;
  Result<Lease> lease(const std::string& agent_id, int max) override;
  Result<ProgressAck> progress(const std::string& agent_id, const std::string& command_id,
                               int64_t fence, std::optional<int64_t> offset,
                               const std::string& log) override;
  Result<CommandRecord> complete(const std::string& agent_id, const std::string& command_id,
                                 const CompletionReport& report) override;
  Result<CommandRecord> cancel(const std::string& command_id, const Actor& actor) override;
  Result<int> expireDue() override;
  Result<bool> agentOffline(const std::string& agent_id, int64_t silent_before) override;
  Result<std::vector<std::string>> pendingCancels(const std::string& agent_id) override;

  // Inside a transaction: takes the agent's work away from it. Commands aimed at a pool or a
  // cluster go back to the queue for another agent; those that named the agent fail with
  // `reason`. Adds the keys to wake to `wake` and, when `changes` is not null, the commands whose
  // state changed to `changes`, for the caller to report after the commit.
  static Status releaseAgent(StoreTx& tx, const std::string& agent_id, int64_t now,
                             const std::string& reason, std::vector<std::string>& wake,
                             std::vector<CommandChange>* changes = nullptr);

 private:
  int64_t nowMs() const { return toUnixMillis(clock_.wallNow()); }
  // Whether a poll at `now` has anything to commit: commands to lease, a cancellation to
  // deliver, or a heartbeat to record.
  bool leaseNeedsWrite(const std::string& agent_id, int64_t now);
  // Sets the fields of a new lease of `c` to the agent: the next attempt, which is also the
  // fencing token, and the visibility timeout.
  void startLease(CommandRecord& c, const std::string& agent_id, int64_t now) const;
  void wakeAll(const std::vector<std::string>& keys);
  // Tells the observer that commands which entered the queue at `queued_since` (wall-clock
  // milliseconds) were handed over just now.
  void observeDispatch(const std::vector<int64_t>& queued_since);
  // Where a transaction collects the changes of command states to report after its commit: null
  // when nobody listens, so that nothing is copied.
  std::vector<CommandChange>* changesSink(std::vector<CommandChange>& changes) const {
    return commands_ != nullptr ? &changes : nullptr;
  }

  Store& store_;
  Clock& clock_;
  Notifier& notifier_;
  AgentSelector& selector_;
  QueueOptions options_;
  DispatchObserver* observer_;  // may be null
  CommandObserver* commands_;   // may be null
  AgentObserver* agents_;       // may be null
};

}  // namespace corral::master
