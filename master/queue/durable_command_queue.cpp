#include "master/queue/durable_command_queue.h"

#include <algorithm>
#include <optional>

#include "common/crypto.h"

namespace corral::master {
namespace {

constexpr int kMaxTimeoutS = 86'400;
constexpr int kMaxAttempts = 100;
// A poll refreshes the agent's last heartbeat at most this often; the offline threshold is in
// tens of seconds, so finer bookkeeping would only cost commits.
constexpr int64_t kTouchEveryMs = 1000;

Status checkOwnedLease(const CommandRecord& c, const std::string& agent_id, int64_t fence) {
  if (c.agent_id != agent_id) {
    return notFound("command '" + c.id + "' not found for this agent");
  }
  if (isTerminal(c.state)) {
    return conflict("command '" + c.id + "' already ended (" + commandStateName(c.state) + ")");
  }
  if (c.state == CommandState::kQueued || fence != c.attempts) {
    return conflict("stale fence " + std::to_string(fence) + " for command '" + c.id +
                    "': the lease expired and the command was redelivered (current fence " +
                    std::to_string(c.attempts) + ")");
  }
  return Status::ok();
}

void finish(CommandRecord& c, CommandState state, int64_t now, std::string reason,
            std::string error = {}) {
  c.state = state;
  c.finished_at = now;
  c.updated_at = now;
  c.reason = std::move(reason);
  if (!error.empty()) {
    c.error = std::move(error);
  }
}

// Records `c` as committed after a change from `previous`, when someone listens.
void noteChange(std::vector<CommandChange>* changes, const CommandRecord& c,
                std::optional<CommandState> previous) {
  if (changes != nullptr) {
    changes->push_back(CommandChange{c, previous});
  }
}

// Back to the queue after a lost lease: the same agent if it was named, else anyone eligible.
void requeue(CommandRecord& c, int64_t now) {
  c.state = CommandState::kQueued;
  c.lease_expires = 0;
  c.updated_at = now;
  c.cancel_delivered = false;
  if (c.target_type != "agent") {
    c.agent_id.clear();
  }
}

// Keys of the live agents that could take an unassigned command of this pool or cluster.
Status wakeCandidates(StoreTx& tx, const CommandRecord& c, std::vector<std::string>& wake) {
  auto live = c.target_type == "cluster" ? tx.agents().listLiveInCluster(c.target_cluster_id)
                                         : tx.agents().listLive(c.target_pool_id);
  if (!live.isOk()) {
    return live.status();
  }
  for (const auto& a : *live) {
    wake.push_back(a.id);
  }
  return Status::ok();
}

}  // namespace

DurableCommandQueue::DurableCommandQueue(Store& store, Clock& clock, Notifier& notifier,
                                         AgentSelector& selector, QueueOptions options,
                                         DispatchObserver* observer, CommandObserver* commands,
                                         AgentObserver* agents)
    : store_(store),
      clock_(clock),
      notifier_(notifier),
      selector_(selector),
      options_(options),
      observer_(observer),
      commands_(commands),
      agents_(agents) {}

void DurableCommandQueue::wakeAll(const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    notifier_.notify(k);
  }
}

void DurableCommandQueue::observeDispatch(const std::vector<int64_t>& queued_since) {
  if (observer_ == nullptr || queued_since.empty()) {
    return;
  }
  WallTime now = clock_.wallNow();
  for (int64_t since : queued_since) {
    auto waited =
        std::chrono::duration_cast<std::chrono::microseconds>(now - fromUnixMillis(since));
    observer_->commandDispatched(std::max(waited, std::chrono::microseconds(0)));
  }
}

