#pragma once

// One reader's place in the event bus: what a stream holds while it is open. It remembers the
// position between reads and turns a read that missed events into a reset for the stream to send
// first. Used by one thread at a time.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "master/events/event_bus.h"

namespace corral::master {

struct SubscriptionBatch {
  // Set when events the reader asked for are gone: the id to give the reset event, which goes
  // before `events` and is below all of them.
  std::optional<int64_t> reset_id;
  int64_t missed_after = 0;  // with reset_id: the position whose successors are gone
  std::vector<EventPtr> events;
  bool closed = false;  // the bus closed; nothing more will come
};

class EventSubscription {
 public:
  // Starts after `last_event_id` (an id the reader was given before), or after the newest event
  // now when there is none. `bus` must outlive the subscription.
  EventSubscription(EventBus& bus, std::optional<int64_t> last_event_id, EventTypeFilter filter);

  // The next events of the wanted types, at most `max`, waiting up to `timeout` (real time) for
  // the first. An empty batch means the wait ran out.
  SubscriptionBatch next(size_t max, std::chrono::milliseconds timeout);

  // The id up to which the reader has seen everything it asked for (events of other types
  // included): a stream may hand it out so that a reconnect resumes from here.
  int64_t position() const { return position_; }

 private:
  EventBus& bus_;
  EventTypeFilter filter_;
  int64_t position_;
};

}  // namespace corral::master
