#include "master/fleet/fleet_service.h"

#include <algorithm>
#include <optional>

#include "common/crypto.h"
#include "master/queue/durable_command_queue.h"
#include "master/scheduling/agent_selector.h"

namespace corral::master {
Status validatePool(const Pool& p) {
  if (p.name.empty() || p.name.size() > 128) {
    return invalidArgument("field 'name': expected a string of 1 to 128 bytes");
  }
  if (p.pool_type != "static" && p.pool_type != "k8s") {
    return invalidArgument("field 'pool_type': expected one of static, k8s");
  }
  const auto& names = selectionStrategies();
  if (std::find(names.begin(), names.end(), p.selection_strategy) == names.end()) {
    return invalidArgument(
        "field 'selection_strategy': expected one of round_robin, least_busy, random, "
        "label_match");
  }
  if (p.slots_per_agent < 1 || p.slots_per_agent > 64) {
    return invalidArgument("field 'slots_per_agent': expected an integer from 1 to 64");
  }
  return Status::ok();
}

FleetService::FleetService(Store& store, Clock& clock, CommandQueue& queue, WaitSet& waits,
                           FleetOptions options, AgentObserver* agents, CommandObserver* commands)
    : store_(store),
      clock_(clock),
      queue_(queue),
      waits_(waits),
      options_(options),
      agents_(agents),
      commands_(commands) {}

Result<Pool> FleetService::createPool(Pool pool, const Actor& actor) {
  CORRAL_RETURN_IF_ERROR(validatePool(pool));
  int64_t now = nowMs();
  pool.id = newId("pool_");
  pool.created_at = now;
  pool.updated_at = now;
  CORRAL_RETURN_IF_ERROR(store_.write([&](StoreTx& tx) {
    CORRAL_RETURN_IF_ERROR(tx.pools().insert(pool));
    return tx.audit().append(auditEntry(actor, now, "pool.create", pool.id, {{"name", pool.name}}));
  }));
  return pool;
}

Result<Pool> FleetService::updatePool(const std::string& id,
                                      const std::function<Status(Pool&)>& edit,
                                      const Actor& actor) {
  int64_t now = nowMs();
  return writeValue<Pool>(store_, [&](StoreTx& tx) -> Result<Pool> {
    auto pool = tx.pools().get(id);
    if (!pool.isOk()) {
      return pool.status();
    }
    CORRAL_RETURN_IF_ERROR(edit(*pool));
    CORRAL_RETURN_IF_ERROR(validatePool(*pool));
    pool->id = id;
    pool->updated_at = now;
    CORRAL_RETURN_IF_ERROR(tx.pools().update(*pool));
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "pool.update", id)));
    return std::move(*pool);
  });
}

Status FleetService::deletePool(const std::string& id, const Actor& actor) {
  int64_t now = nowMs();
  return store_.write([&](StoreTx& tx) {
    auto pool = tx.pools().get(id);
    if (!pool.isOk()) {
      return pool.status();
    }
    auto agents = tx.pools().countAgents(id);
    if (!agents.isOk()) {
      return agents.status();
    }
    if (*agents > 0) {
      return conflict("pool '" + id + "' still has " + std::to_string(*agents) +
                      " agent(s); delete or move them first");
    }
    CORRAL_RETURN_IF_ERROR(tx.pools().remove(id));
    return tx.audit().append(auditEntry(actor, now, "pool.delete", id, {{"name", pool->name}}));
  });
}

Result<Pool> FleetService::getPool(const std::string& id) {
  return readValue<Pool>(store_, [&](StoreTx& tx) { return tx.pools().get(id); });
}

Result<std::vector<Pool>> FleetService::listPools(const Page& page) {
  return readValue<std::vector<Pool>>(store_, [&](StoreTx& tx) { return tx.pools().list(page); });
}

