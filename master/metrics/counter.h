#pragma once

// A value that only goes up: requests served, bytes received. Lock-free; any thread may add to
// it while another reads it.

#include <atomic>

namespace corral::metrics {

class Counter {
 public:
  // Adds `amount`. A negative or NaN amount is ignored: a counter never goes down.
  void inc(double amount = 1) noexcept {
    if (amount > 0) {
      value_.fetch_add(amount, std::memory_order_relaxed);
    }
  }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

}  // namespace corral::metrics
