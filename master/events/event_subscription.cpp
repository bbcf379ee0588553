#include "master/events/event_subscription.h"

#include <utility>

namespace corral::master {

EventSubscription::EventSubscription(EventBus& bus, std::optional<int64_t> last_event_id,
                                     EventTypeFilter filter)
    : bus_(bus), filter_(std::move(filter)), position_(last_event_id.value_or(bus.lastId())) {}

SubscriptionBatch EventSubscription::next(size_t max, std::chrono::milliseconds timeout) {
  EventRead read = bus_.read(position_, filter_, max, timeout);
  SubscriptionBatch batch;
  batch.closed = read.closed;
  if (read.missed) {
    // Everything after the reset's id that the reader wants is in this batch or later ones.
    batch.reset_id = read.events.empty() ? read.position : read.events.front()->id - 1;
    batch.missed_after = position_;
  }
  position_ = read.position;
  batch.events = std::move(read.events);
  return batch;
}

}  // namespace corral::master
