// What an ingest leaves besides the stored row: the cluster's index in the inventory, and an entry
// in its history of summaries (kept for the retention, then pruned). A restarted master indexes
// the stored snapshots again before it serves.

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "common/gzip.h"
#include "master/inventory/cluster_inventory.h"
#include "master/snapshots/snapshot_service.h"
#include "tests/master/inventory/sample_snapshots.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using testing::FakeClock;
using testing::StoreFixture;

constexpr auto kRetention = std::chrono::hours(2);

struct InventoryFixture {
  StoreFixture db;
  FakeClock clock;
  ClusterInventory inventory;
  std::optional<SnapshotService> snapshots;
  Pool pool = db.addPool("k8s");
  Agent agent = db.addAgent(pool.id, "agt_sample", [](Agent& a) { a.cluster_id = "sample"; });

  InventoryFixture() { open(); }

  void open() {
    SnapshotOptions options;
    options.history_retention = kRetention;
    snapshots.emplace(db.store(), clock, options, nullptr, nullptr, nullptr, &inventory);
  }

  Result<SnapshotReceipt> send(const std::string& json,
                               BodyEncoding encoding = BodyEncoding::kGzip) {
    if (encoding == BodyEncoding::kIdentity) {
      return snapshots->ingest(agent.id, json, encoding);
    }
    auto compressed = gzipCompress(json);
    REQUIRE_OK(compressed);
    return snapshots->ingest(agent.id, *compressed, encoding);
  }

  std::vector<SnapshotHistoryEntry> history(HistoryRange range = {}) {
    if (range.until == 0) {
      range.until = toUnixMillis(clock.wallNow());
    }
    auto entries = snapshots->history("sample", range);
    REQUIRE_OK(entries);
    return std::move(*entries);
  }
};

TEST_CASE("a stored snapshot is indexed and published with its record", "[snapshots][inventory]") {
  InventoryFixture f;
  std::string json = testing::sampleSnapshotJson(30, "sample", 7);
  REQUIRE_OK(f.send(json));
  auto index = f.inventory.current("sample");
  REQUIRE(index != nullptr);
  CHECK(index->info().version == 7);
  CHECK(index->info().agent_id == f.agent.id);
  CHECK(index->info().received_at == toUnixMillis(f.clock.wallNow()));
  CHECK(index->info().size_bytes == static_cast<int64_t>(json.size()));
  CHECK(index->info().summary == Json::parse(json)["summary"]);
  CHECK(index->count(Kind::kPods) == 30);
}

TEST_CASE("a refused snapshot leaves the published index as it was", "[snapshots][inventory]") {
  InventoryFixture f;
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(0, "sample", 5)));
  CHECK_FALSE(f.send(testing::sampleSnapshotJson(30, "sample", 5)).isOk());  // not newer
  Json bad = Json::parse(testing::sampleSnapshotJson(30, "sample", 6));
  bad["fetched_at"] = "yesterday";
  CHECK_FALSE(f.send(bad.dump()).isOk());
  CHECK_FALSE(f.send(testing::sampleSnapshotJson(30, "other", 9)).isOk());  // not its cluster
  auto index = f.inventory.current("sample");
  REQUIRE(index != nullptr);
  CHECK(index->info().version == 5);
  CHECK(index->count(Kind::kPods) == 9);
  CHECK(f.inventory.current("other") == nullptr);
}

TEST_CASE("an unencoded pretty-printed snapshot is stored as sent and indexed compact",
          "[snapshots][inventory]") {
  InventoryFixture f;
  std::string pretty = Json::parse(testing::sampleSnapshotJson(0, "sample", 3)).dump(2);
  REQUIRE_OK(f.send(pretty, BodyEncoding::kIdentity));
  auto stored = f.snapshots->latestJson("sample");
  REQUIRE_OK(stored);
  CHECK(*stored == pretty);
  auto index = f.inventory.current("sample");
  REQUIRE(index != nullptr);
  CHECK(index->text().size() < pretty.size());
  CHECK(index->objects(Kind::kPods)[0].json.find('\n') == std::string_view::npos);
}

TEST_CASE("each stored snapshot adds its summary and counts to the history",
          "[snapshots][history]") {
  InventoryFixture f;
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(0, "sample", 1)));
  f.clock.advance(std::chrono::seconds(30));
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(30, "sample", 2)));
  auto entries = f.history();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].version == 1);
  CHECK(entries[0].counts["pods"] == 9);
  CHECK(entries[1].version == 2);
  CHECK(entries[1].counts["pods"] == 30);
  CHECK(entries[1].summary["totals"]["pods"] == 30);
  CHECK(entries[1].received_at - entries[0].received_at == 30'000);

  HistoryRange after_first;
  after_first.after_version = 1;
  CHECK(f.history(after_first).size() == 1);
  HistoryRange one;
  one.limit = 1;
  CHECK(f.history(one).size() == 1);
  HistoryRange before;
  before.until = entries[0].received_at;
  CHECK(f.history(before).size() == 1);
}

TEST_CASE("history older than the retention is pruned when the next snapshot arrives",
          "[snapshots][history]") {
  InventoryFixture f;
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(0, "sample", 1)));
  f.clock.advance(kRetention - std::chrono::milliseconds(1));
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(0, "sample", 2)));
  CHECK(f.history().size() == 2);  // the first is just within the retention
  f.clock.advance(std::chrono::milliseconds(2));
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(0, "sample", 3)));
  auto entries = f.history();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].version == 2);
  CHECK(entries[1].version == 3);
}

TEST_CASE("a restarted master indexes every stored snapshot before it serves",
          "[snapshots][inventory]") {
  InventoryFixture f;
  Agent other = f.db.addAgent(f.pool.id, "agt_other", [](Agent& a) { a.cluster_id = "other"; });
  REQUIRE_OK(f.send(testing::sampleSnapshotJson(30, "sample", 4)));
  auto compressed = gzipCompress(testing::sampleSnapshotJson(0, "other", 2));
  REQUIRE_OK(f.snapshots->ingest(other.id, *compressed, BodyEncoding::kGzip));

  f.snapshots.reset();
  f.db.reopen();
  ClusterInventory fresh;
  SnapshotService restarted(f.db.store(), f.clock, SnapshotOptions{}, nullptr, nullptr, nullptr,
                            &fresh);
  auto loaded = restarted.loadInventory();
  REQUIRE_OK(loaded);
  CHECK(*loaded == 2);
  auto sample = fresh.current("sample");
  REQUIRE(sample != nullptr);
  CHECK(sample->info().version == 4);
  CHECK(sample->info().agent_id == f.agent.id);
  CHECK(sample->count(Kind::kPods) == 30);
  REQUIRE(fresh.current("other") != nullptr);
  CHECK(fresh.current("other")->count(Kind::kPods) == 9);
}

}  // namespace
}  // namespace corral::master
