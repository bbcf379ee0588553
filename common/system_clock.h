#pragma once

// The real clock: std::chrono::steady_clock and system_clock, with an interruptible sleep used by
// background loops so that shutdown does not wait out a sleep.

#include <condition_variable>
#include <mutex>

#include "common/clock.h"

namespace corral {

class SystemClock final : public Clock {
 public:
  SteadyTime now() const override;
  WallTime wallNow() const override;
  bool sleepFor(Millis duration) override;
  void interrupt() override;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool interrupted_ = false;  // guarded by mutex_
};

}  // namespace corral