Result<Enqueued> DurableCommandQueue::enqueue(const EnqueueRequest& r, const Actor& actor) {
  int targets = int(!r.agent_id.empty()) + int(!r.pool_id.empty()) + int(!r.cluster_id.empty());
  if (targets != 1) {
    return invalidArgument(
        "field 'target': expected exactly one of agent_id, pool_id or cluster_id");
  }
  if (r.action.empty()) {
    return invalidArgument("field 'action': expected a non-empty string");
  }
  if (r.timeout_s < 0 || r.timeout_s > kMaxTimeoutS) {
    return invalidArgument("field 'timeout_s': expected an integer from 1 to 86400");
  }
  if (r.deadline_s < 0 || r.deadline_s > 7 * kMaxTimeoutS) {
    return invalidArgument("field 'deadline_s': expected an integer from 1 to 604800");
  }
  if (r.max_attempts < 0 || r.max_attempts > kMaxAttempts) {
    return invalidArgument("field 'max_attempts': expected an integer from 1 to 100");
  }
  int64_t now = nowMs();
  std::vector<std::string> wake;
  std::unique_ptr<Notifier::Reservation> handoff;
  auto result = writeValue<Enqueued>(store_, [&](StoreTx& tx) -> Result<Enqueued> {
    wake.clear();
    bool may_hand_off = true;
    if (!r.idempotency_key.empty()) {
      auto existing = tx.commands().findByIdempotencyKey(r.idempotency_key);
      if (!existing.isOk()) {
        return existing.status();
      }
      if (*existing) {
        return Enqueued{std::move(**existing), false};
      }
    }
    CommandRecord c;
    c.id = newId("cmd_");
    c.action = r.action;
    c.params = r.params.is_null() ? Json::object() : r.params;
    c.timeout_s = r.timeout_s > 0 ? r.timeout_s : options_.default_timeout_s;
    c.max_attempts = r.max_attempts > 0 ? r.max_attempts : options_.default_max_attempts;
    c.deadline = now + (r.deadline_s > 0 ? int64_t(r.deadline_s) * 1000
                                         : int64_t(options_.default_deadline.count()));
    c.idempotency_key = r.idempotency_key;
    c.created_at = now;
    c.updated_at = now;
    c.created_by = actor.id;
    c.target_labels = r.labels;
    if (!r.agent_id.empty()) {
      auto agent = tx.agents().get(r.agent_id);
      if (!agent.isOk()) {
        return agent.status();
      }
      c.target_type = "agent";
      c.target_agent_id = r.agent_id;
      c.agent_id = r.agent_id;
      may_hand_off = !agent->drain;  // a draining agent keeps its own commands queued
    } else if (!r.pool_id.empty()) {
      auto pool = tx.pools().get(r.pool_id);
      if (!pool.isOk()) {
        return pool.status();
      }
      c.target_type = "pool";
      c.target_pool_id = r.pool_id;
      auto live = tx.agents().listLive(r.pool_id);
      auto busy = tx.agents().busyCounts(r.pool_id);
      if (!live.isOk() || !busy.isOk()) {
        return !live.isOk() ? live.status() : busy.status();
      }
      c.agent_id = selector_.select(*pool, *live, *busy, r.labels).value_or("");
    } else {
      c.target_type = "cluster";
      c.target_cluster_id = r.cluster_id;
      auto live = tx.agents().listLiveInCluster(r.cluster_id);
      if (!live.isOk()) {
        return live.status();
      }
      for (const auto& a : *live) {
        if (!a.drain && AgentSelector::labelsMatch(a.labels, r.labels)) {
          c.agent_id = a.id;
          break;
        }
      }
    }
    if (may_hand_off && !c.agent_id.empty()) {
      // Fast path: the agent has a poll parked and nothing queued before this command
      // (per-agent FIFO), so lease it to that poll in this transaction and hand it over after
      // the commit, without a second round through the store.
      auto older = tx.commands().queuedForAgent(c.agent_id, 1);
      if (!older.isOk()) {
        return older.status();
      }
      if (older->empty()) {
        handoff = notifier_.reserve(c.agent_id);
      }
    }
    if (handoff != nullptr) {
      startLease(c, c.agent_id, now);
    }
    Status inserted = tx.commands().insert(c);
    if (inserted.code() == ErrorCode::kConflict) {
      // Another request with the same key committed first in this group.
      auto existing = tx.commands().findByIdempotencyKey(r.idempotency_key);
      if (existing.isOk() && *existing) {
        return Enqueued{std::move(**existing), false};
      }
    }
    CORRAL_RETURN_IF_ERROR(inserted);
    CORRAL_RETURN_IF_ERROR(
        tx.audit().append(auditEntry(actor, now, "command.create", c.id,
                                     {{"action", c.action}, {"target_type", c.target_type}})));
    if (handoff != nullptr) {
      wake.push_back(commandKey(c.id));
    } else if (!c.agent_id.empty()) {
      wake.push_back(c.agent_id);
    } else if (c.target_type == "pool") {
      CORRAL_RETURN_IF_ERROR(wakeCandidates(tx, c, wake));
    }
    return Enqueued{std::move(c), true};
  });
  // Reported before anyone is woken, so that the command's later changes come after this one.
  if (result.isOk() && result->created && commands_ != nullptr) {
    commands_->commandChanged(CommandChange{result->command, std::nullopt});
  }
  if (handoff != nullptr) {
    if (result.isOk() && result->created) {
      notifier_.handOff(std::move(handoff), {result->command});
      observeDispatch({result->command.created_at});
    } else {
      notifier_.release(std::move(handoff));
    }
  }
  if (result.isOk()) {
    wakeAll(wake);
  }
  return result;
}

