#pragma once

// The durable command queue: what operators enqueue and agents lease, with the semantics of
// docs/protocol.md: per-agent FIFO, leases with a visibility timeout and a fencing token,
// redelivery up to a maximum of attempts, pick-up deadlines, cancellation that reaches a running
// command, and idempotency keys. Every state change is committed to the store before the call
// returns. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "master/auth/principal.h"
#include "master/model/model.h"
#include "master/store/store.h"

namespace corral::master {

struct EnqueueRequest {
  // Exactly one target: an agent, a pool (optionally narrowed by labels), or a cluster.
  std::string agent_id;
  std::string pool_id;
  Labels labels;
  std::string cluster_id;
  std::string action;
  Json params = Json::object();
  int timeout_s = 0;     // 0: the configured default
  int deadline_s = 0;    // seconds to be picked up; 0: the configured default
  int max_attempts = 0;  // 0: the configured default
  std::string idempotency_key;
};

struct Enqueued {
  CommandRecord command;
  bool created = true;  // false when the idempotency key returned an earlier command
};

struct Lease {
  std::vector<CommandRecord> commands;
  std::vector<std::string> cancel;  // running commands of the agent that were cancelled
  bool news = false;                // commands, or a cancellation not delivered before
};

struct ProgressAck {
  bool cancel_requested = false;
  int64_t next_offset = 0;
};

struct CompletionReport {
  int64_t fence = 0;
  bool success = false;
  Json data;
  std::string error;
};

class CommandQueue {
 public:
  virtual ~CommandQueue() = default;

  // kNotFound for an unknown target agent or pool; kInvalidArgument for a bad request.
  virtual Result<Enqueued> enqueue(const EnqueueRequest& request, const Actor& actor) = 0;
  // Leases up to `max` queued commands to the agent, oldest first, and collects cancellations.
  // Records the call as a sign of life of the agent. Never blocks.
  virtual Result<Lease> lease(const std::string& agent_id, int max) = 0;
  // kNotFound when the command is not this agent's; kConflict for a stale fence or an ended
  // command.
  virtual Result<ProgressAck> progress(const std::string& agent_id, const std::string& command_id,
                                       int64_t fence, std::optional<int64_t> offset,
                                       const std::string& log) = 0;
  // Ends the command with the agent's result. Repeating the same report is answered with the
  // stored command; a stale fence is kConflict and changes nothing.
  virtual Result<CommandRecord> complete(const std::string& agent_id, const std::string& command_id,
                                         const CompletionReport& report) = 0;
  // Queued commands end at once; leased or running ones are flagged, and the agent is told on its
  // next poll or heartbeat. kConflict for a command that already ended.
  virtual Result<CommandRecord> cancel(const std::string& command_id, const Actor& actor) = 0;

  // Ends leases and deadlines that are due now: a lease expiring is redelivered until the
  // command runs out of attempts. Returns the number of commands changed.
  virtual Result<int> expireDue() = 0;
  // The agent went silent: marks it offline, redelivers its pool and cluster commands elsewhere
  // and fails the ones that named it (reason agent_offline). Only while its last heartbeat, as
  // the transaction reads it, is still before `silent_before` (unix ms): a sign of life recorded
  // after the caller found the agent silent keeps it online. Returns whether it went offline now
  // (false as well when it already was).
  virtual Result<bool> agentOffline(const std::string& agent_id, int64_t silent_before) = 0;
  // Cancellations for the agent's running commands, marking them delivered (for heartbeats).
  virtual Result<std::vector<std::string>> pendingCancels(const std::string& agent_id) = 0;
};

}  // namespace corral::master
