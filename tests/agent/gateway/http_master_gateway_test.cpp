#include "agent/gateway/http_master_gateway.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/gzip.h"
#include "common/json.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_transport.h"

namespace corral::agent {
namespace {

using corral::testing::FakeClock;
using corral::testing::FakeTransport;
using corral::testing::queryParam;
using corral::testing::requestHeader;
using corral::testing::urlPath;
using std::chrono::milliseconds;

constexpr const char* kServer = "https://master.test:8420";
constexpr const char* kEnrollment = "crl_enr_pool_secret";
constexpr milliseconds kRequestTimeout{2'000};
// How long a test waits for something that should happen soon; it only runs out when it fails.
constexpr std::chrono::seconds kWaitDeadline{10};

// The backoff's random source: the queued draws in order, then 0. Thread-safe.
class Draws {
 public:
  void queue(std::vector<uint64_t> values) {
    std::lock_guard lock(mutex_);
    values_.insert(values_.end(), values.begin(), values.end());
  }
  uint64_t next() {
    std::lock_guard lock(mutex_);
    if (values_.empty()) {
      return 0;
    }
    uint64_t value = values_.front();
    values_.pop_front();
    return value;
  }

 private:
  std::mutex mutex_;
  std::deque<uint64_t> values_;  // guarded by mutex_
};

struct Options {
  int max_attempts = 5;
  milliseconds base{100};
  milliseconds cap{1'000};
};

// The gateway over a fake transport, a fake clock whose sleeps pass at once (and are recorded)
// and a scripted random source.
struct Harness {
  explicit Harness(Options o = {})
      : gateway(transport, clock, Backoff(o.base, o.cap, [d = draws] { return d->next(); }),
                GatewayOptions{kServer, o.max_attempts, kRequestTimeout}) {
    clock.setAutoAdvance(true);
  }

  FakeTransport transport;
  FakeClock clock;
  std::shared_ptr<Draws> draws = std::make_shared<Draws>();
  HttpMasterGateway gateway;
};

std::string errorBody(const std::string& code, const std::string& message) {
  return Json(proto::ErrorBody{code, message}).dump();
}

Json bodyOf(const HttpRequest& request) {
  auto parsed = parseJson(request.body);
  REQUIRE(parsed.isOk());
  return *parsed;
}

proto::RegisterRequest identity() {
  proto::RegisterRequest r;
  r.name = "edge-1";
  r.type = "k8s";
  r.protocol_version = proto::kProtocolVersion;
  r.cluster_id = "prod-eu";
  r.labels = {{"zone", "eu-1"}};
  r.slots = 4;
  return r;
}

proto::RegisterResponse registered() {
  proto::RegisterResponse r;
  r.agent_id = "agt_1";
  r.agent_token = "crl_agt_issued";
  r.pool_id = "pool_1";
  r.protocol_version = proto::kProtocolVersion;
  r.heartbeat_interval_s = 20;
  return r;
}

proto::HeartbeatRequest beat() {
  proto::HeartbeatRequest b;
  b.slots_total = 4;
  b.slots_used = 1;
  b.running = {"cmd_1"};
  return b;
}

// The heartbeat's answer as the master sends it.
std::string beatAnswer() { return Json(proto::HeartbeatResponse{{"cmd_1"}, false, 20}).dump(); }

TEST_CASE("register posts the identity with the enrollment token; later calls use the agent token",
          "[agent][gateway]") {
  Harness h;
  h.transport.respond(201, Json(registered()).dump());
  h.transport.respond(200, beatAnswer());

  auto answer = h.gateway.registerAgent(identity(), kEnrollment);
  REQUIRE(answer.isOk());
  CHECK(answer->agent_id == "agt_1");
  CHECK(answer->heartbeat_interval_s == 20);
  auto beat_answer = h.gateway.heartbeat(beat());
  REQUIRE(beat_answer.isOk());
  CHECK(beat_answer->cancel == std::vector<std::string>{"cmd_1"});

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].url == std::string(kServer) + "/api/v1/agent/register");
  CHECK(requestHeader(requests[0], "Authorization") == "Bearer crl_enr_pool_secret");
  CHECK(requestHeader(requests[0], "Content-Type") == "application/json");
  CHECK(bodyOf(requests[0]) == Json(identity()));
  CHECK(requests[0].timeout == kRequestTimeout);

  CHECK(requests[1].method == "POST");
  CHECK(requests[1].url == std::string(kServer) + "/api/v1/agent/heartbeat");
  CHECK(requestHeader(requests[1], "Authorization") == "Bearer crl_agt_issued");
  CHECK(requestHeader(requests[1], "Content-Type") == "application/json");
  CHECK(bodyOf(requests[1]) == Json(beat()));
}

TEST_CASE("useAgentToken sets the credential; a refused registration leaves it",
          "[agent][gateway]") {
  Harness h;
  h.gateway.useAgentToken("crl_agt_kept");
  h.transport.respond(401, errorBody("unauthenticated", "the enrollment token expired"));
  h.transport.respond(200, beatAnswer());

  auto answer = h.gateway.registerAgent(identity(), kEnrollment);
  CHECK(answer.status().code() == ErrorCode::kUnauthenticated);
  REQUIRE(h.gateway.heartbeat(beat()).isOk());

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requestHeader(requests[1], "Authorization") == "Bearer crl_agt_kept");
}

TEST_CASE("progress and result post to the command's routes with the agent token",
          "[agent][gateway]") {
  Harness h;
  h.gateway.useAgentToken("crl_agt_1");
  h.transport.respond(200, Json(proto::ProgressResponse{true, 212}).dump());
  h.transport.respond(200, "{}");

  proto::ProgressRequest step;
  step.fence = 3;
  step.offset = 0;
  step.log = "scaling web to 3\n";
  auto progressed = h.gateway.progress("cmd_42", step);
  REQUIRE(progressed.isOk());
  CHECK(progressed->cancel_requested);
  CHECK(progressed->next_offset == 212);

  proto::ResultRequest outcome;
  outcome.fence = 3;
  outcome.success = false;
  outcome.data = {{"replicas", 2}};
  outcome.error = "quota exceeded";
  outcome.started_at = "2026-01-01T00:00:01Z";
  outcome.finished_at = "2026-01-01T00:00:02Z";
  outcome.duration_ms = 1'000;
  REQUIRE(h.gateway.result("cmd_42", outcome).isOk());

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "POST");
  CHECK(urlPath(requests[0].url) == "/api/v1/agent/commands/cmd_42/progress");
  CHECK(requestHeader(requests[0], "Authorization") == "Bearer crl_agt_1");
  CHECK(bodyOf(requests[0]) == Json(step));
  CHECK(requests[1].method == "POST");
  CHECK(urlPath(requests[1].url) == "/api/v1/agent/commands/cmd_42/result");
  CHECK(requestHeader(requests[1], "Authorization") == "Bearer crl_agt_1");
  CHECK(requestHeader(requests[1], "Content-Type") == "application/json");
  CHECK(bodyOf(requests[1]) == Json(outcome));
}

