#include "master/snapshots/snapshot_service.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "common/gzip.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using testing::FakeClock;
using testing::StoreFixture;

constexpr size_t kMaxBytes = size_t(64) * 1024;

Json envelope(const std::string& cluster_id, int64_t version) {
  return {{"cluster_id", cluster_id},
          {"version", version},
          {"kind", "k8s"},
          {"fetched_at", "2026-03-14T09:30:00Z"},
          {"summary", {{"nodes", 3}, {"pods", {{"Running", 41}, {"Pending", 1}}}}},
          {"resources", {{"deployments", Json::array({{{"name", "web"}, {"replicas", 2}}})}}},
          {"errors", {{"secrets", "forbidden"}}}};
}

std::string gzip(const std::string& text) {
  auto compressed = gzipCompress(text);
  REQUIRE_OK(compressed);
  return std::move(*compressed);
}

struct SnapshotFixture {
  StoreFixture db;
  FakeClock clock;
  std::optional<SnapshotService> snapshots;
  Pool pool = db.addPool("k8s");
  Agent agent = db.addAgent(pool.id, "agt_prod", [](Agent& a) { a.cluster_id = "prod"; });
  Agent host = db.addAgent(pool.id, "agt_host");

  SnapshotFixture() { open(); }

  void open() {
    SnapshotOptions options;
    options.max_bytes = kMaxBytes;
    snapshots.emplace(db.store(), clock, options);
  }

  Result<SnapshotReceipt> send(const std::string& agent_id, const Json& body,
                               BodyEncoding encoding = BodyEncoding::kGzip) {
    std::string text = body.dump();
    return snapshots->ingest(agent_id, encoding == BodyEncoding::kGzip ? gzip(text) : text,
                             encoding);
  }

  std::vector<ClusterStatus> clusters(const Page& page = Page{}) {
    auto listed = snapshots->listClusters(page);
    REQUIRE_OK(listed);
    return std::move(*listed);
  }
};

void checkRefused(const Result<SnapshotReceipt>& r, ErrorCode code, const std::string& named) {
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == code);
  INFO(r.status().message());
  CHECK(r.status().message().find(named) != std::string::npos);
}

TEST_CASE("a gzip snapshot is stored, listed with its summary and read back as sent",
          "[snapshots]") {
  SnapshotFixture f;
  Json body = envelope("prod", 7);
  auto receipt = f.send(f.agent.id, body);
  REQUIRE_OK(receipt);
  CHECK(receipt->cluster_id == "prod");
  CHECK(receipt->version == 7);
  CHECK(receipt->created);

  auto clusters = f.clusters();
  REQUIRE(clusters.size() == 1);
  const ClusterSnapshot& s = clusters[0].snapshot;
  CHECK(s.cluster_id == "prod");
  CHECK(s.agent_id == f.agent.id);
  CHECK(s.version == 7);
  CHECK(s.kind == "k8s");
  CHECK(s.summary == body["summary"]);
  CHECK(s.errors == body["errors"]);
  CHECK(s.fetched_at == 1'773'480'600'000);  // 2026-03-14T09:30:00Z
  CHECK(s.received_at == toUnixMillis(f.clock.wallNow()));
  CHECK(s.size_bytes == static_cast<int64_t>(body.dump().size()));
  CHECK(s.stored_bytes == static_cast<int64_t>(gzip(body.dump()).size()));
  CHECK(s.body.empty());  // lists leave bodies out
  CHECK(clusters[0].staleness_s == 0);

  auto json = f.snapshots->latestJson("prod");
  REQUIRE_OK(json);
  CHECK(*json == body.dump());
}

TEST_CASE("an unencoded snapshot is compressed for storage", "[snapshots]") {
  SnapshotFixture f;
  Json body = envelope("prod", 1);
  body["resources"]["pods"] = Json::array();
  for (int i = 0; i < 200; ++i) {
    body["resources"]["pods"].push_back({{"name", "web-" + std::to_string(i)}, {"ready", true}});
  }
  REQUIRE_OK(f.send(f.agent.id, body, BodyEncoding::kIdentity));
  auto clusters = f.clusters();
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].snapshot.size_bytes == static_cast<int64_t>(body.dump().size()));
  CHECK(clusters[0].snapshot.stored_bytes < clusters[0].snapshot.size_bytes / 4);
  auto json = f.snapshots->latestJson("prod");
  REQUIRE_OK(json);
  CHECK(*json == body.dump());
}

