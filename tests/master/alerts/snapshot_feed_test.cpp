// The feed between the inventory and the alerts: the newest snapshot of each cluster, evaluated
// off the publishing thread.

#include <catch2/catch.hpp>

#include "master/alerts/alert_service.h"
#include "master/alerts/pod_rules.h"
#include "master/alerts/snapshot_feed.h"
#include "master/inventory/cluster_inventory.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"
#include "tests/master/support/store_fixture.h"

namespace corral::testing {
namespace {

master::AlertRules crashLoopOnly() {
  master::AlertRules r;
  r.snapshot.push_back(master::makePodCrashLoopRule(master::AlertRuleSettings{}));
  return r;
}

agent::model::ClusterSnapshot cluster(const std::string& id, int64_t version, bool crashing) {
  auto s = emptyCluster(id);
  s.version = version;
  if (crashing) {
    s.resources.pods.push_back(recordedPod("init-demo"));
  }
  return s;
}

struct FeedFixture {
  FeedFixture() : service(store.store(), clock, crashLoopOnly()), feed(service) {
    REQUIRE_OK(service.start());
  }

  size_t firing() {
    master::AlertFilter filter;
    filter.state = "firing";
    auto alerts = service.list(filter, master::Page{"", 100});
    REQUIRE_OK(alerts);
    return alerts->size();
  }

  StoreFixture store;
  FakeClock clock;
  master::AlertService service;
  master::SnapshotAlertFeed feed;
};

}  // namespace

TEST_CASE("the feed evaluates only the newest waiting snapshot of a cluster", "[alerts][feed]") {
  FeedFixture f;
  f.feed.push(indexOf(cluster("prod", 1, true)));
  f.feed.push(indexOf(cluster("prod", 2, false)));
  CHECK(f.feed.drain() == 1);
  CHECK(f.firing() == 0);

  f.feed.push(indexOf(cluster("prod", 3, true)));
  f.feed.push(indexOf(cluster("staging", 1, true)));
  CHECK(f.feed.drain() == 2);
  CHECK(f.firing() == 2);
  CHECK(f.feed.drain() == 0);
}

TEST_CASE("the feed's worker evaluates what the inventory publishes", "[alerts][feed]") {
  FeedFixture f;
  master::ClusterInventory inventory;
  inventory.subscribe(
      [&](const std::shared_ptr<const master::ClusterIndex>& now,
          const std::shared_ptr<const master::ClusterIndex>&) { f.feed.push(now); });
  f.feed.start();
  REQUIRE(inventory.publish(indexOf(cluster("prod", 1, true))));
  // The worker commits on its own thread; wait for the alert with a deadline.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (f.firing() == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  CHECK(f.firing() == 1);
  f.feed.stop();
}

}  // namespace corral::testing
