#include "master/queue/wait_set.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace corral::master {
namespace {

using Wake = WaitSet::Wake;
using std::chrono::milliseconds;

// Long enough never to elapse in a passing test; a wait only returns this late when a wake-up
// was lost, which then fails the test instead of hanging it.
constexpr milliseconds kNever{60'000};

}  // namespace

TEST_CASE("notify wakes a waiter armed under the key, even before it waits", "[waitset]") {
  WaitSet waits;
  auto ticket = waits.arm("agt_1", true);
  waits.notify("agt_1");
  CHECK(waits.wait(*ticket, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("notify of another key leaves a waiter asleep", "[waitset]") {
  WaitSet waits;
  auto ticket = waits.arm("agt_1", true);
  waits.notify("agt_2");
  CHECK(waits.wait(*ticket, milliseconds(0)) == Wake::kTimeout);
}

TEST_CASE("reset forgets a notification that was already handled", "[waitset]") {
  WaitSet waits;
  auto ticket = waits.arm("agt_1", true);
  waits.notify("agt_1");
  ticket->waiter().reset();
  CHECK(waits.wait(*ticket, milliseconds(0)) == Wake::kTimeout);
  waits.notify("agt_1");
  CHECK(waits.wait(*ticket, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("an exclusive arm supersedes the older waiter of the key", "[waitset]") {
  WaitSet waits;
  auto older = waits.arm("agt_1", true);
  auto newer = waits.arm("agt_1", true);
  CHECK(waits.wait(*older, milliseconds(0)) == Wake::kSuperseded);
  CHECK(waits.wait(*newer, milliseconds(0)) == Wake::kTimeout);
  waits.notify("agt_1");
  CHECK(waits.wait(*newer, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("a superseded waiter blocked in another thread returns at once", "[waitset]") {
  WaitSet waits;
  auto older = waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread parked([&] { woke = waits.wait(*older, kNever); });
  auto newer = waits.arm("agt_1", true);
  parked.join();
  CHECK(woke == Wake::kSuperseded);
}

TEST_CASE("shared waiters of a key are all woken by one notify", "[waitset]") {
  WaitSet waits;
  auto first = waits.arm("cmd:1", false);
  auto second = waits.arm("cmd:1", false);
  waits.notify("cmd:1");
  CHECK(waits.wait(*first, milliseconds(0)) == Wake::kNotified);
  CHECK(waits.wait(*second, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("notifyAll wakes the waiters of every key", "[waitset]") {
  WaitSet waits;
  auto a = waits.arm("agt_1", true);
  auto b = waits.arm("agt_2", true);
  waits.notifyAll();
  CHECK(waits.wait(*a, milliseconds(0)) == Wake::kNotified);
  CHECK(waits.wait(*b, milliseconds(0)) == Wake::kNotified);
}

TEST_CASE("notify wakes a waiter blocked in another thread", "[waitset]") {
  WaitSet waits;
  auto ticket = waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread parked([&] { woke = waits.wait(*ticket, kNever); });
  waits.notify("agt_1");
  parked.join();
  CHECK(woke == Wake::kNotified);
}

TEST_CASE("shutdown wakes every waiter with kShutdown, now and for later waits", "[waitset]") {
  WaitSet waits;
  auto ticket = waits.arm("agt_1", true);
  Wake woke = Wake::kTimeout;
  std::thread parked([&] { woke = waits.wait(*ticket, kNever); });
  waits.shutdown();
  parked.join();
  CHECK(woke == Wake::kShutdown);

  auto late = waits.arm("agt_2", true);
  waits.notify("agt_2");  // shutdown wins over a notification
  CHECK(waits.wait(*late, kNever) == Wake::kShutdown);
}

TEST_CASE("a ticket unregisters its waiter when it goes out of scope", "[waitset]") {
  WaitSet waits;
  CHECK(waits.parked() == 0);
  {
    auto a = waits.arm("agt_1", true);
    auto b = waits.arm("agt_1", false);
    auto c = waits.arm("agt_2", true);
    CHECK(waits.parked() == 3);
    CHECK(waits.isWaiting("agt_1"));
    CHECK(waits.isWaiting("agt_2"));
    CHECK_FALSE(waits.isWaiting("agt_3"));
  }
  CHECK(waits.parked() == 0);
  CHECK_FALSE(waits.isWaiting("agt_1"));
  waits.notify("agt_1");  // nobody left to wake; must not touch a freed waiter
}

}  // namespace corral::master
