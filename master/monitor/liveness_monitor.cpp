#include "master/monitor/liveness_monitor.h"

#include <utility>

#include "master/fleet/fleet_service.h"
#include "master/queue/command_queue.h"
#include "spdlog/spdlog.h"

namespace corral::master {

LivenessMonitor::LivenessMonitor(FleetService& fleet, CommandQueue& queue, Clock& clock,
                                 std::chrono::milliseconds interval,
                                 std::function<void()> after_tick)
    : fleet_(fleet),
      queue_(queue),
      clock_(clock),
      interval_(interval),
      after_tick_(std::move(after_tick)) {}

void LivenessMonitor::tick() {
  auto offline = fleet_.markSilentOffline();
  if (!offline.isOk()) {
    spdlog::warn("monitor: offline detection failed: {}", offline.status().message());
  } else if (*offline > 0) {
    spdlog::info("monitor: {} agent(s) went offline", *offline);
  }
  auto expired = queue_.expireDue();
  if (!expired.isOk()) {
    spdlog::warn("monitor: expiry failed: {}", expired.status().message());
  } else if (*expired > 0) {
    spdlog::info("monitor: {} command(s) redelivered, failed or expired", *expired);
  }
  if (after_tick_) {
    after_tick_();
  }
}

void LivenessMonitor::run() {
  while (clock_.sleepFor(interval_)) {
    tick();
  }
}

}  // namespace corral::master
