// The live event stream over the real master, read as a browser's EventSource reads it: what a
// dashboard sees as agents register, commands run and snapshots arrive; resuming with
// Last-Event-ID; the stream cap that keeps room for agents' long-polls.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/fleet_fixture.h"
#include "tests/integration/sse_client.h"

using corral::Json;
using corral::testing::FleetFixture;
using corral::testing::RegisteredAgent;
using corral::testing::SseClient;
using corral::testing::SseEvent;
using corral::testing::withConfig;

namespace {

using Headers = std::map<std::string, std::string>;

// Idle streams say so every 200 ms, so that a test sees keepalives and hang-ups quickly.
constexpr const char* kFastKeepalive = "events: {keepalive: 200ms}\n";

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::vector<std::string> typesOf(const std::vector<SseEvent>& events) {
  std::vector<std::string> types;
  types.reserve(events.size());
  for (const auto& e : events) {
    types.push_back(e.type);
  }
  return types;
}

// Each event's id is one above the previous one's.
void requireConsecutive(const std::vector<SseEvent>& events) {
  for (size_t i = 1; i < events.size(); ++i) {
    INFO("event " << i << ": " << events[i].type << " " << events[i].data);
    REQUIRE(events[i].numericId() == events[i - 1].numericId() + 1);
  }
}

struct StreamFixture : FleetFixture {
  explicit StreamFixture(const std::string& yaml = kFastKeepalive)
      : FleetFixture(withConfig(yaml)) {}

  std::unique_ptr<SseClient> open(const std::string& query, const Headers& headers) {
    return std::make_unique<SseClient>(master.port(), "/api/v1/stream" + query, headers);
  }
  std::unique_ptr<SseClient> open(const std::string& query = "") {
    return open(query, bearer(admin()));
  }

  // A Kubernetes agent registered for `cluster_id`.
  RegisteredAgent clusterAgent(const std::string& cluster_id) {
    if (pool.empty()) {
      pool = createPool("clusters", {{"pool_type", "k8s"}});
      enrollment = enrollmentToken(pool);
    }
    Json body = registerBody(cluster_id + "-agent");
    body["type"] = "k8s";
    body["cluster_id"] = cluster_id;
    auto r = api.post("/api/v1/agent/register", enrollment, body);
    REQUIRE(r.status == 201);
    return {r.json()["agent_id"].get<std::string>(), r.json()["agent_token"].get<std::string>()};
  }

  void pushSnapshot(const RegisteredAgent& agent, const std::string& cluster_id, int64_t version) {
    Json envelope = {{"cluster_id", cluster_id},
                     {"version", version},
                     {"kind", "k8s"},
                     {"fetched_at", "2026-03-14T09:30:00Z"},
                     {"summary", {{"nodes", 6}, {"pods", {{"Running", 141}, {"Pending", 2}}}}},
                     {"resources", Json::object()},
                     {"errors", Json::object()}};
    auto r =
        api.raw("POST", "/api/v1/agent/snapshot", agent.token, envelope.dump(), "application/json");
    REQUIRE((r.status == 200 || r.status == 201));
  }

  // Runs a command for the agent to success: queued, leased, succeeded.
  std::string runCommand(const RegisteredAgent& agent) {
    std::string id = enqueueFor(agent, "restart");
    Json commands = pollCommands(agent, 5);
    REQUIRE(commands.size() == 1);
    REQUIRE(report(agent, id, commands[0]["fence"].get<int64_t>(), true).status == 200);
    return id;
  }

