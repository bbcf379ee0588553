#pragma once

// The agent's standing with the master: registers on first start, re-uses its kept credential
// after a restart, and enrols again when the master answers 401 if it still holds an enrollment
// token. Thread-safe: the command, heartbeat and push loops share one session.

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

  // Makes sure the agent holds a credential: the kept one, or a fresh registration.
  Status start();
  // After a 401: registers again presenting the old credential. kUnauthenticated, with a message
  // saying what to do, when there is no enrollment token to do it with.
  Status recover();
  // The next snapshot version, persisted before it is used so it never repeats. Never below
  // `now_ms` (wall-clock milliseconds), so versions keep growing even if the state is lost.
  Result<int64_t> nextSnapshotVersion(int64_t now_ms);
  proto::RegisterResponse intervals() const;
  std::string agentId() const;

 private:
  Status registerNow();

  MasterGateway& gateway_;
  proto::RegisterRequest identity_;
  std::string enrollment_token_;
  std::string state_dir_;
  mutable std::mutex mutex_;
  AgentState state_;                // guarded by mutex_
  proto::RegisterResponse answer_;  // guarded by mutex_
};

}  // namespace corral::agent
