// GET /metrics on the real master: the fleet, the queue, snapshot uploads and the API itself as
// Prometheus sees them, checked value by value and by promtool, Prometheus' own checker.

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "tests/integration/fleet_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

using corral::Json;
using corral::testing::ApiResponse;
using corral::testing::ChildProcess;
using corral::testing::FleetFixture;
using corral::testing::readFile;
using corral::testing::TempDir;
using corral::testing::withConfig;

namespace {

using Samples = std::map<std::string, double>;

// Every sample line of a scrape: the series as written (name and labels) -> its value.
Samples parseSamples(const std::string& text) {
  Samples samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto space = line.rfind(' ');
    REQUIRE(space != std::string::npos);
    std::string value = line.substr(space + 1);
    samples[line.substr(0, space)] = value == "+Inf" ? HUGE_VAL : std::stod(value);
  }
  return samples;
}

// promtool from the PATH. The Debian package prometheus provides it, and scripts/setup.sh
// installs it, so a missing one is a failure of the setup rather than a reason to skip.
std::string promtool() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = dir + "/promtool";
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

struct MetricsFixture : FleetFixture {
  using FleetFixture::FleetFixture;

  ApiResponse scrape(const std::string& token = "") { return api.get("/metrics", token); }

  Samples samples() {
    auto r = scrape();
    INFO(r.body);
    REQUIRE(r.status == 200);
    return parseSamples(r.body);
  }

  // Scrapes until `ready` holds: a request is counted only after its answer is written, so the
  // scrape that follows it may come first. The deadline bounds the whole wait.
  Samples samplesWhen(const std::function<bool(const Samples&)>& ready,
                      std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    Samples s = samples();
    while (!ready(s) && std::chrono::steady_clock::now() < until) {
      s = samples();
    }
    return s;
  }
};

double valueOf(const Samples& s, const std::string& series) {
  auto it = s.find(series);
  INFO("series " << series);
  REQUIRE(it != s.end());
  return it->second;
}

}  // namespace

