#include "master/events/ring_event_bus.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;

// Long enough that a test never waits for it: a read given it returns because of an event.
constexpr milliseconds kLong{10'000};
constexpr milliseconds kNow{0};

RingOptions retaining(size_t count, milliseconds age = milliseconds(60'000)) {
  RingOptions options;
  options.retain = count;
  options.retain_for = age;
  return options;
}

std::vector<int64_t> idsOf(const std::vector<EventPtr>& events) {
  std::vector<int64_t> ids;
  ids.reserve(events.size());
  for (const auto& e : events) {
    ids.push_back(e->id);
  }
  return ids;
}

TEST_CASE("events get ids one above the previous, in publish order", "[events]") {
  FakeClock clock;
  RingOptions options = retaining(16);
  options.start_after = 500;
  RingEventBus bus(clock, options);
  CHECK(bus.lastId() == 500);
  CHECK(bus.publish("agent", {{"n", 1}}) == 501);
  CHECK(bus.publish("command", {{"n", 2}}) == 502);
  CHECK(bus.lastId() == 502);

  EventRead read = bus.read(500, {}, 10, kNow);
  REQUIRE(idsOf(read.events) == std::vector<int64_t>{501, 502});
  CHECK(read.events[0]->type == "agent");
  CHECK(read.events[0]->data == R"({"n":1})");
  CHECK(read.events[1]->type == "command");
  CHECK_FALSE(read.missed);
  CHECK(read.position == 502);
}

TEST_CASE("a read after an id returns exactly the events after it, at most max", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  for (int i = 0; i < 6; ++i) {
    bus.publish("agent", {{"n", i}});
  }
  EventRead first = bus.read(2, {}, 3, kNow);
  CHECK(idsOf(first.events) == std::vector<int64_t>{3, 4, 5});
  CHECK(first.position == 5);
  EventRead rest = bus.read(first.position, {}, 3, kNow);
  CHECK(idsOf(rest.events) == std::vector<int64_t>{6});
  CHECK_FALSE(rest.missed);
}

TEST_CASE("a read with nothing new returns empty when its wait runs out", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  bus.publish("agent", Json::object());
  EventRead read = bus.read(1, {}, 10, milliseconds(20));
  CHECK(read.events.empty());
  CHECK_FALSE(read.missed);
  CHECK_FALSE(read.closed);
  CHECK(read.position == 1);
}

TEST_CASE("a waiting read returns as soon as an event is published", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  auto reader = std::async(std::launch::async, [&] { return bus.read(0, {}, 10, kLong); });
  bus.publish("alert", {{"rule", "disk"}});
  REQUIRE(reader.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  EventRead read = reader.get();
  REQUIRE(idsOf(read.events) == std::vector<int64_t>{1});
  CHECK(read.events[0]->type == "alert");
}

TEST_CASE("a reader behind the retained events is told it missed some, then resumes", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(4));
  for (int i = 0; i < 10; ++i) {
    bus.publish("command", {{"n", i}});
  }
  // Events 7..10 are retained: 6 is the oldest position that misses nothing.
  EventRead behind = bus.read(5, {}, 10, kNow);
  CHECK(behind.missed);
  CHECK(idsOf(behind.events) == std::vector<int64_t>{7, 8, 9, 10});

  EventRead edge = bus.read(6, {}, 10, kNow);
  CHECK_FALSE(edge.missed);
  CHECK(idsOf(edge.events) == std::vector<int64_t>{7, 8, 9, 10});
}

TEST_CASE("an id the bus never issued counts as missed events", "[events]") {
  FakeClock clock;
  RingOptions options = retaining(16);
  options.start_after = 1'000;
  RingEventBus bus(clock, options);
  bus.publish("agent", Json::object());

  SECTION("one from an earlier run of the master") {
    EventRead read = bus.read(20, {}, 10, kNow);
    CHECK(read.missed);
    CHECK(idsOf(read.events) == std::vector<int64_t>{1'001});
  }
  SECTION("one beyond the newest event") {
    EventRead read = bus.read(5'000, {}, 10, kLong);
    CHECK(read.missed);
    CHECK(read.events.empty());
    CHECK(read.position == 1'001);
  }
  SECTION("the starting point itself, before any event, misses nothing") {
    RingEventBus fresh(clock, options);
    EventRead read = fresh.read(1'000, {}, 10, milliseconds(1));
    CHECK_FALSE(read.missed);
    CHECK(read.events.empty());
  }
}

TEST_CASE("events older than retain_for leave the window at that age", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16, milliseconds(60'000)));
  bus.publish("snapshot", Json::object());
  clock.advance(milliseconds(30'000));
  bus.publish("snapshot", Json::object());

  clock.advance(milliseconds(30'000));  // the first is exactly 60 s old: still retained
  CHECK(bus.retained() == 2);
  EventRead kept = bus.read(0, {}, 10, kNow);
  CHECK_FALSE(kept.missed);
  CHECK(idsOf(kept.events) == std::vector<int64_t>{1, 2});

  clock.advance(milliseconds(1));
  CHECK(bus.retained() == 1);
  EventRead gone = bus.read(0, {}, 10, kNow);
  CHECK(gone.missed);
  CHECK(idsOf(gone.events) == std::vector<int64_t>{2});
  // A reader that had the first event misses nothing.
  CHECK_FALSE(bus.read(1, {}, 10, kNow).missed);

  clock.advance(milliseconds(30'000));
  CHECK(bus.retained() == 0);
  CHECK(bus.read(1, {}, 10, kNow).missed);
  CHECK_FALSE(bus.read(2, {}, 10, milliseconds(1)).missed);
}

TEST_CASE("a type filter returns only those types and moves the position past the others",
          "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  bus.publish("agent", Json::object());
  bus.publish("command", Json::object());
  bus.publish("snapshot", Json::object());
  bus.publish("command", Json::object());

  EventRead commands = bus.read(0, {"command"}, 10, kNow);
  CHECK(idsOf(commands.events) == std::vector<int64_t>{2, 4});
  CHECK(commands.position == 4);

  EventRead none = bus.read(0, {"alert"}, 10, milliseconds(1));
  CHECK(none.events.empty());
  CHECK(none.position == 4);

  EventRead two = bus.read(0, {"agent", "snapshot"}, 10, kNow);
  CHECK(idsOf(two.events) == std::vector<int64_t>{1, 3});
}

TEST_CASE("close wakes waiting readers and ends later reads at once", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  auto reader = std::async(std::launch::async, [&] { return bus.read(0, {}, 10, kLong); });
  bus.close();
  REQUIRE(reader.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(reader.get().closed);
  CHECK(bus.read(0, {}, 10, kLong).closed);
}

TEST_CASE("many readers each see every event, in order, without gaps", "[events]") {
  FakeClock clock;
  constexpr int kEvents = 2'000;
  constexpr int kReaders = 8;
  RingEventBus bus(clock, retaining(kEvents));
  std::vector<std::future<std::vector<int64_t>>> readers;
  readers.reserve(kReaders);
  for (int r = 0; r < kReaders; ++r) {
    readers.push_back(std::async(std::launch::async, [&] {
      std::vector<int64_t> seen;
      int64_t position = 0;
      while (seen.size() < static_cast<size_t>(kEvents)) {
        EventRead read = bus.read(position, {}, 64, kLong);
        if (read.missed || read.closed) {
          break;
        }
        for (const auto& e : read.events) {
          seen.push_back(e->id);
        }
        position = read.position;
      }
      return seen;
    }));
  }
  for (int i = 0; i < kEvents; ++i) {
    bus.publish(i % 2 == 0 ? "agent" : "command", {{"n", i}});
  }
  std::vector<int64_t> expected(kEvents);
  for (int i = 0; i < kEvents; ++i) {
    expected[static_cast<size_t>(i)] = i + 1;
  }
  for (auto& reader : readers) {
    REQUIRE(reader.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(reader.get() == expected);
  }
}

TEST_CASE("readers that do not read cannot stall publishing", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(100));
  // One reader stays parked in a read whose filter never matches, so it wakes on every publish
  // and goes back to waiting; another reader never comes back at all.
  std::atomic<bool> stop{false};
  auto parked = std::async(std::launch::async, [&] {
    int64_t position = 0;
    while (!stop) {
      EventRead read = bus.read(position, {"alert"}, 10, kLong);
      if (read.closed) {
        break;
      }
      position = read.position;
    }
  });
  int64_t stalled_at = bus.lastId();

  constexpr int kPublished = 50'000;
  auto publisher = std::async(std::launch::async, [&] {
    for (int i = 0; i < kPublished; ++i) {
      bus.publish("command", {{"n", i}});
    }
  });
  REQUIRE(publisher.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(bus.lastId() == kPublished);
  CHECK(bus.retained() == 100);

  // The reader that stopped reading has fallen out of the window: it is told, not held back.
  EventRead late = bus.read(stalled_at, {}, 1'000, kNow);
  CHECK(late.missed);
  CHECK(late.events.size() == 100);
  CHECK(late.events.front()->id == kPublished - 99);

  stop = true;
  bus.close();
  REQUIRE(parked.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
}

TEST_CASE("text that is not valid UTF-8 is replaced rather than refused", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(4));
  bus.publish("agent", {{"status_message", std::string("bad \xff byte")}});
  EventRead read = bus.read(0, {}, 10, kNow);
  REQUIRE(read.events.size() == 1);
  CHECK(read.events[0]->data.find("bad ") != std::string::npos);
  CHECK(parseJson(read.events[0]->data).isOk());
}

}  // namespace
}  // namespace corral::master
