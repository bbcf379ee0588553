#pragma once

// What the agent keeps across restarts in its state directory (agent.json, mode 0600): its id and
// credential, so that a restart re-uses its record instead of enrolling a second agent, and the
// last snapshot version, which must only grow.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace corral::agent {

struct AgentState {
  std::string agent_id;
  std::string agent_token;
  std::string pool_id;
  int64_t snapshot_version = 0;
};

// Reads <dir>/agent.json; a missing file is an empty state, a corrupt one an error naming it.
Result<AgentState> loadAgentState(const std::string& dir);
// Writes atomically (temporary file, fsync, rename), creating `dir` when missing.
Status saveAgentState(const std::string& dir, const AgentState& state);

}  // namespace corral::agent
