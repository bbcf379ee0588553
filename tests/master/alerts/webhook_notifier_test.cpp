// The webhook: what is posted, retries with capped backoff through the clock, the bounded queue,
// and the sender thread.

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>

#include "master/alerts/webhook_notifier.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_transport.h"

namespace corral::testing {
namespace {

using master::AlertChange;
using Kind = master::AlertChange::Kind;
using std::chrono::milliseconds;

master::WebhookSettings settings() {
  master::WebhookSettings s;
  s.url = "https://hooks.example.com/corral?team=sre";
  s.retry_base = milliseconds(100);
  s.retry_cap = milliseconds(400);
  s.max_attempts = 5;
  s.queue_size = 100;
  s.timeout = milliseconds(2500);
  return s;
}

AlertChange change(Kind kind, const std::string& id) {
  AlertChange c;
  c.kind = kind;
  c.alert.id = id;
  c.alert.fingerprint = "0123456789abcdef";
  c.alert.rule = "pod_crash_loop";
  c.alert.severity = "warning";
  c.alert.state = kind == Kind::kResolved ? "resolved" : "firing";
  c.alert.cluster_id = "prod";
  c.alert.summary = "Pod shop/api-0 is crash-looping";
  c.alert.first_seen = 1'767'225'600'000;
  c.alert.last_seen = 1'767'225'600'000;
  c.alert.count = 1;
  return c;
}

struct WebhookFixture {
  explicit WebhookFixture(master::WebhookSettings s = settings())
      : webhook(std::move(s), transport, clock, [] { return uint64_t{12'345}; }) {
    clock.setAutoAdvance(true);
  }

  std::vector<std::string> postedIds() const {
    std::vector<std::string> ids;
    for (const auto& r : transport.requests()) {
      ids.push_back(Json::parse(r.body)["alert"]["id"].get<std::string>());
    }
    return ids;
  }

  FakeTransport transport;
  FakeClock clock;
  master::WebhookNotifier webhook;
};

}  // namespace

TEST_CASE("a fired alert is posted as JSON with its headers", "[alerts][webhook]") {
  auto s = settings();
  s.bearer_token = "s3cret";
  s.headers = {{"X-Team", "sre"}};
  WebhookFixture f(s);
  f.transport.respond(202, "");
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  CHECK(f.webhook.queued() == 1);
  REQUIRE(f.webhook.deliverNext());
  CHECK_FALSE(f.webhook.deliverNext());

  auto requests = f.transport.requests();
  REQUIRE(requests.size() == 1);
  const HttpRequest& r = requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://hooks.example.com/corral?team=sre");
  CHECK(r.timeout == milliseconds(2500));
  CHECK(requestHeader(r, "Content-Type") == "application/json");
  CHECK(requestHeader(r, "Authorization") == "Bearer s3cret");
  CHECK(requestHeader(r, "Idempotency-Key") == "alt_1:firing");
  CHECK(requestHeader(r, "X-Team") == "sre");
  Json body = Json::parse(r.body);
  CHECK(body["version"] == 1);
  CHECK(body["status"] == "firing");
  CHECK(body["alert"]["id"] == "alt_1");
  CHECK(body["alert"]["rule"] == "pod_crash_loop");
  CHECK(body["alert"]["first_seen"] == "2026-01-01T00:00:00.000Z");
  CHECK(body["alert"]["resolved_at"].is_null());
  CHECK(f.webhook.counters().delivered == 1);
  CHECK(f.clock.sleeps().empty());
}

TEST_CASE("only firing and resolving are posted", "[alerts][webhook]") {
  WebhookFixture f;
  f.webhook.alertChanged(change(Kind::kUpdated, "alt_1"));
  f.webhook.alertChanged(change(Kind::kAcknowledged, "alt_1"));
  CHECK(f.webhook.queued() == 0);
  f.webhook.alertChanged(change(Kind::kResolved, "alt_1"));
  f.transport.respond(200, "");
  REQUIRE(f.webhook.deliverNext());
  auto requests = f.transport.requests();
  REQUIRE(requests.size() == 1);
  CHECK(Json::parse(requests[0].body)["status"] == "resolved");
  CHECK(requestHeader(requests[0], "Idempotency-Key") == "alt_1:resolved");
}

TEST_CASE("a failed post is retried with capped exponential backoff and jitter",
          "[alerts][webhook]") {
  WebhookFixture f;
  f.transport.fail(unavailable("connection refused"));
  f.transport.respond(503, "");
  f.transport.respond(500, "");
  f.transport.respond(408, "");
  f.transport.respond(204, "");
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  REQUIRE(f.webhook.deliverNext());
  CHECK(f.transport.requests().size() == 5);
  // Full jitter over min(cap, base * 2^n): the random source's 12345 modulo 101, 201, 401, 401.
  CHECK(f.clock.sleeps() == std::vector<milliseconds>{milliseconds(23), milliseconds(84),
                                                      milliseconds(315), milliseconds(315)});
  CHECK(f.webhook.counters().delivered == 1);
  CHECK(f.webhook.counters().failed == 0);
}

TEST_CASE("a post still failing after max_attempts is dropped and counted", "[alerts][webhook]") {
  auto s = settings();
  s.max_attempts = 3;
  WebhookFixture f(s);
  f.transport.setHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{502, {}, ""};
  });
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  f.webhook.alertChanged(change(Kind::kFired, "alt_2"));
  REQUIRE(f.webhook.deliverNext());
  CHECK(f.transport.requests().size() == 3);
  CHECK(f.clock.sleeps().size() == 2);
  CHECK(f.webhook.counters().failed == 1);
  CHECK(f.webhook.queued() == 1);  // the next change gets its own attempts
}

TEST_CASE("Retry-After stretches the wait, within retry_cap", "[alerts][webhook]") {
  auto s = settings();
  s.retry_cap = std::chrono::seconds(5);
  WebhookFixture f(s);
  f.transport.respond(429, "", {{"Retry-After", "3"}});
  f.transport.respond(503, "", {{"Retry-After", "3600"}});
  f.transport.respond(200, "");
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  REQUIRE(f.webhook.deliverNext());
  CHECK(f.clock.sleeps() == std::vector<milliseconds>{milliseconds(3000), milliseconds(5000)});
}

TEST_CASE("a post the receiver refuses is not retried", "[alerts][webhook]") {
  WebhookFixture f;
  f.transport.respond(401, R"({"error":"bad token"})");
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  REQUIRE(f.webhook.deliverNext());
  CHECK(f.transport.requests().size() == 1);
  CHECK(f.clock.sleeps().empty());
  CHECK(f.webhook.counters().failed == 1);
}

TEST_CASE("a dead webhook holds at most queue_size changes, dropping the oldest",
          "[alerts][webhook]") {
  auto s = settings();
  s.queue_size = 3;
  WebhookFixture f(s);
  for (int i = 1; i <= 5; ++i) {
    f.webhook.alertChanged(change(Kind::kFired, "alt_" + std::to_string(i)));
  }
  CHECK(f.webhook.queued() == 3);
  CHECK(f.webhook.counters().dropped == 2);
  f.transport.setHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{200, {}, ""};
  });
  while (f.webhook.deliverNext()) {
  }
  CHECK(f.postedIds() == std::vector<std::string>{"alt_3", "alt_4", "alt_5"});
}