void DurableCommandQueue::startLease(CommandRecord& c, const std::string& agent_id,
                                     int64_t now) const {
  c.state = CommandState::kLeased;
  c.agent_id = agent_id;
  c.attempts += 1;
  c.leased_at = now;
  c.lease_expires = now + int64_t(c.timeout_s) * 1000 + int64_t(options_.lease_grace.count());
  c.updated_at = now;
}

bool DurableCommandQueue::leaseNeedsWrite(const std::string& agent_id, int64_t now) {
  bool needed = true;
  Status status = store_.read([&](StoreTx& tx) -> Status {
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status();
    }
    if (agent->status == "offline" || now - agent->last_heartbeat >= kTouchEveryMs) {
      return Status::ok();  // a sign of life worth recording
    }
    auto active = tx.commands().activeForAgent(agent_id);
    if (!active.isOk()) {
      return active.status();
    }
    for (const auto& c : *active) {
      // Every lease lists the cancelled commands still running, delivered or not; the write path
      // assembles that list, so the read-only answer (no cancellations) must not stand in for it.
      if (c.cancel_requested) {
        return Status::ok();
      }
    }
    if (!agent->drain) {
      auto own = tx.commands().queuedForAgent(agent_id, 1);
      auto spare = tx.commands().queuedUnassigned(agent->pool_id, agent->cluster_id, 1);
      if (!own.isOk() || !spare.isOk()) {
        return !own.isOk() ? own.status() : spare.status();
      }
      if (!own->empty() || !spare->empty()) {
        return Status::ok();
      }
    }
    needed = false;
    return Status::ok();
  });
  return needed || !status.isOk();
}

