#pragma once

// What the command queue reports as it hands commands to agents, for metrics. The queue calls it
// on the dispatching thread, after the lease is committed and before the agent gets its answer,
// so an implementation must be cheap and must not block (a few atomic additions). Implementations
// are called from many threads at once.

#include <chrono>

namespace corral::master {

class DispatchObserver {
 public:
  virtual ~DispatchObserver() = default;

  // A command was leased to an agent `waited` after it entered the queue: after its enqueue, or,
  // for a redelivery, after it went back to the queue. Wall-clock time, so never negative but
  // only as exact as the stored millisecond timestamps.
  virtual void commandDispatched(std::chrono::microseconds waited) = 0;
};

}  // namespace corral::master
