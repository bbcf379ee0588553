#include "common/system_clock.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace corral {

TEST_CASE("SystemClock sleepFor returns false at once after interrupt", "[system_clock]") {
  SystemClock clock;
  clock.interrupt();
  SteadyTime before = clock.now();
  CHECK_FALSE(clock.sleepFor(std::chrono::hours(1)));
  CHECK(clock.now() - before < std::chrono::seconds(10));
}

TEST_CASE("SystemClock interrupt wakes a sleeper in another thread", "[system_clock]") {
  SystemClock clock;
  bool result = true;
  std::thread sleeper([&] { result = clock.sleepFor(std::chrono::hours(1)); });
  // Whether the sleeper is already waiting or not, interrupt() makes it return false.
  clock.interrupt();
  sleeper.join();
  CHECK_FALSE(result);
}

TEST_CASE("SystemClock sleepFor of zero returns true when not interrupted", "[system_clock]") {
  SystemClock clock;
  CHECK(clock.sleepFor(Millis(0)));
}

TEST_CASE("SystemClock steady time never goes back", "[system_clock]") {
  SystemClock clock;
  SteadyTime a = clock.now();
  SteadyTime b = clock.now();
  CHECK(b >= a);
}

TEST_CASE("Unix millisecond conversions round trip", "[system_clock]") {
  CHECK(toUnixMillis(fromUnixMillis(1'767'225'600'123)) == 1'767'225'600'123);
  CHECK(toUnixMillis(fromUnixMillis(-5)) == -5);
}

}  // namespace corral