Result<Lease> DurableCommandQueue::lease(const std::string& agent_id, int max) {
  int64_t now = nowMs();
  // Most polls find nothing new: those are answered from a read, without a commit.
  if (!leaseNeedsWrite(agent_id, now)) {
    return Lease{};
  }
  std::vector<std::string> wake;
  std::vector<int64_t> queued_since;  // of each command leased, for the dispatch observer
  std::vector<CommandChange> changes;
  std::optional<Agent> came_back;  // the agent, when this poll brings it back from offline
  auto result = writeValue<Lease>(store_, [&](StoreTx& tx) -> Result<Lease> {
    wake.clear();
    queued_since.clear();
    changes.clear();
    came_back.reset();
    Lease lease;
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status();
    }
    CORRAL_RETURN_IF_ERROR(tx.agents().touch(agent_id, now));
    if (agent->status == "offline") {
      came_back = *agent;
      came_back->status = "online";  // what touch() just stored
    }

    auto active = tx.commands().activeForAgent(agent_id);
    if (!active.isOk()) {
      return active.status();
    }
    for (auto& c : *active) {
      if (!c.cancel_requested) {
        continue;
      }
      lease.cancel.push_back(c.id);
      if (!c.cancel_delivered) {
        c.cancel_delivered = true;
        c.updated_at = now;
        lease.news = true;
        CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
      }
    }
    if (agent->drain) {
      return lease;
    }

    std::vector<CommandRecord> picked;
    // SQLite reads a negative LIMIT as no limit at all.
    auto own = tx.commands().queuedForAgent(agent_id, std::max(max, 0));
    if (!own.isOk()) {
      return own.status();
    }
    for (auto& c : *own) {
      if (c.deadline <= now) {
        finish(c, CommandState::kExpired, now, "deadline", "not picked up before its deadline");
        wake.push_back(commandKey(c.id));
        CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
        noteChange(changesSink(changes), c, CommandState::kQueued);
        continue;
      }
      picked.push_back(std::move(c));
    }
    if (static_cast<int>(picked.size()) < max) {
      auto pool = tx.pools().get(agent->pool_id);
      if (!pool.isOk()) {
        return pool.status();
      }
      // Pool work goes only to agents the selector could have picked: one that reports draining
      // or error still gets what names it, but claims nothing from the pool.
      bool eligible = agent->status != "draining" && agent->status != "error" &&
                      AgentSelector::labelsMatch(agent->labels, pool->required_labels);
      auto spare = tx.commands().queuedUnassigned(agent->pool_id, agent->cluster_id, 64);
      if (!spare.isOk()) {
        return spare.status();
      }
      for (auto& c : *spare) {
        if (static_cast<int>(picked.size()) >= max) {
          break;
        }
        if ((c.target_type == "pool" && !eligible) ||
            !AgentSelector::labelsMatch(agent->labels, c.target_labels) || c.deadline <= now) {
          continue;
        }
        picked.push_back(std::move(c));
      }
    }
    for (auto& c : picked) {
      // A redelivered command went back to the queue when it was last updated.
      queued_since.push_back(c.attempts == 0 ? c.created_at : c.updated_at);
      startLease(c, agent_id, now);
      CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
      noteChange(changesSink(changes), c, CommandState::kQueued);
      wake.push_back(commandKey(c.id));
    }
    lease.news = lease.news || !picked.empty();
    lease.commands = std::move(picked);
    return lease;
  });
  if (result.isOk()) {
    if (came_back && agents_ != nullptr) {
      agents_->agentChanged(AgentChange{std::move(*came_back), "offline"});
    }
    reportCommandChanges(commands_, changes);
    wakeAll(wake);
    observeDispatch(queued_since);
  }
  return result;
}

Result<ProgressAck> DurableCommandQueue::progress(const std::string& agent_id,
                                                  const std::string& command_id, int64_t fence,
                                                  std::optional<int64_t> offset,
                                                  const std::string& log) {
  int64_t now = nowMs();
  bool started = false;
  std::vector<CommandChange> changes;
  auto result = writeValue<ProgressAck>(store_, [&](StoreTx& tx) -> Result<ProgressAck> {
    changes.clear();
    auto c = tx.commands().get(command_id);
    if (!c.isOk()) {
      return c.status();
    }
    CORRAL_RETURN_IF_ERROR(checkOwnedLease(*c, agent_id, fence));
    started = c->state == CommandState::kLeased;
    if (started) {
      c->state = CommandState::kRunning;
      c->started_at = now;
      c->updated_at = now;
      CORRAL_RETURN_IF_ERROR(tx.commands().update(*c));
      noteChange(changesSink(changes), *c, CommandState::kLeased);
    }
    ProgressAck ack;
    ack.cancel_requested = c->cancel_requested;
    ack.next_offset = c->log_size;
    if (!log.empty()) {
      auto size = tx.commands().appendLog(command_id, offset.value_or(c->log_size), log);
      if (!size.isOk()) {
        return size.status();
      }
      ack.next_offset = *size;
    }
    return ack;
  });
  if (result.isOk() && started) {
    reportCommandChanges(commands_, changes);
    notifier_.notify(commandKey(command_id));
  }
  return result;
}

