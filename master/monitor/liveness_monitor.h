#pragma once

// The master's clock-driven duties: agents silent for too long go offline (their work is
// redelivered or failed), expired leases are redelivered, and commands past their pick-up
// deadline expire. tick() decides at the clock's current time; run() is a thin loop around it.
// Whatever else is decided on the liveness tick (alerts about offline agents and stale
// snapshots) runs in `after_tick`, on the monitor's thread, once the tick's own work is done.

#include <atomic>
#include <chrono>
#include <functional>

#include "common/clock.h"

namespace corral::master {

class FleetService;
class CommandQueue;

class LivenessMonitor {
 public:
  LivenessMonitor(FleetService& fleet, CommandQueue& queue, Clock& clock,
                  std::chrono::milliseconds interval, std::function<void()> after_tick = {});

  // One pass; failures are logged and retried on the next pass.
  void tick();
  // Ticks every interval until the clock's sleep is interrupted.
  void run();

 private:
  FleetService& fleet_;
  CommandQueue& queue_;
  Clock& clock_;
  std::chrono::milliseconds interval_;
  std::function<void()> after_tick_;  // may be empty
};

}  // namespace corral::master
