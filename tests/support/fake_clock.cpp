#include "tests/support/fake_clock.h"

namespace corral::testing {

FakeClock::FakeClock()
    : steady_(SteadyTime(std::chrono::hours(1000))),
      wall_(fromUnixMillis(1'767'225'600'000)) {}  // 2026-01-01T00:00:00Z

SteadyTime FakeClock::now() const {
  std::lock_guard lock(mutex_);
  return steady_;
}

WallTime FakeClock::wallNow() const {
  std::lock_guard lock(mutex_);
  return wall_;
}

bool FakeClock::sleepFor(Millis duration) {
  std::unique_lock lock(mutex_);
  sleeps_.push_back(duration);
  if (auto_advance_ && !interrupted_) {
    steady_ += duration;
    wall_ += duration;
    cv_.notify_all();
    return true;
  }
  SteadyTime until = steady_ + duration;
  ++sleepers_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return interrupted_ || steady_ >= until; });
  --sleepers_;
  return !interrupted_;
}

void FakeClock::interrupt() {
  std::lock_guard lock(mutex_);
  interrupted_ = true;
  cv_.notify_all();
}

void FakeClock::advance(Millis duration) {
  std::lock_guard lock(mutex_);
  steady_ += duration;
  wall_ += duration;
  cv_.notify_all();
}

int FakeClock::sleepers() const {
  std::lock_guard lock(mutex_);
  return sleepers_;
}

bool FakeClock::waitForSleepers(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return sleepers_ >= n; });
}

std::vector<Millis> FakeClock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

void FakeClock::setAutoAdvance(bool on) {
  std::lock_guard lock(mutex_);
  auto_advance_ = on;
}

}  // namespace corral::testing
