#pragma once

// A Clock that moves only when a test calls advance(). sleepFor() blocks until enough fake time
// has passed (or interrupt()), so loops that sleep through the clock can be stepped from a test.
// With setAutoAdvance(true), sleepFor() instead moves the clock forward by the duration itself and
// returns at once, for single-threaded code whose waits a test asserts through sleeps().
// Thread-safe.

#include <condition_variable>
#include <mutex>
#include <vector>

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
  // Blocks until at least `n` threads are blocked in sleepFor(), or `timeout` of real time passes;
  // false on timeout.
  bool waitForSleepers(int n, std::chrono::milliseconds timeout) const;

  // Every duration passed to sleepFor(), in call order.
  std::vector<Millis> sleeps() const;
  // false (the default): sleepFor() waits for advance(). true: sleepFor() advances by itself.
  void setAutoAdvance(bool on);

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  SteadyTime steady_;           // guarded by mutex_
  WallTime wall_;               // guarded by mutex_
  int sleepers_ = 0;            // guarded by mutex_
  bool interrupted_ = false;    // guarded by mutex_
  bool auto_advance_ = false;   // guarded by mutex_
  std::vector<Millis> sleeps_;  // guarded by mutex_
};

}  // namespace corral::testing
