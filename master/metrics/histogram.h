#pragma once

// Observations counted into buckets with fixed upper bounds, plus their sum: latencies, sizes.
// observe() is lock-free (a binary search and two atomic additions), so it may sit on a hot path;
// a reader running at the same time may see the sum of an observation before its bucket count.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace corral::metrics {

class Histogram {
 public:
  // `bounds` are the buckets' upper bounds (inclusive), finite and strictly increasing; a last
  // bucket above them all is implied. The registry checks them before it makes a histogram.
  explicit Histogram(std::vector<double> bounds);

  // Counts `value` in the first bucket whose bound is at least `value`. NaN is ignored.
  void observe(double value) noexcept;

  const std::vector<double>& bounds() const { return bounds_; }
  // Observations per bucket, not cumulative; one more than bounds().
  std::vector<uint64_t> bucketCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

}  // namespace corral::metrics
