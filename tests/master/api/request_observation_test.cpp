#include "master/api/request_observation.h"

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using testing::FakeClock;

// A request routed the way cpp-httplib routes it: its path matched against a route's pattern.
httplib::Request routed(const std::string& path, const std::string& pattern) {
  httplib::Request req;
  req.method = "GET";
  req.path = path;
  std::regex_match(req.path, req.matches, std::regex(pattern));
  return req;
}

struct RecordingObserver final : HttpObserver {
  void eventStreamsChanged(int /*delta*/) override {}
  void requestServed(const HttpExchange& e) override {
    methods.emplace_back(e.method);
    routes.emplace_back(e.route);
    statuses.push_back(e.status);
    durations.push_back(e.duration);
  }
  std::vector<std::string> methods;
  std::vector<std::string> routes;
  std::vector<int> statuses;
  std::vector<std::optional<std::chrono::nanoseconds>> durations;
};

TEST_CASE("the route label is the pattern that matched, ids replaced", "[api][metrics]") {
  CHECK(routeLabel(routed("/api/v1/agents", "/api/v1/agents")) == "/api/v1/agents");
  CHECK(routeLabel(routed("/api/v1/agents/agt_123", R"(/api/v1/agents/([^/]+))")) ==
        "/api/v1/agents/{id}");
  CHECK(routeLabel(routed("/api/v1/agent-pools/pool_1/agents/agt_9",
                          R"(/api/v1/agent-pools/([^/]+)/agents/([^/]+))")) ==
        "/api/v1/agent-pools/{id}/agents/{id}");
  CHECK(routeLabel(routed("/api/v1/commands/cmd_7/logs", R"(/api/v1/commands/([^/]+)/logs)")) ==
        "/api/v1/commands/{id}/logs");
}

TEST_CASE("a request no route matched is 'unmatched', whatever its path", "[api][metrics]") {
  CHECK(routeLabel(routed("/nowhere/agt_123", R"(/api/v1/agents/([^/]+))")) == "unmatched");
  httplib::Request unparsed;  // a request line that could not be read
  CHECK(routeLabel(unparsed) == "unmatched");
}

TEST_CASE("optional and nested groups do not garble the route label", "[api][metrics]") {
  CHECK(routeLabel(routed("/files", R"(/files(/([^/]+))?)")) == "/files");
  CHECK(routeLabel(routed("/files/a", R"(/files(/([^/]+))?)")) == "/files{id}");
}

TEST_CASE("methods outside the standard ones are one label", "[api][metrics]") {
  CHECK(methodLabel("GET") == "GET");
  CHECK(methodLabel("DELETE") == "DELETE");
  CHECK(methodLabel("BREW") == "other");
  CHECK(methodLabel("get") == "other");
}

TEST_CASE("a request's duration runs from its arrival stamp to its report", "[api][metrics]") {
  FakeClock clock;
  RecordingObserver observer;
  httplib::Response res;
  res.status = 201;

  httplib::Request req = routed("/api/v1/commands", "/api/v1/commands");
  req.method = "POST";
  // A client's own copy of the stamp is replaced.
  req.headers.emplace("Corral-Arrived-At", "1");
  stampArrival(req, clock);
  clock.advance(std::chrono::milliseconds(250));
  reportExchange(observer, req, res, clock);

  REQUIRE(observer.routes.size() == 1);
  CHECK(observer.methods[0] == "POST");
  CHECK(observer.routes[0] == "/api/v1/commands");
  CHECK(observer.statuses[0] == 201);
  REQUIRE(observer.durations[0].has_value());
  CHECK(*observer.durations[0] == std::chrono::milliseconds(250));
  CHECK(req.headers.count("Corral-Arrived-At") == 1);

  SECTION("a request never stamped has no duration") {
    httplib::Request unstamped = routed("/healthz", "/healthz");
    reportExchange(observer, unstamped, res, clock);
    CHECK_FALSE(observer.durations[1].has_value());
  }
  SECTION("an event stream is counted but not timed: its lifetime is no response time") {
    httplib::Request stream = routed("/api/v1/stream", "/api/v1/stream");
    stampArrival(stream, clock);
    httplib::Response streamed;
    streamed.status = 200;
    streamed.set_chunked_content_provider("text/event-stream",
                                          [](size_t, httplib::DataSink&) { return false; });
    clock.advance(std::chrono::hours(3));
    reportExchange(observer, stream, streamed, clock);
    REQUIRE(observer.routes.size() == 2);
    CHECK(observer.statuses[1] == 200);
    CHECK_FALSE(observer.durations[1].has_value());
  }
}

}  // namespace
}  // namespace corral::master
