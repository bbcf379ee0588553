// The components' observer hooks, through EventSources onto a real bus: each change of an agent,
// a command or a snapshot becomes one event, in the order the changes were committed.

#include "master/events/event_sources.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/gzip.h"
#include "master/events/alert_events.h"
#include "master/events/ring_event_bus.h"
#include "master/fleet/fleet_service.h"
#include "master/queue/durable_command_queue.h"
#include "master/queue/wait_set.h"
#include "master/scheduling/agent_selector.h"
#include "master/snapshots/snapshot_service.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::StoreFixture;

struct Published {
  int64_t id;
  std::string type;
  Json data;
};

struct SourcesFixture {
  StoreFixture db;
  FakeClock clock;
  RingEventBus bus{clock, RingOptions{}};
  EventSources sources{bus, clock};
  WaitSet waits;
  AgentSelector selector{[] { return uint64_t{0}; }};
  DurableCommandQueue queue{db.store(),     clock,   waits,    selector,
                            QueueOptions{}, nullptr, &sources, &sources};
  FleetService fleet{db.store(), clock, queue, waits, FleetOptions{}, &sources, &sources};
  SnapshotService snapshots{db.store(), clock, SnapshotOptions{}, nullptr, &sources, &sources};
  Actor op{"tok_op", "10.0.0.2"};
  Pool pool = db.addPool("runners");
  int64_t seen = bus.lastId();

