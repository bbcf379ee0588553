#include "common/backoff.h"

#include <algorithm>

namespace corral {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap,
                 std::function<uint64_t()> random)
    : base_(base), cap_(cap), random_(std::move(random)) {}

std::chrono::milliseconds Backoff::ceiling(int attempt) const {
  // Doubling past 2^30 cannot matter below any sane cap and would overflow.
  int shift = std::clamp(attempt, 0, 30);
  int64_t grown = base_.count() * (int64_t{1} << shift);
  return std::chrono::milliseconds(std::min(grown, cap_.count()));
}

std::chrono::milliseconds Backoff::next(int attempt) const {
  int64_t bound = ceiling(attempt).count();
  if (bound <= 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(
      static_cast<int64_t>(random_() % static_cast<uint64_t>(bound + 1)));
}

}  // namespace corral
