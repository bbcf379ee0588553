#pragma once

// Pools and the agents in them: operator management, agent registration and heartbeats, and the
// detection of agents that went silent. Every mutation is audited in its own transaction.
// Thread-safe.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "master/auth/principal.h"
#include "master/auth/token_service.h"
#include "master/model/agent_observer.h"
#include "master/queue/command_observer.h"
#include "master/queue/command_queue.h"
#include "master/queue/wait_set.h"
#include "master/store/store.h"
#include "proto-json/messages.h"

namespace corral::master {

struct FleetOptions {
  int heartbeat_interval_s = 15;
  int poll_wait_s = 30;
  int snapshot_interval_s = 30;
  std::chrono::milliseconds offline_after{45'000};
};

struct Registration {
  proto::RegisterResponse response;
  bool created = true;  // false when an existing record was re-used
};

class FleetService {
 public:
  // `agents`, when not null, hears of registrations, status changes and deletions; `commands`
  // of the commands that deleting or moving an agent ends or sends back to the queue. Each must
  // outlive the service.
  FleetService(Store& store, Clock& clock, CommandQueue& queue, WaitSet& waits,
               FleetOptions options, AgentObserver* agents = nullptr,
               CommandObserver* commands = nullptr);

  // Pools.
  Result<Pool> createPool(Pool pool, const Actor& actor);
  // `edit` changes the stored pool in place; the result is validated and saved.
  Result<Pool> updatePool(const std::string& id, const std::function<Status(Pool&)>& edit,
                          const Actor& actor);
  // kConflict while agents belong to the pool.
  Status deletePool(const std::string& id, const Actor& actor);
  Result<Pool> getPool(const std::string& id);
  Result<std::vector<Pool>> listPools(const Page& page);
  // Moves an existing agent into the pool.
  Result<Agent> addAgentToPool(const std::string& pool_id, const std::string& agent_id,
                               const Actor& actor);

  // Agents.
  Result<Registration> registerAgent(const Principal& enrollment,
                                     const proto::RegisterRequest& request, const Actor& actor);
  Result<proto::HeartbeatResponse> heartbeat(const std::string& agent_id,
                                             const proto::HeartbeatRequest& request);
  Result<Agent> getAgent(const std::string& id);
  Result<std::vector<Agent>> listAgents(const AgentFilter& filter, const Page& page);
  Result<Agent> updateAgent(const std::string& id, const std::function<Status(Agent&)>& edit,
                            const Actor& actor);
  // Removes the agent and revokes its credential; its commands are redelivered or failed. With
  // a non-empty `pool_id` the agent must belong to that pool.
  Status deleteAgent(const std::string& id, const std::string& pool_id, const Actor& actor);
  // A new credential replaces the old one at once; returns the secret.
  Result<std::string> regenerateToken(const std::string& id, const Actor& actor);
  Status revokeToken(const std::string& id, const Actor& actor);

  // Marks agents silent for longer than offline_after as offline, except those with a poll
  // parked right now or ended less than offline_after ago. Returns how many went offline.
  Result<int> markSilentOffline();
  // The agent's long-poll was answered, with commands or without. The store may have the poll's
  // start as the agent's last sign of life (a command handed over to a parked poll does not
  // touch it); a poll held longer than offline_after must not make the agent look silent in the
  // moment before its next one. Call it while the poll still counts as parked in the WaitSet.
  void pollEnded(const std::string& agent_id);

  const FleetOptions& options() const { return options_; }

 private:
  int64_t nowMs() const { return toUnixMillis(clock_.wallNow()); }

  Store& store_;
  Clock& clock_;
  CommandQueue& queue_;
  WaitSet& waits_;
  FleetOptions options_;
  AgentObserver* agents_;      // may be null
  CommandObserver* commands_;  // may be null
  // Kept in memory rather than committed: idle polls are most of the traffic.
  std::mutex polls_mutex_;
  std::unordered_map<std::string, SteadyTime> poll_ended_;  // guarded by polls_mutex_
};

// Validates the fields of a pool an operator may set; kInvalidArgument naming the field.
Status validatePool(const Pool& pool);

}  // namespace corral::master