TEST_CASE("GET /metrics shows the fleet, the queue, snapshots and the API", "[integration]") {
  MetricsFixture f;
  std::string runners;
  auto agent = f.poolWithAgent("runners", &runners);
  std::string empty = f.createPool("empty");
  std::string clusters = f.createPool("clusters", {{"pool_type", "k8s"}});

  // A command handed straight to a parked poll, one leased by a poll, one waiting in a pool
  // without agents; the first one succeeds.
  auto parked = f.pollAsync(agent, 10);
  REQUIRE(f.waitUntilPolling(agent.id));
  std::string handed = f.enqueueFor(agent, "plan");
  REQUIRE(parked.get().status == 200);
  REQUIRE(f.report(agent, handed, 1, true).status == 200);
  f.enqueueFor(agent, "scale");
  REQUIRE(f.pollCommands(agent, 0).size() == 1);
  f.enqueueId({{"target", {{"pool_id", empty}}}, {"action", "restart"}});

  // A snapshot from a cluster agent.
  Json k8s = f.registerBody("prod-agent");
  k8s["type"] = "k8s";
  k8s["cluster_id"] = "prod";
  auto reg = f.api.post("/api/v1/agent/register", f.enrollmentToken(clusters), k8s);
  REQUIRE(reg.status == 201);
  Json snapshot = {{"cluster_id", "prod"},
                   {"version", 1},
                   {"kind", "k8s"},
                   {"fetched_at", "2026-03-14T09:30:00Z"},
                   {"summary", Json::object()},
                   {"resources", Json::object()},
                   {"errors", Json::object()}};
  REQUIRE(
      f.api.post("/api/v1/agent/snapshot", reg.json()["agent_token"].get<std::string>(), snapshot)
          .status == 201);
  REQUIRE(f.api.get("/api/v1/no-such-route/" + agent.id, f.admin()).status == 404);

  // The API's own counters as they read once every request above has been counted. A request is
  // counted after its answer is written, so the scrape is repeated until they do.
  const std::map<std::string, double> http_counts = {
      {R"(corral_http_requests_total{method="POST",route="/api/v1/agent-pools",code="201"})", 3},
      {R"(corral_http_requests_total{method="POST",route="/api/v1/agent-pools/{id}/tokens",code="201"})",
       2},
      {R"(corral_http_requests_total{method="POST",route="/api/v1/agent/commands/{id}/result",code="200"})",
       1},
      {R"(corral_http_requests_total{method="GET",route="unmatched",code="404"})", 1},
      {R"(corral_http_request_duration_seconds_count{method="POST",route="/api/v1/agent-pools"})",
       3},
  };
  Samples s = f.samplesWhen([&](const Samples& now) {
    for (const auto& [series, value] : http_counts) {
      auto it = now.find(series);
      if (it == now.end() || it->second != value) {
        return false;
      }
    }
    return true;
  });

  SECTION("agents by pool and status, and each agent's heartbeat and slots") {
    CHECK(valueOf(s, R"(corral_agents{pool="runners",status="online"})") == 1);
    CHECK(valueOf(s, R"(corral_agents{pool="runners",status="offline"})") == 0);
    CHECK(valueOf(s, R"(corral_agents{pool="empty",status="online"})") == 0);
    CHECK(valueOf(s, R"(corral_agents{pool="clusters",status="online"})") == 1);
    std::string labels = R"({pool="runners",agent="runners-agent",agent_id=")" + agent.id + "\"}";
    double age = valueOf(s, "corral_agent_heartbeat_age_seconds" + labels);
    CHECK(age >= 0);
    CHECK(age < 60);
    CHECK(valueOf(s, "corral_agent_up" + labels) == 1);
    CHECK(valueOf(s, "corral_agent_slots" + labels) == 3);
    CHECK(valueOf(s, "corral_agent_slots_used" + labels) == 1);  // the leased "scale"
    CHECK(valueOf(s, R"(corral_pool_available_agents{pool="runners"})") == 1);
    CHECK(valueOf(s, R"(corral_pool_available_agents{pool="empty"})") == 0);
  }

  SECTION("commands by state and action, and the queue's depth") {
    CHECK(valueOf(s, R"(corral_commands{state="succeeded",action="plan"})") == 1);
    CHECK(valueOf(s, R"(corral_commands{state="leased",action="scale"})") == 1);
    CHECK(valueOf(s, R"(corral_commands{state="queued",action="restart"})") == 1);
    CHECK(valueOf(s, R"(corral_commands{state="queued",action="plan"})") == 0);
    CHECK(valueOf(s, R"(corral_queue_depth{target="pool",pool="empty",agent="",cluster=""})") == 1);
    CHECK(valueOf(s, R"(corral_queue_depth{target="pool",pool="runners",agent="",cluster=""})") ==
          0);
  }

  SECTION("dispatch latency: the hand-over to the parked poll and the lease by a poll") {
    CHECK(valueOf(s, "corral_dispatch_latency_seconds_count") == 2);
    CHECK(valueOf(s, R"(corral_dispatch_latency_seconds_bucket{le="+Inf"})") == 2);
    CHECK(valueOf(s, "corral_dispatch_latency_seconds_sum") >= 0);
  }

  SECTION("snapshot ingest: duration and bytes") {
    CHECK(valueOf(s, R"(corral_snapshot_ingest_duration_seconds_count{result="stored"})") == 1);
    CHECK(valueOf(s, "corral_snapshot_ingest_uncompressed_bytes_total") ==
          static_cast<double>(snapshot.dump().size()));
    CHECK(valueOf(s, "corral_snapshot_ingest_compressed_bytes_total") > 0);
    double age = valueOf(s, R"(corral_snapshot_age_seconds{cluster="prod"})");
    CHECK(age >= 0);
    CHECK(age < 60);
  }

  SECTION("HTTP requests by route pattern and code, never by raw path") {
    for (const auto& [series, value] : http_counts) {
      CHECK(valueOf(s, series) == value);
    }
    for (const auto& [series, value] : s) {
      INFO(series);
      for (const std::string& id : {agent.id, runners, empty, clusters, handed}) {
        bool named = series.find(id) != std::string::npos;
        CHECK((!named || series.find("agent_id=") != std::string::npos));
      }
    }
  }

  SECTION("build information, and the alerts component's count of firing alerts") {
    CHECK(valueOf(s, R"(corral_build_info{version="0.1.0"})") == 1);
    auto r = f.scrape();
    CHECK(r.body.find("# TYPE corral_alerts_firing gauge\n") != std::string::npos);
    for (const auto& [series, value] : s) {
      if (series.rfind("corral_alerts_firing{", 0) == 0) {
        INFO(series);
        CHECK(series.find("rule=") != std::string::npos);
        CHECK(value >= 0);
      }
    }
  }
}

