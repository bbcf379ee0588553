#pragma once

// The master's live events: what dashboards follow on GET /api/v1/stream. Components publish
// typed JSON events; readers (one per open stream) ask for the events after the last id they
// have, waiting up to a deadline. Every event has an id one above the previous event's, so a
// reader that comes back with the last id it saw gets exactly what it missed, as long as those
// events are still retained (docs/architecture.md, "Live events").
//
// Publishing never waits for a reader: events are kept in memory, and a reader that falls out of
// the retention window is told so (EventRead::missed) instead of holding anything back.
// Implementations are thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace corral::master {

struct Event {
  int64_t id = 0;
  std::string type;  // agent | command | alert | snapshot (event_types.h)
  std::string data;  // the JSON text of the event, one line
};

// Events are shared by every reader and never change once published.
using EventPtr = std::shared_ptr<const Event>;

// The event types a reader wants; empty: all of them.
using EventTypeFilter = std::vector<std::string>;

struct EventRead {
  // Events after the reader's position, in id order, only of the types asked for.
  std::vector<EventPtr> events;
  // Events after the position asked for are no longer retained (or the id was never issued by
  // this bus): whatever the reader holds must be reloaded. `events` then start at the oldest
  // retained event.
  bool missed = false;
  // Where the reader is now: pass it as `after` to the next read. At least the id of the last
  // event in `events`; it also moves past events of other types. After `missed`, at least the
  // id just before the oldest retained event.
  int64_t position = 0;
  // The bus is closed (the master is stopping): no more events will come.
  bool closed = false;
};

// What components are given: publishing only.
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  // Appends an event of `type` carrying `data` (an object) and returns its id. Never waits for a
  // reader and never fails: text that is not valid UTF-8 is replaced, and after close() the event
  // is kept but no reader waits for it any more.
  virtual int64_t publish(std::string_view type, const Json& data) = 0;
};

class EventBus : public EventPublisher {
 public:
  // The id of the newest event published, or the bus's starting point before the first.
  virtual int64_t lastId() const = 0;
  // The events after `after` of the types in `filter`, at most `max` of them. Returns at once
  // when there are some (or when `after` is out of the retention window, or the bus is closed);
  // otherwise waits up to `timeout` (real time) for one to be published, and returns an empty
  // read with the position moved past the events of other types.
  virtual EventRead read(int64_t after, const EventTypeFilter& filter, size_t max,
                         std::chrono::milliseconds timeout) = 0;
  // Wakes every reader with `closed`, now and for every later read. Idempotent.
  virtual void close() = 0;
};

}  // namespace corral::master
