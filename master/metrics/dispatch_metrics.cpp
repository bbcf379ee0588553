#include "master/metrics/dispatch_metrics.h"

namespace corral::master {

DispatchMetrics::DispatchMetrics(metrics::Registry& registry)
    : latency_(registry
                   .histogram("corral_dispatch_latency_seconds",
                              "Time from a command's enqueue (or its return to the queue, for a "
                              "redelivery) to its lease by an agent.",
                              // A parked agent gets its command in milliseconds; one that polls
                              // late or a busy pool takes seconds to hours.
                              {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
                               10, 30, 60, 300, 900, 3600})
                   .labels({})) {}

void DispatchMetrics::commandDispatched(std::chrono::microseconds waited) {
  latency_.observe(std::chrono::duration<double>(waited).count());
}

}  // namespace corral::master