Result<Agent> FleetService::addAgentToPool(const std::string& pool_id, const std::string& agent_id,
                                           const Actor& actor) {
  int64_t now = nowMs();
  std::vector<std::string> wake;
  std::vector<CommandChange> changes;
  auto result = writeValue<Agent>(store_, [&](StoreTx& tx) -> Result<Agent> {
    wake.clear();
    changes.clear();
    auto pool = tx.pools().get(pool_id);
    if (!pool.isOk()) {
      return pool.status();
    }
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status();
    }
    if (agent->pool_id == pool_id) {
      return std::move(*agent);
    }
    // Work queued for the old pool must not follow the agent into the new one.
    CORRAL_RETURN_IF_ERROR(DurableCommandQueue::releaseAgent(
        tx, agent_id, now, "agent_moved", wake, commands_ != nullptr ? &changes : nullptr));
    std::string from = agent->pool_id;
    agent->pool_id = pool_id;
    Status moved = tx.agents().update(*agent);
    if (moved.code() == ErrorCode::kConflict) {
      return conflict("pool '" + pool_id + "' already has an agent named '" + agent->name + "'");
    }
    CORRAL_RETURN_IF_ERROR(moved);
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "pool.add_agent", pool_id,
                                                        {{"agent_id", agent_id}, {"from", from}})));
    return std::move(*agent);
  });
  if (result.isOk()) {
    reportCommandChanges(commands_, changes);
    for (const auto& k : wake) {
      waits_.notify(k);
    }
  }
  return result;
}

Result<Registration> FleetService::registerAgent(const Principal& enrollment,
                                                 const proto::RegisterRequest& r,
                                                 const Actor& actor) {
  auto major = proto::protocolMajor(r.protocol_version);
  if (!major.isOk()) {
    return major.status();
  }
  if (*major != proto::kProtocolMajor) {
    return invalidArgument("field 'protocol_version': this master speaks protocol " +
                           std::string(proto::kProtocolVersion) + " and cannot serve an agent of " +
                           r.protocol_version + "; upgrade the older side");
  }
  int64_t now = nowMs();
  std::optional<AgentChange> change;  // for the observer, after the commit
  auto registration = writeValue<Registration>(store_, [&](StoreTx& tx) -> Result<Registration> {
    change.reset();
    // Re-read the enrollment token inside the transaction so concurrent registrations cannot
    // overshoot its maximum number of uses.
    auto token = tx.tokens().get(enrollment.token_id);
    if (!token.isOk()) {
      return unauthenticated("unknown token");
    }
    if (token->revoked_at != 0 || (token->max_uses != 0 && token->use_count >= token->max_uses)) {
      return unauthenticated("the enrollment token is revoked or used up");
    }
    auto pool = tx.pools().get(enrollment.pool_id);
    if (!pool.isOk()) {
      return unauthenticated("the enrollment token's pool no longer exists");
    }
    auto existing = tx.agents().findByName(pool->id, r.name);
    if (!existing.isOk()) {
      return existing.status();
    }
    Registration reg;
    Agent agent;
    std::string previous_status;
    if (*existing) {
      agent = std::move(**existing);
      previous_status = agent.status;
      bool proven = false;
      if (!r.previous_token.empty()) {
        auto previous = TokenService::find(tx, r.previous_token);
        if (!previous.isOk()) {
          return previous.status();
        }
        proven = *previous && (*previous)->kind == TokenKind::kAgent &&
                 (*previous)->agent_id == agent.id && (*previous)->revoked_at == 0;
      }
      if (!proven) {
        return conflict("an agent named '" + r.name + "' is already registered in pool '" +
                        pool->name +
                        "'; present its previous credential as previous_token, choose another "
                        "name, or delete the old agent");
      }
      reg.created = false;
    } else {
      agent.id = newId("agt_");
      agent.pool_id = pool->id;
      agent.name = r.name;
      agent.registered_at = now;
    }
    agent.type = r.type;
    agent.labels = r.labels;
    agent.capabilities = r.capabilities;
    agent.version = r.version;
    agent.hostname = r.hostname;
    agent.cluster_id = r.cluster_id;
    agent.slots_total = r.slots;
    agent.status = "online";
    agent.status_message.clear();
    agent.last_heartbeat = now;
    if (reg.created) {
      CORRAL_RETURN_IF_ERROR(tx.agents().insert(agent));
    } else {
      CORRAL_RETURN_IF_ERROR(tx.agents().update(agent));
      CORRAL_RETURN_IF_ERROR(tx.tokens().revokeForAgent(agent.id, now));
    }
    TokenSpec spec;
    spec.name = "agent " + agent.name;
    auto issued = TokenService::insert(tx, TokenKind::kAgent, spec, agent.id, now, actor.id);
    if (!issued.isOk()) {
      return issued.status();
    }
    CORRAL_RETURN_IF_ERROR(tx.tokens().recordUse(enrollment.token_id, now));
    CORRAL_RETURN_IF_ERROR(tx.audit().append(
        auditEntry(actor, now, reg.created ? "agent.register" : "agent.reregister", agent.id,
                   {{"name", agent.name}, {"pool_id", agent.pool_id}})));
    reg.response.agent_id = agent.id;
    reg.response.agent_token = issued->secret;
    reg.response.pool_id = agent.pool_id;
    reg.response.protocol_version = proto::kProtocolVersion;
    reg.response.heartbeat_interval_s = options_.heartbeat_interval_s;
    reg.response.poll_wait_s = options_.poll_wait_s;
    reg.response.snapshot_interval_s = options_.snapshot_interval_s;
    reg.response.offline_after_s = static_cast<int>(options_.offline_after.count() / 1000);
    if (agents_ != nullptr) {
      change = AgentChange{agent, previous_status};
    }
    return reg;
  });
  if (registration.isOk() && change) {
    agents_->agentChanged(*change);
  }
  return registration;
}

