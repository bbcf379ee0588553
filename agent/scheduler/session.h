#pragma once

// The agent's standing with the master: registers on first start, re-uses its kept credential
// after a restart (without registering), and enrols again when the master answers 401 if it still
// holds an enrollment token. Thread-safe: the command, heartbeat and push loops share one session.

#include <mutex>
#include <string>

#include "agent/gateway/master_gateway.h"
#include "agent/scheduler/agent_state.h"
#include "proto-json/messages.h"

namespace corral::agent {

class Session {
 public:
  Session(MasterGateway& gateway, proto::RegisterRequest identity, std::string enrollment_token,
          std::string state_dir);

  // Makes sure the agent holds a credential: the kept one, or a fresh registration. A state file
  // that cannot be read or parsed is an error naming it; nothing is registered then.
  Status start();
  // After a 401: registers again presenting the old credential, once for all the loops that saw
  // the same refusal. kUnauthenticated, with a message saying what to do, when there is no
  // enrollment token to do it with or the master will not give the name back (409): the agent
  // cannot fix either by itself.
  Status recover();
  // The next snapshot version, persisted before it is used so it never repeats. Never below
  // `now_ms` (wall-clock milliseconds), so versions keep growing even if the state is lost.
  Result<int64_t> nextSnapshotVersion(int64_t now_ms);
  // The answer of the registration behind the credential in use. The intervals are 0 when not
  // known (a credential kept by an older agent): the configuration's values apply then.
  proto::RegisterResponse intervals() const;
  std::string agentId() const;

 private:
  // Registers presenting the kept token and keeps the answer. Called with register_mutex_ held.
  Status registerNow();

  MasterGateway& gateway_;
  proto::RegisterRequest identity_;
  std::string enrollment_token_;
  std::string state_dir_;
  std::mutex register_mutex_;  // held across a registration, so there is one at a time
  mutable std::mutex mutex_;
  AgentState state_;                // guarded by mutex_
  proto::RegisterResponse answer_;  // guarded by mutex_
};

}  // namespace corral::agent
