// The inventory publishes each cluster's newest index: never an older one, with listeners told of
// every change, while readers keep what they took.

#include "master/inventory/cluster_inventory.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/master/inventory/index_fixture.h"

namespace corral::master {
namespace {

std::shared_ptr<ClusterIndex> emptyIndex(const std::string& cluster_id, int64_t version) {
  auto index = std::make_shared<ClusterIndex>();
  SnapshotInfo info;
  info.cluster_id = cluster_id;
  info.version = version;
  index->setInfo(info);
  return index;
}

TEST_CASE("a cluster's index is replaced only by a newer one", "[inventory]") {
  ClusterInventory inventory;
  CHECK(inventory.current("prod") == nullptr);
  CHECK(inventory.publish(emptyIndex("prod", 5)));
  CHECK_FALSE(inventory.publish(emptyIndex("prod", 5)));
  CHECK_FALSE(inventory.publish(emptyIndex("prod", 4)));
  CHECK(inventory.current("prod")->info().version == 5);
  CHECK(inventory.publish(emptyIndex("prod", 6)));
  CHECK(inventory.current("prod")->info().version == 6);
  CHECK(inventory.publish(emptyIndex("dev", 1)));
  auto all = inventory.all();
  REQUIRE(all.size() == 2);
  CHECK(all[0]->info().cluster_id == "dev");
  CHECK(all[1]->info().cluster_id == "prod");
}

TEST_CASE("listeners hear of each published index and the one it replaced", "[inventory]") {
  ClusterInventory inventory;
  std::vector<std::pair<int64_t, int64_t>> heard;  // (now, before or 0)
  int id = inventory.subscribe([&](const auto& now, const auto& before) {
    heard.emplace_back(now->info().version, before ? before->info().version : 0);
  });
  inventory.publish(emptyIndex("prod", 1));
  inventory.publish(emptyIndex("prod", 1));  // not newer: not published, not heard
  inventory.publish(emptyIndex("prod", 3));
  inventory.unsubscribe(id);
  inventory.publish(emptyIndex("prod", 4));
  CHECK(heard == std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {3, 1}});
}

TEST_CASE("a reader keeps the index it took after a newer one is published", "[inventory]") {
  ClusterInventory inventory;
  inventory.publish(testing::sampleIndex(0, 1));
  auto held = inventory.current("sample");
  inventory.publish(testing::sampleIndex(0, 2));
  CHECK(held->info().version == 1);
  CHECK(held->count(Kind::kPods) == 9);  // still whole and readable
  CHECK(inventory.current("sample")->info().version == 2);
}

TEST_CASE("readers and publishers run at once without losing the newest index", "[inventory]") {
  ClusterInventory inventory;
  inventory.publish(emptyIndex("prod", 0));
  std::atomic<bool> done{false};
  std::atomic<int64_t> reads{0};
  // Catch's assertions are not thread-safe: the threads record what they saw, checked after.
  std::atomic<bool> missing{false};
  std::atomic<bool> went_back{false};
  // Publishing starts once every reader is reading, so that the two really overlap: on a busy
  // machine the publishers could otherwise finish before a reader thread first runs.
  std::atomic<int> readers_running{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      int64_t last = 0;
      bool counted = false;
      while (!done) {
        auto index = inventory.current("prod");
        if (index == nullptr) {
          missing = true;
          ++readers_running;  // lets the publishers go: the test fails, it must not hang
          return;
        }
        went_back = went_back || index->info().version < last;
        last = index->info().version;
        ++reads;
        if (!counted) {
          counted = true;
          ++readers_running;
        }
      }
    });
  }
  std::vector<std::thread> publishers;
  publishers.reserve(2);
  for (int p = 0; p < 2; ++p) {
    publishers.emplace_back([&, p] {
      while (readers_running < 3) {
        std::this_thread::yield();
      }
      for (int64_t v = 1 + p; v <= 2000; v += 2) {
        inventory.publish(emptyIndex("prod", v));
      }
    });
  }
  for (auto& t : publishers) {
    t.join();
  }
  done = true;
  for (auto& t : readers) {
    t.join();
  }
  CHECK_FALSE(missing);
  CHECK_FALSE(went_back);
  CHECK(inventory.current("prod")->info().version == 2000);
  CHECK(reads > 0);
}

}  // namespace
}  // namespace corral::master