Result<CommandRecord> DurableCommandQueue::complete(const std::string& agent_id,
                                                    const std::string& command_id,
                                                    const CompletionReport& report) {
  int64_t now = nowMs();
  std::vector<CommandChange> changes;
  auto result = writeValue<CommandRecord>(store_, [&](StoreTx& tx) -> Result<CommandRecord> {
    changes.clear();
    auto c = tx.commands().get(command_id);
    if (!c.isOk()) {
      return c.status();
    }
    if (c->agent_id == agent_id && isTerminal(c->state) && c->attempts == report.fence &&
        c->reason.empty()) {
      return std::move(*c);  // the agent retried a report the master already stored
    }
    CORRAL_RETURN_IF_ERROR(checkOwnedLease(*c, agent_id, report.fence));
    CommandState previous = c->state;
    CommandState state = report.success        ? CommandState::kSucceeded
                         : c->cancel_requested ? CommandState::kCancelled
                                               : CommandState::kFailed;
    finish(*c, state, now, "", report.error);
    c->result = report.data.is_null() ? Json::object() : report.data;
    if (c->started_at == 0) {
      c->started_at = c->leased_at;
    }
    CORRAL_RETURN_IF_ERROR(tx.commands().update(*c));
    noteChange(changesSink(changes), *c, previous);
    auto agent = tx.agents().get(agent_id);
    if (agent.isOk()) {
      agent->tasks_total += 1;
      (report.success ? agent->tasks_succeeded : agent->tasks_failed) += 1;
      CORRAL_RETURN_IF_ERROR(tx.agents().update(*agent));
    }
    return std::move(*c);
  });
  if (result.isOk()) {
    reportCommandChanges(commands_, changes);
    notifier_.notify(commandKey(command_id));
  }
  return result;
}

Result<CommandRecord> DurableCommandQueue::cancel(const std::string& command_id,
                                                  const Actor& actor) {
  int64_t now = nowMs();
  auto result = writeValue<CommandRecord>(store_, [&](StoreTx& tx) -> Result<CommandRecord> {
    auto c = tx.commands().get(command_id);
    if (!c.isOk()) {
      return c.status();
    }
    if (isTerminal(c->state)) {
      return conflict("command '" + command_id + "' already ended (" + commandStateName(c->state) +
                      ")");
    }
    if (c->state == CommandState::kQueued) {
      finish(*c, CommandState::kCancelled, now, "cancelled");
    } else {
      c->cancel_requested = true;
      c->updated_at = now;
    }
    CORRAL_RETURN_IF_ERROR(tx.commands().update(*c));
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "command.cancel", c->id)));
    return std::move(*c);
  });
  if (result.isOk()) {
    if (commands_ != nullptr) {
      // A leased or running command keeps its state; the change is cancel_requested.
      commands_->commandChanged(CommandChange{*result, result->state == CommandState::kCancelled
                                                           ? CommandState::kQueued
                                                           : result->state});
    }
    if (!result->agent_id.empty()) {
      notifier_.notify(result->agent_id);
    }
    notifier_.notify(commandKey(command_id));
  }
  return result;
}

Result<int> DurableCommandQueue::expireDue() {
  int64_t now = nowMs();
  std::vector<std::string> wake;
  std::vector<CommandChange> changes;
  auto result = writeValue<int>(store_, [&](StoreTx& tx) -> Result<int> {
    wake.clear();
    changes.clear();
    int changed = 0;
    auto leases = tx.commands().leasesExpiredAt(now);
    if (!leases.isOk()) {
      return leases.status();
    }
    for (auto& c : *leases) {
      CommandState previous = c.state;
      if (c.cancel_requested) {
        finish(c, CommandState::kCancelled, now, "cancelled", "lease expired after cancel");
      } else if (c.attempts >= c.max_attempts) {
        finish(c, CommandState::kFailed, now, "lease_expired",
               "no result after " + std::to_string(c.attempts) + " attempts");
      } else {
        requeue(c, now);
        if (c.agent_id.empty()) {
          CORRAL_RETURN_IF_ERROR(wakeCandidates(tx, c, wake));
        } else {
          wake.push_back(c.agent_id);
        }
      }
      wake.push_back(commandKey(c.id));
      CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
      noteChange(changesSink(changes), c, previous);
      ++changed;
    }
    auto deadlines = tx.commands().deadlinesPassedAt(now);
    if (!deadlines.isOk()) {
      return deadlines.status();
    }
    for (auto& c : *deadlines) {
      CommandState previous = c.state;
      finish(c, CommandState::kExpired, now, "deadline", "not picked up before its deadline");
      wake.push_back(commandKey(c.id));
      CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
      noteChange(changesSink(changes), c, previous);
      ++changed;
    }
    return changed;
  });
  if (result.isOk()) {
    reportCommandChanges(commands_, changes);
    wakeAll(wake);
  }
  return result;
}

