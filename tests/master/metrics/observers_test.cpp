// The components report to the master's metrics through their observer interfaces: the queue on
// each dispatch, the snapshot service on each upload.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "common/gzip.h"
#include "master/metrics/dispatch_metrics.h"
#include "master/metrics/http_metrics.h"
#include "master/metrics/snapshot_ingest_metrics.h"
#include "master/queue/durable_command_queue.h"
#include "master/queue/wait_set.h"
#include "master/snapshots/snapshot_service.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::StoreFixture;

std::string rendered(const metrics::Registry& registry) {
  auto text = registry.render();
  REQUIRE_OK(text);
  return *text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("the queue reports how long each command waited for its lease", "[metrics]") {
  StoreFixture db;
  FakeClock clock;
  WaitSet waits;
  AgentSelector selector{[] { return uint64_t{0}; }};
  metrics::Registry registry;
  DispatchMetrics dispatch(registry);
  DurableCommandQueue queue(db.store(), clock, waits, selector, QueueOptions{}, &dispatch);
  Pool pool = db.addPool("runners");
  db.addAgent(pool.id, "agt_1");

  EnqueueRequest request;
  request.agent_id = "agt_1";
  request.action = "plan";
  REQUIRE_OK(queue.enqueue(request, Actor{"tok", ""}));
  REQUIRE_OK(queue.enqueue(request, Actor{"tok", ""}));
  CHECK(contains(rendered(registry), "corral_dispatch_latency_seconds_count 0\n"));

  clock.advance(milliseconds(1'500));
  auto lease = queue.lease("agt_1", 10);
  REQUIRE_OK(lease);
  REQUIRE(lease->commands.size() == 2);

  std::string text = rendered(registry);
  CHECK(contains(text, "corral_dispatch_latency_seconds_bucket{le=\"1\"} 0\n"));
  CHECK(contains(text, "corral_dispatch_latency_seconds_bucket{le=\"2.5\"} 2\n"));
  CHECK(contains(text, "corral_dispatch_latency_seconds_sum 3\n"));
  CHECK(contains(text, "corral_dispatch_latency_seconds_count 2\n"));

  SECTION("a poll that finds nothing new reports nothing") {
    REQUIRE_OK(queue.lease("agt_1", 10));
    CHECK(contains(rendered(registry), "corral_dispatch_latency_seconds_count 2\n"));
  }
}

TEST_CASE("the snapshot service reports each upload's duration and the bytes it stored",
          "[metrics]") {
  StoreFixture db;
  FakeClock clock;
  metrics::Registry registry;
  SnapshotIngestMetrics observer(registry);
  SnapshotService snapshots(db.store(), clock, SnapshotOptions{}, &observer);
  Pool pool = db.addPool("k8s");
  db.addAgent(pool.id, "agt_prod", [](Agent& a) { a.cluster_id = "prod"; });

  Json envelope = {{"cluster_id", "prod"},
                   {"version", 2},
                   {"kind", "k8s"},
                   {"fetched_at", "2026-03-14T09:30:00Z"},
                   {"summary", Json::object()},
                   {"resources", Json::object()},
                   {"errors", Json::object()}};
  std::string json = envelope.dump();
  auto gzip = gzipCompress(json);
  REQUIRE_OK(gzip);
  REQUIRE_OK(snapshots.ingest("agt_prod", *gzip, BodyEncoding::kGzip));

  std::string text = rendered(registry);
  CHECK(contains(text, "corral_snapshot_ingest_duration_seconds_count{result=\"stored\"} 1\n"));
  CHECK(contains(text, "corral_snapshot_ingest_uncompressed_bytes_total " +
                           std::to_string(json.size()) + "\n"));
  CHECK(contains(text, "corral_snapshot_ingest_compressed_bytes_total " +
                           std::to_string(gzip->size()) + "\n"));

  SECTION("a refused upload counts its time, not its bytes") {
    // The same version again is not newer than the stored one.
    CHECK(snapshots.ingest("agt_prod", *gzip, BodyEncoding::kGzip).status().code() ==
          ErrorCode::kConflict);
    std::string after = rendered(registry);
    CHECK(contains(after, "corral_snapshot_ingest_duration_seconds_count{result=\"refused\"} 1\n"));
    CHECK(contains(after, "corral_snapshot_ingest_duration_seconds_count{result=\"stored\"} 1\n"));
    CHECK(contains(after, "corral_snapshot_ingest_uncompressed_bytes_total " +
                              std::to_string(json.size()) + "\n"));
  }
}

TEST_CASE("HTTP requests are counted by method, route and code, and timed by method and route",
          "[metrics]") {
  metrics::Registry registry;
  HttpMetrics http(registry);
  http.requestServed({"GET", "/api/v1/agents/{id}", 200, std::chrono::milliseconds(20)});
  http.requestServed({"GET", "/api/v1/agents/{id}", 404, std::chrono::milliseconds(2)});
  http.requestServed({"other", "unmatched", 400, std::nullopt});

  std::string text = rendered(registry);
  CHECK(contains(text,
                 "corral_http_requests_total{method=\"GET\",route=\"/api/v1/agents/{id}\","
                 "code=\"200\"} 1\n"));
  CHECK(contains(text,
                 "corral_http_requests_total{method=\"GET\",route=\"/api/v1/agents/{id}\","
                 "code=\"404\"} 1\n"));
  CHECK(contains(text,
                 "corral_http_requests_total{method=\"other\",route=\"unmatched\",code=\"400\"} "
                 "1\n"));
  CHECK(contains(text,
                 "corral_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/"
                 "agents/{id}\"} 2\n"));
  // A request that was never timed is counted but not observed.
  CHECK_FALSE(contains(text, "corral_http_request_duration_seconds_count{method=\"other\""));
}

}  // namespace
}  // namespace corral::master