TEST_CASE("only a higher version replaces the stored snapshot", "[snapshots]") {
  SnapshotFixture f;
  REQUIRE_OK(f.send(f.agent.id, envelope("prod", 5)));

  checkRefused(f.send(f.agent.id, envelope("prod", 5)), ErrorCode::kConflict,
               "version 5 of cluster 'prod' is not newer than the stored version 5");
  checkRefused(f.send(f.agent.id, envelope("prod", 4)), ErrorCode::kConflict,
               "version 4 of cluster 'prod' is not newer than the stored version 5");

  Json newer = envelope("prod", 6);
  newer["summary"] = {{"nodes", 4}};
  auto receipt = f.send(f.agent.id, newer);
  REQUIRE_OK(receipt);
  CHECK_FALSE(receipt->created);
  auto clusters = f.clusters();
  REQUIRE(clusters.size() == 1);
  CHECK(clusters[0].snapshot.version == 6);
  CHECK(clusters[0].snapshot.summary == Json({{"nodes", 4}}));
}

TEST_CASE("staleness counts from when the master received the snapshot", "[snapshots]") {
  SnapshotFixture f;
  REQUIRE_OK(f.send(f.agent.id, envelope("prod", 1)));
  f.clock.advance(std::chrono::milliseconds(90'999));
  CHECK(f.clusters()[0].staleness_s == 90);
  REQUIRE_OK(f.send(f.agent.id, envelope("prod", 2)));
  CHECK(f.clusters()[0].staleness_s == 0);
}

TEST_CASE("inflating stops at snapshots.max_bytes", "[snapshots]") {
  SnapshotFixture f;
  // 16 MiB of zeros compress to about 16 KiB: far past the bound once inflated.
  std::string bomb = gzip(std::string(size_t(16) << 20, '\0'));
  REQUIRE(bomb.size() < kMaxBytes);
  checkRefused(f.snapshots->ingest(f.agent.id, bomb, BodyEncoding::kGzip),
               ErrorCode::kPayloadTooLarge, "snapshots.max_bytes");

  Json big = envelope("prod", 1);
  big["resources"]["padding"] = std::string(kMaxBytes, 'x');
  checkRefused(f.send(f.agent.id, big), ErrorCode::kPayloadTooLarge, "snapshots.max_bytes");
  checkRefused(f.send(f.agent.id, big, BodyEncoding::kIdentity), ErrorCode::kPayloadTooLarge,
               "snapshots.max_bytes");
  CHECK(f.clusters().empty());
}

TEST_CASE("malformed snapshots are refused by what is wrong with them", "[snapshots]") {
  SnapshotFixture f;
  std::string gz = gzip(envelope("prod", 1).dump());

  checkRefused(f.snapshots->ingest(f.agent.id, "plainly not gzip", BodyEncoding::kGzip),
               ErrorCode::kBadRequest, "gzip");
  checkRefused(f.snapshots->ingest(f.agent.id, gz.substr(0, gz.size() / 2), BodyEncoding::kGzip),
               ErrorCode::kBadRequest, "gzip");
  checkRefused(f.snapshots->ingest(f.agent.id, gzip("{\"cluster_id\": "), BodyEncoding::kGzip),
               ErrorCode::kBadRequest, "");
  checkRefused(f.snapshots->ingest(f.agent.id, "[1, 2]", BodyEncoding::kIdentity),
               ErrorCode::kInvalidArgument, "(body)");

  Json missing = envelope("prod", 1);
  missing.erase("fetched_at");
  checkRefused(f.send(f.agent.id, missing), ErrorCode::kInvalidArgument, "'fetched_at'");
  Json zero = envelope("prod", 0);
  checkRefused(f.send(f.agent.id, zero), ErrorCode::kInvalidArgument, "'version'");
  Json kind = envelope("prod", 1);
  kind["kind"] = "vm";
  checkRefused(f.send(f.agent.id, kind), ErrorCode::kInvalidArgument, "'kind'");
  Json when = envelope("prod", 1);
  when["fetched_at"] = "yesterday";
  checkRefused(f.send(f.agent.id, when), ErrorCode::kInvalidArgument, "'fetched_at'");
  CHECK(f.clusters().empty());
}

TEST_CASE("an agent speaks only for the cluster it serves", "[snapshots]") {
  SnapshotFixture f;
  checkRefused(f.send(f.agent.id, envelope("staging", 1)), ErrorCode::kPermissionDenied,
               "registered for cluster 'prod'");
  // An agent registered without a cluster may not speak for one that agents serve...
  checkRefused(f.send(f.host.id, envelope("prod", 1)), ErrorCode::kPermissionDenied,
               "cluster 'prod' is served by agents registered for it");
  // ...but may for any other, such as its own host.
  Json host = envelope("db-backup-01", 1);
  host["kind"] = "host";
  REQUIRE_OK(f.send(f.host.id, host));
  CHECK(f.clusters().size() == 1);

  checkRefused(f.send("agt_gone", envelope("elsewhere", 1)), ErrorCode::kUnauthenticated,
               "no longer exists");
}

TEST_CASE("a snapshot is a sign of life of its agent", "[snapshots]") {
  SnapshotFixture f;
  f.db.updateAgent(f.agent.id, [](Agent& a) {
    a.status = "offline";
    a.last_heartbeat = 1;
  });
  f.clock.advance(std::chrono::seconds(5));
  REQUIRE_OK(f.send(f.agent.id, envelope("prod", 1)));
  Agent after = f.db.agent(f.agent.id);
  CHECK(after.status == "online");
  CHECK(after.last_heartbeat == toUnixMillis(f.clock.wallNow()));
}

TEST_CASE("refused snapshots change nothing, not even the agent's last sign of life",
          "[snapshots]") {
  SnapshotFixture f;
  REQUIRE_OK(f.send(f.agent.id, envelope("prod", 3)));
  int64_t seen = f.db.agent(f.agent.id).last_heartbeat;
  f.clock.advance(std::chrono::seconds(5));
  REQUIRE_FALSE(f.send(f.agent.id, envelope("prod", 2)).isOk());
  CHECK(f.db.agent(f.agent.id).last_heartbeat == seen);
  CHECK(f.clusters()[0].snapshot.version == 3);
}

TEST_CASE("the latest snapshot survives a restart of the store", "[snapshots]") {
  SnapshotFixture f;
  Json body = envelope("prod", 9);
  REQUIRE_OK(f.send(f.agent.id, body));
  f.snapshots.reset();
  f.db.reopen();
  f.open();
  auto json = f.snapshots->latestJson("prod");
  REQUIRE_OK(json);
  CHECK(*json == body.dump());
  checkRefused(f.send(f.agent.id, envelope("prod", 9)), ErrorCode::kConflict, "version 9");
}

TEST_CASE("clusters are listed by id, a page at a time", "[snapshots]") {
  SnapshotFixture f;
  for (const char* id : {"gamma", "alpha", "beta"}) {
    Json host = envelope(id, 1);
    host["kind"] = "host";
    REQUIRE_OK(f.send(f.host.id, host));
  }
  auto first = f.clusters(Page{"", 2});
  REQUIRE(first.size() == 2);
  CHECK(first[0].snapshot.cluster_id == "alpha");
  CHECK(first[1].snapshot.cluster_id == "beta");
  auto rest = f.clusters(Page{"beta", 2});
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].snapshot.cluster_id == "gamma");
}

TEST_CASE("a cluster without a snapshot is not found", "[snapshots]") {
  SnapshotFixture f;
  auto json = f.snapshots->latestJson("nowhere");
  REQUIRE_FALSE(json.isOk());
  CHECK(json.status().code() == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace corral::master
