#include "agent/model/cluster_snapshot.h"

#include <catch2/catch.hpp>

#include "common/gzip.h"
#include "proto-json/messages.h"

namespace corral::agent::model {
namespace {

ClusterSnapshot sampleSnapshot() {
  ClusterSnapshot s;
  s.cluster_id = "prod-eu-west-1";
  s.version = 42;
  s.fetched_at = fromUnixMillis(1'767'225'600'123);  // 2026-01-01T00:00:00.123Z
  Pod pod;
  pod.meta.name = "web-1";
  pod.phase = "Running";
  s.resources.pods.push_back(pod);
  s.collected = {ResourceKind::kPods, ResourceKind::kDeployments};
  s.errors["nodes"] = "Forbidden: nodes is forbidden (HTTP 403)";
  s.summary.pods_by_phase = {{"Running", 1}, {"Pending", 0}};
  s.summary.nodes_ready = 2;
  s.summary.nodes_not_ready = 1;
  s.summary.totals = {{"pods", 1}, {"deployments", 0}};
  return s;
}

TEST_CASE("only collected kinds appear under resources, failed ones under errors",
          "[agent][model]") {
  Json j = toJson(sampleSnapshot());
  REQUIRE(j["resources"].is_object());
  CHECK(j["resources"].size() == 2);
  CHECK(j["resources"]["pods"].size() == 1);
  CHECK(j["resources"]["pods"][0]["name"] == "web-1");
  CHECK(j["resources"]["deployments"] == Json::array());
  CHECK_FALSE(j["resources"].contains("nodes"));
  CHECK(j["errors"] == Json{{"nodes", "Forbidden: nodes is forbidden (HTTP 403)"}});
}

TEST_CASE("the summary JSON holds the dashboard counts", "[agent][model]") {
  Json summary = toJson(sampleSnapshot())["summary"];
  CHECK(summary["nodes"] == 3);
  CHECK(summary["nodes_ready"] == 2);
  CHECK(summary["nodes_not_ready"] == 1);
  CHECK(summary["pods"]["Running"] == 1);
  CHECK(summary["pods_with_problems"] == 0);
  CHECK(summary["pod_problems"] == Json::object());
  CHECK(summary["deployments_healthy"] == 0);
  CHECK(summary["deployments_unhealthy"] == 0);
  CHECK(summary["warning_events"] == 0);
  CHECK(summary["totals"] == Json{{"pods", 1}, {"deployments", 0}});
}

TEST_CASE("a snapshot without anything collected still has the three objects", "[agent][model]") {
  Json j = toJson(ClusterSnapshot{});
  CHECK(j["resources"] == Json::object());
  CHECK(j["errors"] == Json::object());
  CHECK(j["summary"].is_object());
}

TEST_CASE("the envelope is a valid k8s SnapshotEnvelope", "[agent][model]") {
  proto::SnapshotEnvelope envelope = toEnvelope(sampleSnapshot());
  CHECK(envelope.kind == "k8s");
  CHECK(envelope.cluster_id == "prod-eu-west-1");
  CHECK(envelope.version == 42);
  CHECK(envelope.fetched_at == "2026-01-01T00:00:00.123Z");
  CHECK(envelope.resources["pods"].size() == 1);
  CHECK(envelope.errors.contains("nodes"));

  Json wire = envelope;
  Result<proto::SnapshotEnvelope> decoded = proto::decode<proto::SnapshotEnvelope>(wire);
  REQUIRE(decoded.isOk());
  CHECK(decoded->version == 42);
  CHECK(decoded->resources == envelope.resources);
  CHECK(decoded->summary == envelope.summary);
}

TEST_CASE("the gzip envelope is the envelope's JSON, byte for byte once inflated",
          "[agent][model]") {
  ClusterSnapshot snapshot = sampleSnapshot();
  for (int i = 0; i < 3000; ++i) {  // several flushes of the compressor's input
    Pod pod;
    pod.meta.name = "pod-" + std::to_string(i);
    pod.meta.labels["app"] = "a \"quoted\" \u00e9 value";
    pod.phase = "Pending";
    snapshot.resources.pods.push_back(pod);
  }
  snapshot.resources.deployments.resize(2);
  Result<std::string> body = gzipEnvelope(snapshot);
  REQUIRE(body.isOk());
  Result<std::string> text = gzipDecompress(*body, size_t{64} << 20);
  REQUIRE(text.isOk());
  CHECK(*text == Json(toEnvelope(snapshot)).dump());
}

TEST_CASE("the gzip envelope of an empty snapshot decodes as an envelope", "[agent][model]") {
  ClusterSnapshot snapshot;
  snapshot.cluster_id = "empty";
  snapshot.version = 1;
  snapshot.fetched_at = fromUnixMillis(0);
  Result<std::string> body = gzipEnvelope(snapshot);
  REQUIRE(body.isOk());
  Result<std::string> text = gzipDecompress(*body, 1 << 20);
  REQUIRE(text.isOk());
  Result<proto::SnapshotEnvelope> decoded =
      proto::decode<proto::SnapshotEnvelope>(Json::parse(*text));
  INFO(decoded.status().message());
  REQUIRE(decoded.isOk());
  CHECK(decoded->kind == "k8s");
  CHECK(decoded->resources == Json::object());
}

TEST_CASE("countOf counts each kind's objects", "[agent][model]") {
  Resources r;
  r.pods.resize(3);
  r.events.resize(2);
  CHECK(countOf(r, ResourceKind::kPods) == 3);
  CHECK(countOf(r, ResourceKind::kEvents) == 2);
  CHECK(countOf(r, ResourceKind::kNodes) == 0);
}

}  // namespace
}  // namespace corral::agent::model