TEST_CASE("the sender thread posts changes in order while callers go on", "[alerts][webhook]") {
  WebhookFixture f;
  std::mutex mutex;
  std::condition_variable posted;
  size_t count = 0;
  f.transport.setHandler([&](const HttpRequest&) -> Result<HttpResponse> {
    std::lock_guard lock(mutex);
    ++count;
    posted.notify_all();
    return HttpResponse{200, {}, ""};
  });
  f.webhook.start();
  for (int i = 1; i <= 3; ++i) {
    f.webhook.alertChanged(change(Kind::kFired, "alt_" + std::to_string(i)));
  }
  {
    std::unique_lock lock(mutex);
    REQUIRE(posted.wait_for(lock, std::chrono::seconds(10), [&] { return count == 3; }));
  }
  f.webhook.stop();
  CHECK(f.postedIds() == std::vector<std::string>{"alt_1", "alt_2", "alt_3"});
}

TEST_CASE("stop ends a backoff wait once the clock is interrupted", "[alerts][webhook]") {
  WebhookFixture f;
  f.clock.setAutoAdvance(false);
  f.transport.setHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status(ErrorCode::kUnavailable, "connection refused");
  });
  f.webhook.start();
  f.webhook.alertChanged(change(Kind::kFired, "alt_1"));
  REQUIRE(f.clock.waitForSleepers(1, std::chrono::seconds(10)));
  f.clock.interrupt();
  f.webhook.stop();
  CHECK(f.transport.requests().size() == 1);
  CHECK(f.webhook.counters().delivered == 0);
}

}  // namespace corral::testing
