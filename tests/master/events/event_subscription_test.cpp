#include "master/events/event_subscription.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "master/events/event_types.h"
#include "master/events/ring_event_bus.h"
#include "master/events/sse_format.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;

constexpr milliseconds kNow{0};

RingOptions retaining(size_t count) {
  RingOptions options;
  options.retain = count;
  return options;
}

TEST_CASE("a subscription without a last id starts after the newest event", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  bus.publish("agent", Json::object());
  EventSubscription sub(bus, std::nullopt, {});
  CHECK(sub.position() == 1);
  CHECK(sub.next(10, milliseconds(1)).events.empty());
  bus.publish("command", Json::object());
  SubscriptionBatch batch = sub.next(10, kNow);
  REQUIRE(batch.events.size() == 1);
  CHECK(batch.events[0]->id == 2);
  CHECK_FALSE(batch.reset_id);
}

TEST_CASE("a subscription resumes after its last id with exactly the events it missed",
          "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(16));
  for (int i = 0; i < 5; ++i) {
    bus.publish("command", {{"n", i}});
  }
  EventSubscription sub(bus, 3, {});
  SubscriptionBatch batch = sub.next(10, kNow);
  CHECK_FALSE(batch.reset_id);
  REQUIRE(batch.events.size() == 2);
  CHECK(batch.events[0]->id == 4);
  CHECK(batch.events[1]->id == 5);
  CHECK(sub.position() == 5);
}

TEST_CASE("a subscription out of the window starts with a reset below the events that follow",
          "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(3));
  for (int i = 0; i < 8; ++i) {
    bus.publish(i == 6 ? "alert" : "command", {{"n", i}});
  }
  SECTION("all types") {
    EventSubscription sub(bus, 2, {});
    SubscriptionBatch batch = sub.next(10, kNow);
    REQUIRE(batch.reset_id);
    CHECK(*batch.reset_id == 5);
    CHECK(batch.missed_after == 2);
    REQUIRE(batch.events.size() == 3);
    CHECK(batch.events.front()->id == 6);
    CHECK(sse::formatBatch(batch).rfind(
              "id: 5\nevent: reset\ndata: {\"last_event_id\":2,\"reason\":\"events_missed\"}\n\n"
              "id: 6\nevent: command\ndata: {\"n\":5}\n\n",
              0) == 0);
  }
  SECTION("filtered") {
    EventSubscription sub(bus, 2, {"alert"});
    SubscriptionBatch batch = sub.next(10, kNow);
    REQUIRE(batch.reset_id);
    CHECK(*batch.reset_id == 6);
    REQUIRE(batch.events.size() == 1);
    CHECK(batch.events[0]->id == 7);
    CHECK(sub.position() == 8);
  }
  SECTION("a reader that falls behind while connected is reset too") {
    EventSubscription sub(bus, std::nullopt, {});
    for (int i = 0; i < 5; ++i) {
      bus.publish("command", Json::object());
    }
    SubscriptionBatch batch = sub.next(10, kNow);
    REQUIRE(batch.reset_id);
    CHECK(*batch.reset_id == 10);
    CHECK(batch.missed_after == 8);
    CHECK(batch.events.size() == 3);
  }
}

TEST_CASE("a subscription reports the bus closing", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, retaining(4));
  EventSubscription sub(bus, std::nullopt, {});
  bus.close();
  CHECK(sub.next(10, milliseconds(10'000)).closed);
}

TEST_CASE("events are written in the Server-Sent Events format", "[events]") {
  std::string out;
  sse::appendEvent(out, 42, "agent", R"({"status":"online"})");
  CHECK(out == "id: 42\nevent: agent\ndata: {\"status\":\"online\"}\n\n");
  CHECK(sse::comment("keepalive") == ": keepalive\n\n");
  CHECK(sse::idOnly(7) == "id: 7\n\n");
  CHECK(sse::retry(3000) == "retry: 3000\n\n");
}

TEST_CASE("a stream's type filter accepts the published types only", "[events]") {
  auto all = event_types::parseFilter("", "types");
  REQUIRE(all.isOk());
  CHECK(all->empty());

  auto two = event_types::parseFilter("agent,command,agent", "types");
  REQUIRE(two.isOk());
  CHECK(*two == EventTypeFilter{"agent", "command"});

  for (const char* bad : {"agent,", "reset", "Agent", "agent,,command", ","}) {
    auto refused = event_types::parseFilter(bad, "types");
    INFO(bad);
    REQUIRE_FALSE(refused.isOk());
    CHECK(refused.status().code() == ErrorCode::kInvalidArgument);
    CHECK(refused.status().message().find("'types'") != std::string::npos);
  }
}

}  // namespace
}  // namespace corral::master
