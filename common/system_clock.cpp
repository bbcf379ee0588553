#include "common/system_clock.h"

namespace corral {

SteadyTime SystemClock::now() const { return std::chrono::steady_clock::now(); }

WallTime SystemClock::wallNow() const { return std::chrono::system_clock::now(); }

bool SystemClock::sleepFor(Millis duration) {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, duration, [this] { return interrupted_; });
}

void SystemClock::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

}  // namespace corral
