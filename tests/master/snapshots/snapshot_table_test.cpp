// The SQLite snapshot table: one row per cluster, bodies kept byte for byte.

#include <catch2/catch.hpp>
#include <string>

#include "master/store/store.h"
#include "tests/master/support/store_fixture.h"

namespace corral::master {
namespace {

using testing::readValue;
using testing::StoreFixture;

ClusterSnapshot snapshot(const std::string& cluster_id, int64_t version, std::string body) {
  ClusterSnapshot s;
  s.cluster_id = cluster_id;
  s.agent_id = "agt_1";
  s.version = version;
  s.kind = "k8s";
  s.fetched_at = 1000;
  s.received_at = 2000;
  s.summary = {{"nodes", 3}};
  s.errors = {{"secrets", "forbidden"}};
  s.size_bytes = 4096;
  s.stored_bytes = static_cast<int64_t>(body.size());
  s.body = std::move(body);
  return s;
}

TEST_CASE("a cluster's snapshot replaces the one before, binary body intact", "[snapshots]") {
  StoreFixture f;
  // gzip bodies hold NUL bytes, which SQL text would cut short.
  std::string body("\x1f\x8b\x08\x00\x00\x01\x02", 7);
  REQUIRE_OK(
      f.store().write([&](StoreTx& tx) { return tx.snapshots().put(snapshot("c", 1, "x")); }));
  REQUIRE_OK(
      f.store().write([&](StoreTx& tx) { return tx.snapshots().put(snapshot("c", 2, body)); }));

  auto found = readValue<std::optional<ClusterSnapshot>>(
      f.store(), [](StoreTx& tx) { return tx.snapshots().find("c"); });
  REQUIRE_OK(found);
  REQUIRE(found->has_value());
  const ClusterSnapshot& s = **found;
  CHECK(s.version == 2);
  CHECK(s.agent_id == "agt_1");
  CHECK(s.kind == "k8s");
  CHECK(s.fetched_at == 1000);
  CHECK(s.received_at == 2000);
  CHECK(s.summary == Json({{"nodes", 3}}));
  CHECK(s.errors == Json({{"secrets", "forbidden"}}));
  CHECK(s.size_bytes == 4096);
  CHECK(s.stored_bytes == 7);
  CHECK(s.body.empty());

  auto full = readValue<ClusterSnapshot>(
      f.store(), [](StoreTx& tx) { return tx.snapshots().getWithBody("c"); });
  REQUIRE_OK(full);
  CHECK(full->body == body);

  auto listed = readValue<std::vector<ClusterSnapshot>>(
      f.store(), [](StoreTx& tx) { return tx.snapshots().list(Page{}); });
  REQUIRE_OK(listed);
  CHECK(listed->size() == 1);
}

TEST_CASE("a cluster without a snapshot is absent", "[snapshots]") {
  StoreFixture f;
  auto found = readValue<std::optional<ClusterSnapshot>>(
      f.store(), [](StoreTx& tx) { return tx.snapshots().find("none"); });
  REQUIRE_OK(found);
  CHECK_FALSE(found->has_value());
  auto full = readValue<ClusterSnapshot>(
      f.store(), [](StoreTx& tx) { return tx.snapshots().getWithBody("none"); });
  REQUIRE_FALSE(full.isOk());
  CHECK(full.status().code() == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace corral::master