TEST_CASE("pushSnapshot sends the compressed envelope as it is, marked gzip", "[agent][gateway]") {
  Harness h;
  h.gateway.useAgentToken("crl_agt_1");
  h.transport.respond(201, R"({"cluster_id": "prod-eu", "version": 1767225600000})");
  proto::SnapshotEnvelope snapshot;
  snapshot.cluster_id = "prod-eu";
  snapshot.version = 1'767'225'600'000;
  snapshot.kind = "k8s";
  snapshot.fetched_at = "2026-01-01T00:00:00Z";
  snapshot.summary = {{"pods", 9}};
  snapshot.resources = {{"pods", Json::array({{{"name", "web-1"}}, {{"name", "web-2"}}})}};

  auto compressed = gzipCompress(Json(snapshot).dump());
  REQUIRE(compressed.isOk());

  REQUIRE(h.gateway.pushSnapshot(*compressed).isOk());

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(urlPath(requests[0].url) == "/api/v1/agent/snapshot");
  CHECK(requestHeader(requests[0], "Authorization") == "Bearer crl_agt_1");
  CHECK(requestHeader(requests[0], "Content-Type") == "application/json");
  CHECK(requestHeader(requests[0], "Content-Encoding") == "gzip");
  auto inflated = gzipDecompress(requests[0].body, 1 << 20);
  REQUIRE(inflated.isOk());
  auto sent = parseJson(*inflated);
  REQUIRE(sent.isOk());
  CHECK(*sent == Json(snapshot));
}

