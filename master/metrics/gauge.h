#pragma once

// A value that goes up and down, set by whoever knows it. Lock-free; any thread may change it
// while another reads it. Gauges read from elsewhere at scrape time are better written by a
// Collector (collector.h) than kept up to date here.

#include <atomic>

namespace corral::metrics {

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

}  // namespace corral::metrics
