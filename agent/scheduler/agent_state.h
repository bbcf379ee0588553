#pragma once

// What the agent keeps across restarts in its state directory (agent.json, mode 0600): its id and
// credential, so that a restart re-uses its record instead of enrolling a second agent, the
// intervals the master gave with that credential, and the last snapshot version, which must only
// grow.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace corral::agent {

struct AgentState {
  std::string agent_id;
  std::string agent_token;
  std::string pool_id;
  int64_t snapshot_version = 0;
  // From the registration that issued agent_token; 0 when not known (a file written before they
  // were kept), and then the configuration's values apply.
  int heartbeat_interval_s = 0;
  int poll_wait_s = 0;
  int snapshot_interval_s = 0;
  int offline_after_s = 0;
};

// Reads <dir>/agent.json. A missing file is an empty state; one that cannot be read, is not JSON
// or holds a field of the wrong type is an error naming the file and saying what to do.
Result<AgentState> loadAgentState(const std::string& dir);
// Writes atomically (temporary file, fsync, rename), creating `dir` when missing.
Status saveAgentState(const std::string& dir, const AgentState& state);

}  // namespace corral::agent