Result<proto::HeartbeatResponse> FleetService::heartbeat(const std::string& agent_id,
                                                         const proto::HeartbeatRequest& r) {
  int64_t now = nowMs();
  std::string previous_status;
  auto agent = writeValue<Agent>(store_, [&](StoreTx& tx) -> Result<Agent> {
    auto a = tx.agents().get(agent_id);
    if (!a.isOk()) {
      return a.status();
    }
    previous_status = a->status;
    a->last_heartbeat = now;
    a->slots_total = r.slots_total;
    a->slots_used = r.slots_used;
    a->load = r.load;
    a->status_message = r.message;
    if (a->drain || r.status == "draining") {
      a->status = "draining";
    } else if (r.status == "error") {
      a->status = "error";
    } else if (r.slots_total > 0 && r.slots_used >= r.slots_total) {
      a->status = "busy";
    } else {
      a->status = "online";
    }
    CORRAL_RETURN_IF_ERROR(tx.agents().update(*a));
    return std::move(*a);
  });
  if (!agent.isOk()) {
    return agent.status();
  }
  if (agents_ != nullptr && agent->status != previous_status) {
    agents_->agentChanged(AgentChange{*agent, previous_status});
  }
  auto cancels = queue_.pendingCancels(agent_id);
  if (!cancels.isOk()) {
    return cancels.status();
  }
  proto::HeartbeatResponse response;
  response.cancel = std::move(*cancels);
  response.drain = agent->drain;
  response.heartbeat_interval_s = options_.heartbeat_interval_s;
  return response;
}

Result<Agent> FleetService::getAgent(const std::string& id) {
  return readValue<Agent>(store_, [&](StoreTx& tx) { return tx.agents().get(id); });
}

Result<std::vector<Agent>> FleetService::listAgents(const AgentFilter& filter, const Page& page) {
  return readValue<std::vector<Agent>>(store_,
                                       [&](StoreTx& tx) { return tx.agents().list(filter, page); });
}

Result<Agent> FleetService::updateAgent(const std::string& id,
                                        const std::function<Status(Agent&)>& edit,
                                        const Actor& actor) {
  int64_t now = nowMs();
  std::string previous_status;
  auto result = writeValue<Agent>(store_, [&](StoreTx& tx) -> Result<Agent> {
    auto agent = tx.agents().get(id);
    if (!agent.isOk()) {
      return agent.status();
    }
    previous_status = agent->status;
    CORRAL_RETURN_IF_ERROR(edit(*agent));
    agent->id = id;
    if (agent->drain && agent->status != "offline") {
      agent->status = "draining";
    } else if (!agent->drain && agent->status == "draining") {
      agent->status = "online";
    }
    CORRAL_RETURN_IF_ERROR(tx.agents().update(*agent));
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "agent.update", id)));
    return std::move(*agent);
  });
  if (result.isOk()) {
    if (agents_ != nullptr && result->status != previous_status) {
      agents_->agentChanged(AgentChange{*result, previous_status});
    }
    waits_.notify(id);  // a parked poll re-checks: draining stops new leases
  }
  return result;
}

