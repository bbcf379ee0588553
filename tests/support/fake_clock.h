#pragma once

// A Clock that moves only when a test calls advance(). sleepFor() blocks until enough fake time
// has passed (or interrupt()), so loops that sleep through the clock can be stepped from a test.
// Thread-safe.

#include <condition_variable>
#include <mutex>

#include "common/clock.h"

namespace corral::testing {

class FakeClock final : public Clock {
 public:
  // Starts at an arbitrary fixed instant so that nothing depends on the current date.
  FakeClock();

  SteadyTime now() const override;
  WallTime wallNow() const override;
  bool sleepFor(Millis duration) override;
  void interrupt() override;

  void advance(Millis duration);
  // Number of threads blocked in sleepFor(), for tests that wait until a loop is asleep.
  int sleepers() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  SteadyTime steady_;         // guarded by mutex_
  WallTime wall_;             // guarded by mutex_
  int sleepers_ = 0;          // guarded by mutex_
  bool interrupted_ = false;  // guarded by mutex_
};

}  // namespace corral::testing