Status DurableCommandQueue::releaseAgent(StoreTx& tx, const std::string& agent_id, int64_t now,
                                         const std::string& reason, std::vector<std::string>& wake,
                                         std::vector<CommandChange>* changes) {
  auto active = tx.commands().activeForAgent(agent_id);
  if (!active.isOk()) {
    return active.status();
  }
  for (auto& c : *active) {
    CommandState previous = c.state;
    if (c.cancel_requested) {
      finish(c, CommandState::kCancelled, now, "cancelled", "the agent left before finishing");
    } else if (c.target_type == "agent") {
      finish(c, CommandState::kFailed, now, reason, "the agent left before finishing");
    } else if (c.attempts >= c.max_attempts) {
      finish(c, CommandState::kFailed, now, reason,
             "no result after " + std::to_string(c.attempts) + " attempts");
    } else {
      requeue(c, now);
      CORRAL_RETURN_IF_ERROR(wakeCandidates(tx, c, wake));
    }
    wake.push_back(commandKey(c.id));
    CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
    noteChange(changes, c, previous);
  }
  auto assigned = tx.commands().queuedIndirectFor(agent_id);
  if (!assigned.isOk()) {
    return assigned.status();
  }
  for (auto& c : *assigned) {
    c.agent_id.clear();
    c.updated_at = now;
    CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
    CORRAL_RETURN_IF_ERROR(wakeCandidates(tx, c, wake));
  }
  // The agent itself is not a candidate any more: it is offline or gone.
  wake.erase(std::remove(wake.begin(), wake.end(), agent_id), wake.end());
  return Status::ok();
}

Result<bool> DurableCommandQueue::agentOffline(const std::string& agent_id, int64_t silent_before) {
  int64_t now = nowMs();
  std::vector<std::string> wake;
  std::vector<CommandChange> changes;
  std::optional<AgentChange> went_offline;
  auto went = writeValue<bool>(store_, [&](StoreTx& tx) -> Result<bool> {
    wake.clear();
    changes.clear();
    went_offline.reset();
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status();
    }
    // The caller decided on an earlier read: a lease or heartbeat may have landed since.
    if (agent->status == "offline" || agent->last_heartbeat >= silent_before) {
      return false;
    }
    std::string previous = agent->status;
    agent->status = "offline";
    CORRAL_RETURN_IF_ERROR(tx.agents().update(*agent));
    if (agents_ != nullptr) {
      went_offline = AgentChange{*agent, previous};
    }
    CORRAL_RETURN_IF_ERROR(
        releaseAgent(tx, agent_id, now, "agent_offline", wake, changesSink(changes)));
    CORRAL_RETURN_IF_ERROR(
        tx.audit().append(auditEntry(Actor{"system", ""}, now, "agent.offline", agent_id,
                                     {{"last_heartbeat", agent->last_heartbeat}})));
    return true;
  });
  if (went.isOk()) {
    if (went_offline) {
      agents_->agentChanged(*went_offline);
    }
    reportCommandChanges(commands_, changes);
    wakeAll(wake);
  }
  return went;
}

Result<std::vector<std::string>> DurableCommandQueue::pendingCancels(const std::string& agent_id) {
  int64_t now = nowMs();
  return writeValue<std::vector<std::string>>(
      store_, [&](StoreTx& tx) -> Result<std::vector<std::string>> {
        auto active = tx.commands().activeForAgent(agent_id);
        if (!active.isOk()) {
          return active.status();
        }
        std::vector<std::string> ids;
        for (auto& c : *active) {
          if (!c.cancel_requested) {
            continue;
          }
          ids.push_back(c.id);
          if (!c.cancel_delivered) {
            c.cancel_delivered = true;
            c.updated_at = now;
            CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
          }
        }
        return ids;
      });
}

}  // namespace corral::master
