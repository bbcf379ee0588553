// A parked long-poll is answered by the enqueue that concerns it, not by a poll interval.

#include <future>

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;

TEST_CASE("a parked long-poll receives a command the moment it is enqueued", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("wake");
  auto parked = std::async(std::launch::async, [&] { return f.poll(agent, 30); });
  // The poll may not be parked yet when the command lands; either way it must get it, and it
  // must not wait out its 30 seconds.
  auto created = f.enqueue({{"target", {{"agent_id", agent.id}}}, {"action", "restart"}});
  REQUIRE(created.status == 201);
  REQUIRE(parked.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto r = parked.get();
  REQUIRE(r.status == 200);
  auto commands = r.json()["commands"];
  REQUIRE(commands.size() == 1);
  CHECK(commands[0]["id"] == created.json()["id"]);
  CHECK(commands[0]["fence"] == 1);
}

TEST_CASE("a long-poll with nothing to deliver ends with 204 after its wait", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("idle");
  auto r = f.poll(agent, 1);
  CHECK(r.status == 204);
}