  // The events published since the last call.
  std::vector<Published> take() {
    std::vector<Published> out;
    EventRead read = bus.read(seen, {}, 1'000, milliseconds(0));
    REQUIRE_FALSE(read.missed);
    out.reserve(read.events.size());
    for (const auto& e : read.events) {
      auto data = parseJson(e->data);
      REQUIRE_OK(data);
      out.push_back({e->id, e->type, *data});
    }
    seen = read.position;
    return out;
  }

  CommandRecord enqueueFor(const std::string& agent_id) {
    EnqueueRequest r;
    r.agent_id = agent_id;
    r.action = "plan";
    auto e = queue.enqueue(r, op);
    REQUIRE_OK(e);
    return e->command;
  }
};

std::vector<std::string> statesOf(const std::vector<Published>& events) {
  std::vector<std::string> states;
  states.reserve(events.size());
  for (const auto& e : events) {
    REQUIRE(e.type == "command");
    states.push_back(e.data["state"].get<std::string>());
  }
  return states;
}

TEST_CASE("a command's life is published state by state, with growing ids", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_1");
  CommandRecord c = f.enqueueFor("agt_1");
  auto leased = f.queue.lease("agt_1", 1);
  REQUIRE_OK(leased);
  REQUIRE_OK(f.queue.progress("agt_1", c.id, 1, 0, "working\n"));
  REQUIRE_OK(f.queue.progress("agt_1", c.id, 1, std::nullopt, "more\n"));  // no new state
  REQUIRE_OK(f.queue.complete("agt_1", c.id, CompletionReport{1, true, Json::object(), ""}));

  auto events = f.take();
  CHECK(statesOf(events) == std::vector<std::string>{"queued", "leased", "running", "succeeded"});
  for (size_t i = 1; i < events.size(); ++i) {
    CHECK(events[i].id == events[i - 1].id + 1);
  }
  CHECK(events[0].data["previous_state"].is_null());
  CHECK(events[1].data["previous_state"] == "queued");
  CHECK(events[3].data["previous_state"] == "running");
  CHECK(events[3].data["command_id"] == c.id);
  CHECK(events[3].data["agent_id"] == "agt_1");
  CHECK(events[3].data["target"] == Json{{"type", "agent"}, {"agent_id", "agt_1"}});
  CHECK(events[3].data["attempts"] == 1);
}

TEST_CASE("cancellation, expiry and redelivery are published", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_1");

  SECTION("a queued command is cancelled at once; a running one is flagged first") {
    CommandRecord queued = f.enqueueFor("agt_1");
    REQUIRE_OK(f.queue.cancel(queued.id, f.op));
    CommandRecord running = f.enqueueFor("agt_1");
    REQUIRE_OK(f.queue.lease("agt_1", 1));
    REQUIRE_OK(f.queue.cancel(running.id, f.op));
    REQUIRE_OK(f.queue.complete("agt_1", running.id, CompletionReport{1, false, Json(), "x"}));
    auto events = f.take();
    CHECK(statesOf(events) == std::vector<std::string>{"queued", "cancelled", "queued", "leased",
                                                       "leased", "cancelled"});
    CHECK(events[4].data["cancel_requested"] == true);
    CHECK(events[4].data["previous_state"] == "leased");
  }
  SECTION("a lost lease goes back to the queue, then fails after its last attempt") {
    EnqueueRequest r;
    r.agent_id = "agt_1";
    r.action = "plan";
    r.timeout_s = 1;
    r.max_attempts = 2;
    REQUIRE_OK(f.queue.enqueue(r, f.op));
    for (int attempt = 0; attempt < 2; ++attempt) {
      REQUIRE_OK(f.queue.lease("agt_1", 1));
      f.clock.advance(milliseconds(31'001));  // timeout_s plus the default lease grace
      REQUIRE_OK(f.queue.expireDue());
    }
    auto events = f.take();
    CHECK(statesOf(events) ==
          std::vector<std::string>{"queued", "leased", "queued", "leased", "failed"});
    CHECK(events.back().data["reason"] == "lease_expired");
  }
  SECTION("a command past its deadline expires") {
    EnqueueRequest r;
    r.agent_id = "agt_1";
    r.action = "plan";
    r.deadline_s = 5;
    REQUIRE_OK(f.queue.enqueue(r, f.op));
    f.clock.advance(milliseconds(5'001));
    REQUIRE_OK(f.queue.expireDue());
    CHECK(statesOf(f.take()) == std::vector<std::string>{"queued", "expired"});
  }
}

TEST_CASE("an agent going offline and coming back is published with its commands", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_1");
  CommandRecord c = f.enqueueFor("agt_1");
  REQUIRE_OK(f.queue.lease("agt_1", 1));
  f.take();

  f.clock.advance(milliseconds(60'000));
  auto went = f.queue.agentOffline("agt_1", toUnixMillis(f.clock.wallNow()));
  REQUIRE_OK(went);
  REQUIRE(*went);
  auto offline = f.take();
  REQUIRE(offline.size() == 2);
  CHECK(offline[0].type == "agent");
  CHECK(offline[0].data["agent_id"] == "agt_1");
  CHECK(offline[0].data["status"] == "offline");
  CHECK(offline[0].data["previous_status"] == "online");
  CHECK(offline[1].type == "command");
  CHECK(offline[1].data["command_id"] == c.id);
  CHECK(offline[1].data["state"] == "failed");
  CHECK(offline[1].data["reason"] == "agent_offline");

  REQUIRE_OK(f.queue.lease("agt_1", 1));
  auto back = f.take();
  REQUIRE(back.size() == 1);
  CHECK(back[0].data["status"] == "online");
  CHECK(back[0].data["previous_status"] == "offline");
}

TEST_CASE("heartbeats publish status changes only", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_1");
  proto::HeartbeatRequest beat;
  REQUIRE_OK(f.fleet.heartbeat("agt_1", beat));
  CHECK(f.take().empty());

  beat.status = "draining";
  REQUIRE_OK(f.fleet.heartbeat("agt_1", beat));
  REQUIRE_OK(f.fleet.heartbeat("agt_1", beat));
  auto events = f.take();
  REQUIRE(events.size() == 1);
  CHECK(events[0].data["status"] == "draining");
  CHECK(events[0].data["previous_status"] == "online");
  CHECK(events[0].data["at"] == "2026-01-01T00:00:00.000Z");
}

TEST_CASE("deleting an agent publishes it as deleted, after the commands it ends", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_1");
  CommandRecord c = f.enqueueFor("agt_1");
  f.take();
  REQUIRE_OK(f.fleet.deleteAgent("agt_1", "", f.op));
  auto events = f.take();
  REQUIRE(events.size() == 2);
  CHECK(events[0].type == "agent");
  CHECK(events[0].data["status"] == "deleted");
  CHECK(events[1].data["command_id"] == c.id);
  CHECK(events[1].data["state"] == "failed");
  CHECK(events[1].data["reason"] == "agent_deleted");
}

TEST_CASE("a stored snapshot is published with its version and summary", "[events]") {
  SourcesFixture f;
  f.db.addAgent(f.pool.id, "agt_prod", [](Agent& a) { a.cluster_id = "prod"; });
  Json envelope = {{"cluster_id", "prod"},
                   {"version", 7},
                   {"kind", "k8s"},
                   {"fetched_at", "2026-03-14T09:30:00Z"},
                   {"summary", {{"nodes", 3}, {"pods", {{"Running", 41}}}}},
                   {"resources", Json::object()},
                   {"errors", {{"secrets", "forbidden"}}}};
  std::string text = envelope.dump();
  REQUIRE_OK(f.snapshots.ingest("agt_prod", text, BodyEncoding::kIdentity));
  // A stale version is refused and publishes nothing.
  CHECK_FALSE(f.snapshots.ingest("agt_prod", text, BodyEncoding::kIdentity).isOk());

  auto events = f.take();
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "snapshot");
  const Json& d = events[0].data;
  CHECK(d["cluster_id"] == "prod");
  CHECK(d["agent_id"] == "agt_prod");
  CHECK(d["version"] == 7);
  CHECK(d["summary"] == envelope["summary"]);
  CHECK(d["summary_truncated"] == false);
  CHECK(d["error_kinds"] == Json::array({"secrets"}));
  CHECK(d["fetched_at"] == "2026-03-14T09:30:00.000Z");
  CHECK(d["size_bytes"] == static_cast<int64_t>(text.size()));
}

TEST_CASE("an event carries only so much of what agents write", "[events]") {
  ClusterSnapshot s;
  s.cluster_id = "big";
  for (int i = 0; i < 2'000; ++i) {
    s.summary["k" + std::to_string(i)] = "some value";
  }
  Json d = snapshotEventData(s);
  CHECK(d["summary"].is_null());
  CHECK(d["summary_truncated"] == true);

  AgentChange change;
  change.agent.status_message = std::string(5'000, 'x');
  CHECK(agentEventData(change, 0)["status_message"].get<std::string>().size() < 1'100);
}

TEST_CASE("alerts are published firing and resolved under one id", "[events]") {
  FakeClock clock;
  RingEventBus bus(clock, RingOptions{});
  BusAlertPublisher alerts(bus);
  AlertEvent alert;
  alert.alert_id = "alr_1";
  alert.rule = "agent_offline";
  alert.severity = "critical";
  alert.subject_kind = "agent";
  alert.subject_id = "agt_1";
  alert.message = "agent agt_1 is offline";
  alert.labels = {{"pool", "runners"}};
  alert.started_at = toUnixMillis(clock.wallNow());
  alerts.alertFiring(alert);
  alert.resolved_at = alert.started_at + 60'000;
  alerts.alertResolved(alert);

  EventRead read = bus.read(0, {"alert"}, 10, milliseconds(0));
  REQUIRE(read.events.size() == 2);
  auto firing = parseJson(read.events[0]->data);
  auto resolved = parseJson(read.events[1]->data);
  REQUIRE_OK(firing);
  REQUIRE_OK(resolved);
  CHECK((*firing)["state"] == "firing");
  CHECK((*firing)["alert_id"] == "alr_1");
  CHECK((*firing)["subject"] == Json{{"kind", "agent"}, {"id", "agt_1"}});
  CHECK((*firing)["resolved_at"].is_null());
  CHECK((*resolved)["state"] == "resolved");
  CHECK((*resolved)["resolved_at"] == "2026-01-01T00:01:00.000Z");
}

}  // namespace
}  // namespace corral::master
