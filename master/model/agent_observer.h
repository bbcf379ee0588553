#pragma once

// What the components that change an agent's status report after each commit, for the live event
// stream. It sits beside the records rather than in one component because three of them change
// statuses: the fleet (registration, heartbeats, drain, deletion), the queue (an agent goes
// offline; a poll brings it back) and the snapshot service (an upload brings it back).
//
// Called on the changing thread after the commit, never inside a transaction; an implementation
// must be cheap and must not block. Implementations are called from many threads at once.

#include <string>

#include "master/model/model.h"

namespace corral::master {

struct AgentChange {
  Agent agent;                  // as committed; for a removed agent, as it was last stored
  std::string previous_status;  // empty: the agent has just registered
  bool removed = false;         // the agent was deleted
};

class AgentObserver {
 public:
  virtual ~AgentObserver() = default;
  // Reported only when the status changed, the agent registered (again), or it was removed.
  virtual void agentChanged(const AgentChange& change) = 0;
};

}  // namespace corral::master
