#include "master/metrics/alerts_firing.h"

#include <catch2/catch.hpp>
#include <vector>

#include "tests/master/metrics/metric_lookup.h"

namespace corral::master {
namespace {

using testing::family;
using testing::sampleValue;

std::vector<metrics::FamilyData> collected(AlertsFiring& alerts) {
  auto families = alerts.collect();
  REQUIRE(families.isOk());
  return std::move(*families);
}

TEST_CASE("corral_alerts_firing has no series until the alerts component sets a source",
          "[metrics]") {
  AlertsFiring alerts;
  auto families = collected(alerts);
  REQUIRE(families.size() == 1);
  CHECK(family(families, "corral_alerts_firing").label_names ==
        std::vector<std::string>{"rule", "severity"});
  CHECK(family(families, "corral_alerts_firing").samples.empty());
}

TEST_CASE("corral_alerts_firing shows what the source counts, read at each scrape", "[metrics]") {
  AlertsFiring alerts;
  int64_t crash_loops = 2;
  alerts.setSource([&]() -> Result<std::vector<FiringAlerts>> {
    return std::vector<FiringAlerts>{{"pod_crash_loop", "warning", crash_loops},
                                     {"node_not_ready", "critical", 0}};
  });
  auto families = collected(alerts);
  CHECK(sampleValue(families, "corral_alerts_firing", {"pod_crash_loop", "warning"}) == 2);
  CHECK(sampleValue(families, "corral_alerts_firing", {"node_not_ready", "critical"}) == 0);

  crash_loops = 5;
  CHECK(sampleValue(collected(alerts), "corral_alerts_firing", {"pod_crash_loop", "warning"}) == 5);

  SECTION("an empty source takes the series away again") {
    alerts.setSource({});
    CHECK(family(collected(alerts), "corral_alerts_firing").samples.empty());
  }
}

TEST_CASE("a failing alerts source fails the scrape", "[metrics]") {
  AlertsFiring alerts;
  alerts.setSource(
      []() -> Result<std::vector<FiringAlerts>> { return unavailable("alerts not loaded"); });
  auto families = alerts.collect();
  REQUIRE_FALSE(families.isOk());
  CHECK(families.status().message() == "alerts not loaded");
}

}  // namespace
}  // namespace corral::master