  std::string pool;
  std::string enrollment;
};

TEST_CASE("a stream shows an agent registering, a command's life and a snapshot, in order",
          "[stream]") {
  StreamFixture f;
  auto viewer = f.operatorToken("viewer");
  auto stream = f.open("", bearer(viewer.token));
  REQUIRE(stream->status() == 200);
  CHECK(stream->header("Content-Type") == "text/event-stream");
  CHECK(stream->header("Cache-Control") == "no-cache");
  // Browsers ask for gzip; a compressing proxy or server would hold events back in its buffer.
  CHECK(stream->header("Content-Encoding").empty());

  RegisteredAgent agent = f.clusterAgent("prod");
  std::string command = f.runCommand(agent);
  f.pushSnapshot(agent, "prod", 1);

  REQUIRE(stream->readEvents(5));
  const auto& events = stream->events();
  REQUIRE(typesOf(events) ==
          std::vector<std::string>{"agent", "command", "command", "command", "snapshot"});
  requireConsecutive(events);

  Json registered = events[0].json();
  CHECK(registered["agent_id"] == agent.id);
  CHECK(registered["status"] == "online");
  CHECK(registered["previous_status"].is_null());
  CHECK(registered["cluster_id"] == "prod");

  std::vector<std::string> states;
  states.reserve(3);
  for (size_t i = 1; i <= 3; ++i) {
    Json c = events[i].json();
    CHECK(c["command_id"] == command);
    CHECK(c["action"] == "restart");
    states.push_back(c["state"].get<std::string>());
  }
  CHECK(states == std::vector<std::string>{"queued", "leased", "succeeded"});
  CHECK(events[3].json()["previous_state"] == "leased");

  Json snapshot = events[4].json();
  CHECK(snapshot["cluster_id"] == "prod");
  CHECK(snapshot["agent_id"] == agent.id);
  CHECK(snapshot["version"] == 1);
  CHECK(snapshot["summary"]["nodes"] == 6);
  CHECK(snapshot["summary"]["pods"]["Running"] == 141);
  CHECK(stream->otherFields().front() == "retry: 3000");
}

TEST_CASE("an agent drained and offline shows up as status changes", "[stream]") {
  StreamFixture f(std::string(kFastKeepalive) + corral::testing::kFastTimings);
  RegisteredAgent agent = f.poolWithAgent("runners");
  auto stream = f.open("?types=agent");
  REQUIRE(stream->status() == 200);
  REQUIRE(f.api.put("/api/v1/agents/" + agent.id, f.admin(), {{"drain", true}}).status == 200);
  // The agent stays silent: the monitor takes it offline after offline_after (2 s).
  REQUIRE(stream->readEvents(2, std::chrono::seconds(20)));
  Json draining = stream->events()[0].json();
  Json offline = stream->events()[1].json();
  CHECK(draining["status"] == "draining");
  CHECK(draining["previous_status"] == "online");
  CHECK(draining["drain"] == true);
  CHECK(offline["status"] == "offline");
  CHECK(offline["previous_status"] == "draining");
}

TEST_CASE("a reconnect with Last-Event-ID gets exactly the events it missed", "[stream]") {
  StreamFixture f;
  RegisteredAgent agent = f.poolWithAgent("runners");
  auto first = f.open();
  REQUIRE(first->status() == 200);
  std::string kept = f.enqueueFor(agent, "plan");
  REQUIRE(first->readEvents(1));
  SseEvent last_seen = first->events().back();
  CHECK(last_seen.json()["command_id"] == kept);
  first->close();

  // While no stream is open: three more events.
  std::string missed = f.enqueueFor(agent, "apply");
  REQUIRE(f.api.post("/api/v1/commands/" + missed + "/cancel", f.admin(), Json::object()).status ==
          200);
  std::string other = f.enqueueFor(agent, "plan");

  auto check_resumed = [&](SseClient& resumed) {
    REQUIRE(resumed.status() == 200);
    REQUIRE(resumed.readEvents(3));
    const auto& events = resumed.events();
    CHECK(events[0].numericId() == last_seen.numericId() + 1);
    requireConsecutive(events);
    CHECK(events[0].json()["command_id"] == missed);
    CHECK(events[0].json()["state"] == "queued");
    CHECK(events[1].json()["command_id"] == missed);
    CHECK(events[1].json()["state"] == "cancelled");
    CHECK(events[2].json()["command_id"] == other);
    // Nothing else was waiting: the next event is the next change.
    REQUIRE(f.api.post("/api/v1/commands/" + other + "/cancel", f.admin(), Json::object()).status ==
            200);
    REQUIRE(resumed.readEvents(4));
    CHECK(resumed.events()[3].numericId() == events[2].numericId() + 1);
    CHECK(resumed.events()[3].json()["state"] == "cancelled");
  };
  SECTION("as the header a browser sends") {
    Headers headers = bearer(f.admin());
    headers["Last-Event-ID"] = last_seen.id;
    auto resumed = f.open("", headers);
    check_resumed(*resumed);
  }
  SECTION("as the query parameter of a new EventSource, with the token in the query too") {
    auto resumed =
        f.open("?last_event_id=" + last_seen.id + "&access_token=" + f.admin(), Headers{});
    check_resumed(*resumed);
  }
}

TEST_CASE("a last id outside the retention window starts with a reset", "[stream]") {
  StreamFixture f("events: {keepalive: 200ms, retain: 3}\n");
  RegisteredAgent agent = f.poolWithAgent("runners");  // event 1: registered
  auto first = f.open();
  REQUIRE(first->status() == 200);
  f.enqueueFor(agent, "plan");
  REQUIRE(first->readEvents(1));
  std::string old_id = first->events()[0].id;
  first->close();
  for (int i = 0; i < 4; ++i) {
    f.enqueueFor(agent, "plan");
  }

  Headers headers = bearer(f.admin());
  headers["Last-Event-ID"] = old_id;
  auto resumed = f.open("", headers);
  REQUIRE(resumed->status() == 200);
  REQUIRE(resumed->readEvents(4));
  const auto& events = resumed->events();
  CHECK(events[0].type == "reset");
  Json reset = events[0].json();
  CHECK(reset["reason"] == "events_missed");
  CHECK(reset["last_event_id"] == std::stoll(old_id));
  // The reset's id comes just before the oldest event still retained, which follow it.
  CHECK(typesOf(events) == std::vector<std::string>{"reset", "command", "command", "command"});
  requireConsecutive(events);

  SECTION("an id from before this master started is out of the window too") {
    Headers ancient = bearer(f.admin());
    ancient["Last-Event-ID"] = "1";
    auto stream = f.open("", ancient);
    REQUIRE(stream->readEvents(1));
    CHECK(stream->events()[0].type == "reset");
  }
}

TEST_CASE("a type filter narrows the stream, and idle streams carry keepalives", "[stream]") {
  StreamFixture f;
  auto stream = f.open("?types=command,alert");
  REQUIRE(stream->status() == 200);
  RegisteredAgent agent = f.poolWithAgent("runners");  // an agent event, filtered out
  std::string id = f.enqueueFor(agent, "plan");
  REQUIRE(stream->readEvents(1));
  CHECK(stream->events()[0].type == "command");
  CHECK(stream->events()[0].json()["command_id"] == id);
  REQUIRE(stream->readComment("keepalive", std::chrono::seconds(5)));
  CHECK(stream->events().size() == 1);
}

TEST_CASE("the stream checks its caller and its parameters", "[stream]") {
  StreamFixture f;
  RegisteredAgent agent = f.poolWithAgent("runners");
  auto status = [&](const std::string& query, const Headers& headers) {
    SseClient client(f.master.port(), "/api/v1/stream" + query, headers);
    client.readToEnd();
    return std::make_pair(client.status(), client.body());
  };
  CHECK(status("", Headers{}).first == 401);
  CHECK(status("", bearer(agent.token)).first == 401);
  CHECK(status("?access_token=crl_op_nope", Headers{}).first == 401);
  auto [code, body] = status("?types=agent,pods", bearer(f.admin()));
  CHECK(code == 422);
  CHECK(body.find("'types'") != std::string::npos);
  Headers bad_id = bearer(f.admin());
  bad_id["Last-Event-ID"] = "12abc";
  CHECK(status("", bad_id).first == 422);
  CHECK(status("?last_event_id=-4", bearer(f.admin())).first == 422);
  // The query token is for this route only.
  CHECK(f.api.get("/api/v1/agents?access_token=" + f.admin(), "").status == 401);
}

TEST_CASE("a stream ends when its token is revoked, and when the master stops", "[stream]") {
  StreamFixture f;
  auto viewer = f.operatorToken("viewer");
  auto revoked = f.open("", bearer(viewer.token));
  auto kept = f.open();
  REQUIRE(revoked->status() == 200);
  REQUIRE(kept->status() == 200);
  REQUIRE(f.api.del("/api/v1/tokens/" + viewer.id, f.admin()).status == 204);
  REQUIRE(revoked->readToEnd(std::chrono::seconds(10)));
  CHECK_FALSE(kept->ended());

  CHECK(f.master.terminate() == 0);
  CHECK(kept->readToEnd(std::chrono::seconds(10)));
}

TEST_CASE("past the stream cap a stream is refused with 503 while agents' polls get through",
          "[stream]") {
  StreamFixture f(std::string(kFastKeepalive) + "http: {max_connections: 16, max_streams: 3}\n");
  RegisteredAgent agent = f.poolWithAgent("runners");
  std::vector<std::unique_ptr<SseClient>> streams;
  streams.reserve(3);
  for (int i = 0; i < 3; ++i) {
    streams.push_back(f.open());
    REQUIRE(streams.back()->status() == 200);
  }
  auto scrape = f.api.get("/metrics", "");
  REQUIRE(scrape.status == 200);
  CHECK_THAT(scrape.body, Catch::Contains("\ncorral_event_streams_open 3\n"));
  for (int i = 0; i < 5; ++i) {
    SseClient refused(f.master.port(), "/api/v1/stream", bearer(f.admin()));
    REQUIRE(refused.status() == 503);
    CHECK(refused.header("Retry-After") == "10");
    REQUIRE(refused.readToEnd());
    CHECK(Json::parse(refused.body())["error"]["code"] == "unavailable");
  }

  auto poll = f.pollAsync(agent, 10);
  REQUIRE(f.waitUntilPolling(agent.id));
  std::string id = f.enqueueFor(agent, "plan");
  REQUIRE(poll.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto answer = poll.get();
  REQUIRE(answer.status == 200);
  CHECK(answer.json()["commands"][0]["id"] == id);

  // A dashboard that goes away gives its place back: the stream notices on its next write.
  streams.front()->close();
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int got = 0;
  while (got != 200 && std::chrono::steady_clock::now() < until) {
    SseClient again(f.master.port(), "/api/v1/stream", bearer(f.admin()));
    got = again.status();
  }
  CHECK(got == 200);
}

}  // namespace
