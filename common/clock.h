#pragma once

// Time as a dependency. Production code asks a Clock for the time instead of calling the
// standard clocks, so tests can drive time with FakeClock (tests/support/fake_clock.h).
// Implementations are safe to call from any thread.

#include <chrono>
#include <cstdint>

namespace corral {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic time, for deadlines and durations. Never goes back.
  virtual SteadyTime now() const = 0;
  // Wall-clock time, for timestamps that are stored or shown (always UTC).
  virtual WallTime wallNow() const = 0;
  // Blocks the caller for `duration` of this clock's time, or until interrupt() is called.
  // Returns false when interrupted.
  virtual bool sleepFor(Millis duration) = 0;
  // Wakes every sleepFor() in progress and makes later ones return at once.
  virtual void interrupt() = 0;
};

// Milliseconds since the Unix epoch, the unit stored in the database and sent on the wire.
inline int64_t toUnixMillis(WallTime t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline WallTime fromUnixMillis(int64_t ms) { return WallTime(Millis(ms)); }

}  // namespace corral