TEST_CASE("a snapshot refused with 409 is a conflict, not retried", "[agent][gateway]") {
  Harness h;
  h.transport.respond(409, errorBody("conflict", "version 5 is not above the stored 9"));
  proto::SnapshotEnvelope snapshot;
  snapshot.cluster_id = "prod-eu";
  snapshot.version = 5;
  snapshot.kind = "k8s";
  snapshot.fetched_at = "2026-01-01T00:00:00Z";

  auto compressed = gzipCompress(Json(snapshot).dump());
  REQUIRE(compressed.isOk());

  Status pushed = h.gateway.pushSnapshot(*compressed);

  CHECK(pushed.code() == ErrorCode::kConflict);
  CHECK_THAT(pushed.message(), Catch::Contains("not above the stored 9"));
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("poll asks for wait and max, and its timeout covers the wait", "[agent][gateway]") {
  Harness h;
  h.gateway.useAgentToken("crl_agt_1");

  SECTION("204 is nothing to do") {
    h.transport.respond(204, "");
    auto polled = h.gateway.poll(25, 3);
    REQUIRE(polled.isOk());
    CHECK_FALSE(polled->has_value());
  }
  SECTION("200 carries the commands and cancellations") {
    proto::PollResponse answer;
    proto::Command c;
    c.id = "cmd_1";
    c.action = "scale";
    c.params = {{"replicas", 3}};
    c.fence = 4;
    c.attempt = 2;
    c.created_at = "2026-01-01T00:00:00Z";
    answer.commands = {c};
    answer.cancel = {"cmd_0"};
    h.transport.respond(200, Json(answer).dump());
    auto polled = h.gateway.poll(25, 3);
    REQUIRE(polled.isOk());
    REQUIRE(polled->has_value());
    REQUIRE((*polled)->commands.size() == 1);
    CHECK((*polled)->commands[0].id == "cmd_1");
    CHECK((*polled)->commands[0].fence == 4);
    CHECK((*polled)->commands[0].params == Json{{"replicas", 3}});
    CHECK((*polled)->cancel == std::vector<std::string>{"cmd_0"});
  }

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].url.rfind(kServer, 0) == 0);
  CHECK(urlPath(requests[0].url) == "/api/v1/agent/commands");
  CHECK(queryParam(requests[0].url, "wait") == "25");
  CHECK(queryParam(requests[0].url, "max") == "3");
  CHECK(requestHeader(requests[0], "Authorization") == "Bearer crl_agt_1");
  // The master holds the poll for up to 25 s; the usual request timeout comes on top.
  CHECK(requests[0].timeout == std::chrono::seconds(25) + kRequestTimeout);
}

TEST_CASE("a poll answer that does not follow the protocol is an error", "[agent][gateway]") {
  Harness h;
  h.transport.respond(200, R"({"commands": [{"id": "cmd_1"}]})");
  auto polled = h.gateway.poll(25, 1);
  CHECK(polled.status().code() == ErrorCode::kInternal);
  CHECK_THAT(polled.status().message(), Catch::Contains("protocol"));
}

TEST_CASE("transient failures are retried with capped exponential backoff", "[agent][gateway]") {
  Harness h(Options{6, milliseconds(100), milliseconds(500)});
  // Each draw at its ceiling, so the waits show the ceilings: doubling from the base, capped.
  h.draws->queue({100, 200, 400, 500, 500});
  int status = GENERATE(0, 429, 500, 502, 503, 504);
  INFO("answer " << status << " (0: no answer)");
  for (int i = 0; i < 5; ++i) {
    if (status == 0) {
      h.transport.fail(unavailable("POST /api/v1/agent/heartbeat: Connection refused"));
    } else {
      h.transport.respond(status, errorBody("unavailable", "the store is not ready"));
    }
  }
  h.transport.respond(200, beatAnswer());

  auto answer = h.gateway.heartbeat(beat());

  REQUIRE(answer.isOk());
  CHECK(h.clock.sleeps() == std::vector<milliseconds>{milliseconds(100), milliseconds(200),
                                                      milliseconds(400), milliseconds(500),
                                                      milliseconds(500)});
  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 6);
  for (const auto& request : requests) {
    CHECK(request.url == requests[0].url);
    CHECK(request.body == requests[0].body);
    CHECK(request.headers == requests[0].headers);
  }
}

TEST_CASE("the waits are full jitter: the random draw below the ceiling", "[agent][gateway]") {
  Harness h(Options{4, milliseconds(1'000), milliseconds(60'000)});
  h.draws->queue({0, 1'234, 3'999});
  for (int i = 0; i < 3; ++i) {
    h.transport.respond(503, errorBody("unavailable", "starting"));
  }
  h.transport.respond(200, beatAnswer());

  REQUIRE(h.gateway.heartbeat(beat()).isOk());

  CHECK(h.clock.sleeps() ==
        std::vector<milliseconds>{milliseconds(0), milliseconds(1'234), milliseconds(3'999)});
}

