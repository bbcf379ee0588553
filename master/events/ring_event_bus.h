#pragma once

// EventBus in memory: a ring of the most recent events and a condition variable for readers.
//
// The retention window is the newest `retain` events, less those older than `retain_for` (by the
// injected clock's monotonic time). A publish takes the mutex for a few pointer moves; a read
// takes it to copy at most `max` shared pointers and to wait. No caller ever holds it while
// writing to a network connection, so a slow or stalled reader cannot hold up a publisher.
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "common/clock.h"
#include "master/events/event_bus.h"

namespace corral::master {

struct RingOptions {
  size_t retain = 10'000;                         // events kept for readers to resume
  std::chrono::milliseconds retain_for{600'000};  // and none older than this (10 minutes)
  // The id before the first event. The master starts it from the wall clock so that ids also
  // grow across restarts: a reader resuming from an earlier run is then told it missed events.
  int64_t start_after = 0;
};

class RingEventBus final : public EventBus {
 public:
  // `clock` must outlive the bus.
  RingEventBus(const Clock& clock, RingOptions options);

  int64_t publish(std::string_view type, const Json& data) override;
  int64_t lastId() const override;
  EventRead read(int64_t after, const EventTypeFilter& filter, size_t max,
                 std::chrono::milliseconds timeout) override;
  void close() override;

  // Events retained now, after dropping those past retain_for.
  size_t retained();

 private:
  struct Slot {
    EventPtr event;
    SteadyTime at;
  };

  // Forgets events older than retain_for at `now`; returns what it took out so that the caller
  // frees it after unlocking. Needs mutex_.
  std::vector<EventPtr> expireLocked(SteadyTime now);
  // The id of the oldest retained event (last_id_ + 1 when none is). Needs mutex_.
  int64_t firstIdLocked() const { return last_id_ - static_cast<int64_t>(count_) + 1; }
  Slot& slotLocked(int64_t id);

  const Clock& clock_;
  const RingOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable published_;
  std::vector<Slot> ring_;  // guarded by mutex_; event id i lives at i % ring_.size()
  size_t count_ = 0;        // guarded by mutex_: events retained, the newest ones
  int64_t last_id_;         // guarded by mutex_
  bool closed_ = false;     // guarded by mutex_
};

}  // namespace corral::master
