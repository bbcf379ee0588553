#pragma once

// The master's gauges, computed at each scrape from a consistent read of the store (fleet_view.h)
// and the WaitSet: agents by pool and status, each agent's heartbeat age, liveness and slots,
// agents available per pool, commands by state and action, the queue's depth per target, the
// age of each cluster's latest snapshot, and the long-polls parked right now. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "master/metrics/collector.h"
#include "master/metrics/fleet_view.h"
#include "master/queue/wait_set.h"

namespace corral::master {

class FleetCollector final : public metrics::Collector {
 public:
  // All three must outlive the collector.
  FleetCollector(Store& store, const WaitSet& waits, const Clock& clock);

  Result<std::vector<metrics::FamilyData>> collect() override;

 private:
  Store& store_;
  const WaitSet& waits_;
  const Clock& clock_;
};

// At most this many actions get series of their own in corral_commands; the rest, the least
// used, are counted under action="other". Actions are free text chosen by whoever enqueues, and
// each one costs seven series.
inline constexpr size_t kMaxActionSeries = 64;

// The families of `view` read at wall time `now_ms` (Unix milliseconds), with `parked` requests
// parked in a long-poll. Pure: the collector's work without the reads.
std::vector<metrics::FamilyData> fleetFamilies(const FleetView& view, int64_t now_ms,
                                               size_t parked);

}  // namespace corral::master
