#pragma once

// The queue's dispatch latency as a histogram: corral_dispatch_latency_seconds. observe-only on
// the dispatch path (lock-free); thread-safe.

#include "master/metrics/registry.h"
#include "master/queue/dispatch_observer.h"

namespace corral::master {

class DispatchMetrics final : public DispatchObserver {
 public:
  // Registers the histogram in `registry`, which must outlive this object.
  explicit DispatchMetrics(metrics::Registry& registry);

  void commandDispatched(std::chrono::microseconds waited) override;

 private:
  metrics::Histogram& latency_;
};

}  // namespace corral::master