Status FleetService::deleteAgent(const std::string& id, const std::string& pool_id,
                                 const Actor& actor) {
  int64_t now = nowMs();
  std::vector<std::string> wake;
  std::vector<CommandChange> changes;
  std::optional<Agent> removed;
  std::vector<CommandChange>* sink = commands_ != nullptr ? &changes : nullptr;
  Status status = store_.write([&](StoreTx& tx) {
    wake.clear();
    changes.clear();
    removed.reset();
    auto agent = tx.agents().get(id);
    if (!agent.isOk()) {
      return agent.status();
    }
    if (!pool_id.empty() && agent->pool_id != pool_id) {
      return notFound("agent '" + id + "' is not in pool '" + pool_id + "'");
    }
    removed = *agent;
    CORRAL_RETURN_IF_ERROR(
        DurableCommandQueue::releaseAgent(tx, id, now, "agent_deleted", wake, sink));
    // Commands that named the agent can never run now.
    while (true) {
      auto queued = tx.commands().queuedForAgent(id, 100);
      if (!queued.isOk()) {
        return queued.status();
      }
      if (queued->empty()) {
        break;
      }
      for (auto& c : *queued) {
        CommandState previous = c.state;
        c.state = CommandState::kFailed;
        c.reason = "agent_deleted";
        c.error = "the agent was deleted";
        c.finished_at = now;
        c.updated_at = now;
        c.agent_id.clear();
        CORRAL_RETURN_IF_ERROR(tx.commands().update(c));
        if (sink != nullptr) {
          sink->push_back(CommandChange{c, previous});
        }
        wake.push_back(commandKey(c.id));
      }
    }
    CORRAL_RETURN_IF_ERROR(tx.tokens().revokeForAgent(id, now));
    CORRAL_RETURN_IF_ERROR(tx.agents().remove(id));
    return tx.audit().append(auditEntry(actor, now, "agent.delete", id, {{"name", agent->name}}));
  });
  if (status.isOk()) {
    if (agents_ != nullptr && removed) {
      agents_->agentChanged(AgentChange{*removed, removed->status, true});
    }
    reportCommandChanges(commands_, changes);
    {
      std::lock_guard lock(polls_mutex_);
      poll_ended_.erase(id);
    }
    waits_.notify(id);  // a parked poll of the deleted agent ends with 401
    for (const auto& k : wake) {
      waits_.notify(k);
    }
  }
  return status;
}

Result<std::string> FleetService::regenerateToken(const std::string& id, const Actor& actor) {
  int64_t now = nowMs();
  auto secret = writeValue<std::string>(store_, [&](StoreTx& tx) -> Result<std::string> {
    auto agent = tx.agents().get(id);
    if (!agent.isOk()) {
      return agent.status();
    }
    CORRAL_RETURN_IF_ERROR(tx.tokens().revokeForAgent(id, now));
    TokenSpec spec;
    spec.name = "agent " + agent->name;
    auto issued = TokenService::insert(tx, TokenKind::kAgent, spec, id, now, actor.id);
    if (!issued.isOk()) {
      return issued.status();
    }
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "agent.regenerate_token", id)));
    return issued->secret;
  });
  if (secret.isOk()) {
    waits_.notify(id);
  }
  return secret;
}

Status FleetService::revokeToken(const std::string& id, const Actor& actor) {
  int64_t now = nowMs();
  Status status = store_.write([&](StoreTx& tx) {
    auto agent = tx.agents().get(id);
    if (!agent.isOk()) {
      return agent.status();
    }
    CORRAL_RETURN_IF_ERROR(tx.tokens().revokeForAgent(id, now));
    return tx.audit().append(auditEntry(actor, now, "agent.revoke_token", id));
  });
  if (status.isOk()) {
    waits_.notify(id);  // the agent's parked poll re-checks its token and ends with 401
  }
  return status;
}

Result<int> FleetService::markSilentOffline() {
  int64_t cutoff = nowMs() - options_.offline_after.count();
  auto silent = readValue<std::vector<Agent>>(
      store_, [&](StoreTx& tx) { return tx.agents().listSilentSince(cutoff); });
  if (!silent.isOk()) {
    return silent.status();
  }
  SteadyTime recent = clock_.now() - options_.offline_after;
  int count = 0;
  // The list is a snapshot: each check below sees the agent as it is now. A poll records its end
  // before it stops counting as parked, so no moment falls between the two checks; the queue
  // checks the heartbeat again in the transaction that takes the agent offline.
  for (const auto& agent : *silent) {
    if (waits_.isWaiting(agent.id)) {
      continue;  // a parked poll is a live connection
    }
    {
      std::lock_guard lock(polls_mutex_);
      auto ended = poll_ended_.find(agent.id);
      if (ended != poll_ended_.end() && ended->second > recent) {
        continue;
      }
    }
    auto went = queue_.agentOffline(agent.id, cutoff);
    if (!went.isOk()) {
      return went.status();
    }
    count += *went ? 1 : 0;
  }
  return count;
}

void FleetService::pollEnded(const std::string& agent_id) {
  SteadyTime now = clock_.now();
  std::lock_guard lock(polls_mutex_);
  poll_ended_[agent_id] = now;
}

}  // namespace corral::master
