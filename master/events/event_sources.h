#pragma once

// Turns what the fleet, the queue and the snapshot service report into events on the bus: one
// object implementing their observer interfaces, which main.cpp passes to each of them. The
// events' data are small summaries (ids, states, times); a dashboard reads the full record from
// the operator API when it needs more. See docs/api.md for every shape. Thread-safe.

#include "common/clock.h"
#include "master/events/event_bus.h"
#include "master/model/agent_observer.h"
#include "master/queue/command_observer.h"
#include "master/snapshots/snapshot_observer.h"

namespace corral::master {

class EventSources final : public AgentObserver, public CommandObserver, public SnapshotObserver {
 public:
  // `bus` and `clock` (for the time of agent changes) must outlive this object.
  EventSources(EventPublisher& bus, const Clock& clock) : bus_(bus), clock_(clock) {}

  void agentChanged(const AgentChange& change) override;
  void commandChanged(const CommandChange& change) override;
  void snapshotStored(const ClusterSnapshot& snapshot) override;

 private:
  EventPublisher& bus_;
  const Clock& clock_;
};

// The data of each event, for the sources above and their tests. `at_ms`: Unix milliseconds.
Json agentEventData(const AgentChange& change, int64_t at_ms);
Json commandEventData(const CommandChange& change);
Json snapshotEventData(const ClusterSnapshot& snapshot);

}  // namespace corral::master