TEST_CASE("after max attempts the last failure is returned, without a wait after it",
          "[agent][gateway]") {
  Harness h(Options{3, milliseconds(100), milliseconds(1'000)});

  SECTION("an answer") {
    for (int i = 0; i < 3; ++i) {
      h.transport.respond(503, errorBody("unavailable", "the store is not ready"));
    }
    Status reported = h.gateway.result("cmd_1", proto::ResultRequest{});
    CHECK(reported.code() == ErrorCode::kUnavailable);
    CHECK_THAT(reported.message(), Catch::Contains("the store is not ready"));
  }
  SECTION("no answer") {
    for (int i = 0; i < 3; ++i) {
      h.transport.fail(unavailable("POST /api/v1/agent/commands/cmd_1/result: timed out"));
    }
    Status reported = h.gateway.result("cmd_1", proto::ResultRequest{});
    CHECK(reported.code() == ErrorCode::kUnavailable);
    CHECK_THAT(reported.message(), Catch::Contains("timed out"));
  }
  CHECK(h.transport.requests().size() == 3);
  CHECK(h.clock.sleeps().size() == 2);
}

TEST_CASE("Retry-After is a floor under the jittered wait", "[agent][gateway]") {
  Harness h(Options{5, milliseconds(1'000), milliseconds(60'000)});
  // Draws: 0 (below Retry-After: 3 s), 1'500 (above Retry-After: 1 s), 200 (HTTP-date ignored).
  h.draws->queue({0, 1'500, 200});
  h.transport.respond(429, errorBody("resource_exhausted", "slow down"), {{"Retry-After", "3"}});
  h.transport.respond(503, errorBody("unavailable", "starting"), {{"Retry-After", "1"}});
  h.transport.respond(503, "", {{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}});
  h.transport.respond(200, beatAnswer());

  REQUIRE(h.gateway.heartbeat(beat()).isOk());

  CHECK(h.clock.sleeps() ==
        std::vector<milliseconds>{milliseconds(3'000), milliseconds(1'500), milliseconds(200)});
}

TEST_CASE("other refusals are final and keep the master's message", "[agent][gateway]") {
  struct Case {
    int status;
    const char* code;
    ErrorCode expected;
  };
  Case c = GENERATE(Case{400, "bad_request", ErrorCode::kBadRequest},
                    Case{401, "unauthenticated", ErrorCode::kUnauthenticated},
                    Case{403, "permission_denied", ErrorCode::kPermissionDenied},
                    Case{404, "not_found", ErrorCode::kNotFound},
                    Case{409, "conflict", ErrorCode::kConflict},
                    Case{413, "payload_too_large", ErrorCode::kPayloadTooLarge},
                    Case{415, "unsupported_media_type", ErrorCode::kUnsupportedMediaType},
                    Case{422, "invalid_argument", ErrorCode::kInvalidArgument});
  INFO("HTTP " << c.status);
  Harness h;
  h.transport.respond(c.status, errorBody(c.code, "field 'slots_used': at most slots_total"));

  auto answer = h.gateway.heartbeat(beat());

  CHECK(answer.status().code() == c.expected);
  CHECK_THAT(answer.status().message(), Catch::Contains("field 'slots_used': at most slots_total"));
  CHECK_THAT(answer.status().message(), Catch::Contains(std::to_string(c.status)));
  CHECK(h.transport.requests().size() == 1);
  CHECK(h.clock.sleeps().empty());
}

TEST_CASE("a refusal without the error body still says its status", "[agent][gateway]") {
  Harness h;
  h.transport.respond(404, "<html>not found</html>");
  Status reported = h.gateway.result("cmd_1", proto::ResultRequest{});
  CHECK(reported.code() == ErrorCode::kNotFound);
  CHECK_THAT(reported.message(), Catch::Contains("404"));
}

TEST_CASE("401 on a poll and 409 on a result are told apart", "[agent][gateway]") {
  Harness h;
  h.transport.respond(401, errorBody("unauthenticated", "the agent token was revoked"));
  h.transport.respond(409, errorBody("conflict", "stale fence 1 (now 2)"));

  auto polled = h.gateway.poll(25, 1);
  Status reported = h.gateway.result("cmd_1", proto::ResultRequest{});

  CHECK(polled.status().code() == ErrorCode::kUnauthenticated);
  CHECK_THAT(polled.status().message(), Catch::Contains("revoked"));
  CHECK(reported.code() == ErrorCode::kConflict);
  CHECK_THAT(reported.message(), Catch::Contains("stale fence"));
  CHECK(h.transport.requests().size() == 2);
}

// A transport that parks the first request it gets until the test lets it go, as a long-poll
// parked on the master would, and then sees whether the request was abandoned meanwhile.
struct ParkedRequest {
  std::mutex mutex;
  std::condition_variable cv;
  bool arrived = false;           // guarded by mutex
  bool let_go = false;            // guarded by mutex
  bool had_abandon_flag = false;  // guarded by mutex
  bool abandoned = false;         // guarded by mutex

  FakeTransport::Handler handler() {
    return [this](const HttpRequest& request) -> Result<HttpResponse> {
      std::unique_lock lock(mutex);
      arrived = true;
      cv.notify_all();
      cv.wait_for(lock, kWaitDeadline, [&] { return let_go; });
      had_abandon_flag = request.abandon != nullptr;
      abandoned = had_abandon_flag && request.abandon->load();
      return unavailable(request.method + " " + request.url + ": abandoned");
    };
  }
  bool waitUntilArrived() {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, kWaitDeadline, [&] { return arrived; });
  }
  void letGo() {
    std::lock_guard lock(mutex);
    let_go = true;
    cv.notify_all();
  }
};

TEST_CASE("stopPolling() abandons a poll in progress; later polls fail at once, other calls go on",
          "[agent][gateway]") {
  Harness h;
  ParkedRequest parked;
  h.transport.setHandler(parked.handler());
  auto polled = std::async(std::launch::async, [&] { return h.gateway.poll(30, 1); });
  REQUIRE(parked.waitUntilArrived());

  h.gateway.stopPolling();
  parked.letGo();

  REQUIRE(polled.wait_for(kWaitDeadline) == std::future_status::ready);
  auto result = polled.get();
  CHECK(result.status().code() == ErrorCode::kUnavailable);
  {
    std::lock_guard lock(parked.mutex);
    CHECK(parked.had_abandon_flag);
    CHECK(parked.abandoned);
  }
  // An abandoned poll returns at once: no backoff wait, no second attempt.
  CHECK(h.clock.sleeps().empty());
  CHECK(h.transport.requests().size() == 1);

  auto again = h.gateway.poll(30, 1);
  CHECK(again.status().code() == ErrorCode::kUnavailable);
  CHECK(h.transport.requests().size() == 1);

  // Commands still running can report.
  h.transport.respond(200, "{}");
  CHECK(h.gateway.result("cmd_1", proto::ResultRequest{}).isOk());
  CHECK(h.transport.requests().size() == 2);
}

TEST_CASE("stop() ends a backoff wait in progress and later calls give up at once",
          "[agent][gateway]") {
  Harness h;
  h.clock.setAutoAdvance(false);  // waits last until the test moves the clock
  h.draws->queue({100});
  h.transport.setHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse busy;
    busy.status = 503;
    return busy;
  });
  auto beat_answer = std::async(std::launch::async, [&] { return h.gateway.heartbeat(beat()); });
  REQUIRE(h.clock.waitForSleepers(1, kWaitDeadline));

  h.gateway.stop();

  REQUIRE(beat_answer.wait_for(kWaitDeadline) == std::future_status::ready);
  CHECK(beat_answer.get().status().code() == ErrorCode::kUnavailable);
  CHECK(h.transport.requests().size() == 1);
  CHECK(h.gateway.result("cmd_1", proto::ResultRequest{}).code() == ErrorCode::kUnavailable);
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("stop() also abandons a poll in progress", "[agent][gateway]") {
  Harness h;
  ParkedRequest parked;
  h.transport.setHandler(parked.handler());
  auto polled = std::async(std::launch::async, [&] { return h.gateway.poll(30, 1); });
  REQUIRE(parked.waitUntilArrived());

  h.gateway.stop();
  parked.letGo();

  REQUIRE(polled.wait_for(kWaitDeadline) == std::future_status::ready);
  CHECK(polled.get().status().code() == ErrorCode::kUnavailable);
  std::lock_guard lock(parked.mutex);
  CHECK(parked.abandoned);
}

}  // namespace
}  // namespace corral::agent
