#pragma once

// Exponential backoff with full jitter as a value: next(attempt) is a pure function of the attempt
// number and the injected random source, so tests assert the sequence of waits instead of
// measuring time. The caller sleeps through its Clock. Thread-safe if `random` is.

#include <chrono>
#include <cstdint>
#include <functional>

namespace corral {

class Backoff {
 public:
  // `random` returns uniformly distributed 64-bit values.
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap,
          std::function<uint64_t()> random);

  // A wait drawn uniformly from [0, min(cap, base * 2^attempt)], attempt counting from 0.
  std::chrono::milliseconds next(int attempt) const;
  // The upper bound of next(attempt), without the jitter.
  std::chrono::milliseconds ceiling(int attempt) const;

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::function<uint64_t()> random_;
};

}  // namespace corral
