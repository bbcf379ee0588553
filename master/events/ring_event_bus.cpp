#include "master/events/ring_event_bus.h"

#include <algorithm>

namespace corral::master {
namespace {

bool wanted(const EventTypeFilter& filter, const std::string& type) {
  return filter.empty() || std::find(filter.begin(), filter.end(), type) != filter.end();
}

}  // namespace

RingEventBus::RingEventBus(const Clock& clock, RingOptions options)
    : clock_(clock),
      options_(options),
      ring_(std::max<size_t>(options.retain, 1)),
      last_id_(options.start_after) {}

RingEventBus::Slot& RingEventBus::slotLocked(int64_t id) {
  return ring_[static_cast<size_t>(id) % ring_.size()];
}

std::vector<EventPtr> RingEventBus::expireLocked(SteadyTime now) {
  std::vector<EventPtr> gone;
  while (count_ > 0) {
    Slot& oldest = slotLocked(firstIdLocked());
    if (now - oldest.at <= options_.retain_for) {
      break;
    }
    gone.push_back(std::move(oldest.event));
    --count_;
  }
  return gone;
}

int64_t RingEventBus::publish(std::string_view type, const Json& data) {
  // The text is made once, before the lock, and shared by every reader. Agents' strings reach
  // here (status messages, snapshot summaries); invalid UTF-8 in them must not throw into the
  // publisher's path.
  auto event = std::make_shared<Event>();
  event->type = std::string(type);
  event->data = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::vector<EventPtr> gone;  // freed after the lock is released
  int64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    SteadyTime now = clock_.now();
    gone = expireLocked(now);
    id = ++last_id_;
    event->id = id;
    Slot& slot = slotLocked(id);
    gone.push_back(std::move(slot.event));
    slot = Slot{std::move(event), now};
    count_ = std::min(count_ + 1, ring_.size());
  }
  published_.notify_all();
  return id;
}

int64_t RingEventBus::lastId() const {
  std::lock_guard lock(mutex_);
  return last_id_;
}

EventRead RingEventBus::read(int64_t after, const EventTypeFilter& filter, size_t max,
                             std::chrono::milliseconds timeout) {
  max = std::max<size_t>(max, 1);
  EventRead out;
  out.position = after;
  std::vector<EventPtr> gone;
  std::unique_lock lock(mutex_);
  // Runs under the lock each time the reader wakes: takes what is there, or says to keep waiting.
  auto ready = [&] {
    if (closed_) {
      out.closed = true;
      return true;
    }
    auto expired = expireLocked(clock_.now());
    gone.insert(gone.end(), std::make_move_iterator(expired.begin()),
                std::make_move_iterator(expired.end()));
    int64_t first = firstIdLocked();
    if (out.position > last_id_ || out.position < first - 1) {
      // An id this bus never issued (a reader from an earlier run of the master, or a made-up
      // one) or one whose successors are gone: either way the reader's view has a hole.
      out.missed = true;
      out.position = out.position > last_id_ ? last_id_ : first - 1;
    }
    for (int64_t id = out.position + 1; id <= last_id_ && out.events.size() < max; ++id) {
      const EventPtr& event = slotLocked(id).event;
      out.position = id;
      if (wanted(filter, event->type)) {
        out.events.push_back(event);
      }
    }
    return out.missed || !out.events.empty();
  };
  published_.wait_for(lock, timeout, ready);
  lock.unlock();
  return out;
}

void RingEventBus::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  published_.notify_all();
}

size_t RingEventBus::retained() {
  std::vector<EventPtr> gone;
  std::lock_guard lock(mutex_);
  gone = expireLocked(clock_.now());
  return count_;
}

}  // namespace corral::master