TEST_CASE("a long-poll parked on the master shows in corral_parked_polls", "[integration]") {
  MetricsFixture f;
  auto agent = f.poolWithAgent("runners");
  CHECK(valueOf(f.samples(), "corral_parked_polls") == 0);
  auto parked = f.pollAsync(agent, 30);
  REQUIRE(f.waitUntilParked(1));
  CHECK(valueOf(f.samples(), "corral_parked_polls") == 1);
  f.enqueueFor(agent, "plan");  // lets the poll go
  CHECK(parked.get().status == 200);
}

TEST_CASE("the scrape is in the text format 0.0.4 and passes promtool check metrics",
          "[integration]") {
  MetricsFixture f;
  // Names are free text: label values with quotes, backslashes and line feeds must be escaped.
  std::string pool;
  auto agent = f.poolWithAgent(R"(runners "eu")", &pool);
  f.registerAgent(f.enrollmentToken(pool), "back\\slash\nnew line");
  f.enqueueFor(agent, "plan");
  REQUIRE(f.pollCommands(agent, 0).size() == 1);
  // Series of every kind in the scrape: the poll's request is counted once its answer is out.
  const std::string poll =
      R"(corral_http_requests_total{method="GET",route="/api/v1/agent/commands",code="200"})";
  f.samplesWhen([&](const Samples& s) { return s.count(poll) > 0; });
  auto r = f.scrape();
  REQUIRE(r.status == 200);
  CHECK(r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(r.body.find(R"(agent="runners \"eu\"-agent")") != std::string::npos);
  CHECK(r.body.find(R"(agent="back\\slash\nnew line")") != std::string::npos);

  std::string tool = promtool();
  INFO("promtool is missing: install the Debian package prometheus (scripts/setup.sh does)");
  REQUIRE_FALSE(tool.empty());
  TempDir dir;
  std::string scrape_file = dir.file("scrape.txt");
  std::ofstream(scrape_file) << r.body;
  // promtool reads the scrape on its standard input.
  ChildProcess check({"/bin/sh", "-c", R"(exec "$0" check metrics < "$1")", tool, scrape_file},
                     dir.file("promtool.err"));
  std::string out;
  while (auto line = check.readLine(std::chrono::seconds(30))) {
    out += *line + "\n";
  }
  auto code = check.wait(std::chrono::seconds(30));
  INFO("promtool said: " << out << readFile(dir.file("promtool.err")));
  INFO(r.body);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("metrics.require_token asks Prometheus for an operator token", "[integration]") {
  MetricsFixture f(withConfig("metrics: {require_token: true}\n"));
  auto anonymous = f.scrape();
  CHECK(anonymous.status == 401);
  CHECK(anonymous.errorCode() == "unauthenticated");
  auto viewer = f.operatorToken("viewer");
  auto allowed = f.scrape(viewer.token);
  CHECK(allowed.status == 200);
  CHECK(allowed.body.find("# TYPE corral_agents gauge") != std::string::npos);
}

TEST_CASE("/metrics is open by default", "[integration]") {
  MetricsFixture f;
  CHECK(f.scrape().status == 200);
  // An agent's credential is not an operator's, but an open endpoint does not look at it.
  CHECK(f.scrape("crl_agt_not-a-token").status == 200);
}
