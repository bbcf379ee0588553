#include "master/metrics/registry.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace corral::metrics {
namespace {

std::string rendered(const Registry& registry) {
  auto text = registry.render();
  REQUIRE(text.isOk());
  return *text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FixedCollector final : public Collector {
 public:
  explicit FixedCollector(Result<std::vector<FamilyData>> families)
      : families_(std::move(families)) {}
  Result<std::vector<FamilyData>> collect() override { return families_; }

 private:
  Result<std::vector<FamilyData>> families_;
};

TEST_CASE("a family without labels is exposed as 0 before its first update", "[metrics]") {
  Registry registry;
  registry.counter("jobs_total", "Jobs run.");
  registry.histogram("job_seconds", "Job time.", {1, 10});
  std::string text = rendered(registry);
  CHECK(contains(text, "jobs_total 0\n"));
  CHECK(contains(text, "job_seconds_bucket{le=\"+Inf\"} 0\n"));
  CHECK(contains(text, "job_seconds_count 0\n"));
}

TEST_CASE("a labelled family shows one series per label values used", "[metrics]") {
  Registry registry;
  auto& requests = registry.counter("requests_total", "Requests.", {"route", "code"});
  CHECK(rendered(registry) == "# HELP requests_total Requests.\n# TYPE requests_total counter\n");

  requests.labels({"/a", "200"}).inc();
  requests.labels({"/a", "200"}).inc(2);
  requests.labels({"/b", "404"}).inc();
  std::string text = rendered(registry);
  CHECK(contains(text, "requests_total{route=\"/a\",code=\"200\"} 3\n"));
  CHECK(contains(text, "requests_total{route=\"/b\",code=\"404\"} 1\n"));
  // The same label values are the same child.
  CHECK(&requests.labels({"/a", "200"}) == &requests.labels({"/a", "200"}));
}

TEST_CASE("counters only go up; gauges go both ways", "[metrics]") {
  Counter counter;
  counter.inc(2.5);
  counter.inc(-1);
  counter.inc(std::nan(""));
  CHECK(counter.value() == 2.5);

  Gauge gauge;
  gauge.set(10);
  gauge.inc(2);
  gauge.dec(5);
  CHECK(gauge.value() == 7);
}

TEST_CASE("a histogram's bounds are inclusive, and NaN is not observed", "[metrics]") {
  Histogram h({0.1, 1});
  h.observe(0.1);  // exactly on a bound: that bucket
  h.observe(0.5);
  h.observe(1.0);
  h.observe(7);
  h.observe(std::nan(""));
  CHECK(h.bucketCounts() == std::vector<uint64_t>{1, 2, 1});
  CHECK(h.sum() == Approx(8.6));
}

TEST_CASE("families are rendered in name order, collectors' included", "[metrics]") {
  Registry registry;
  registry.gauge("zeta", "Last.");
  registry.counter("alpha_total", "First.");
  FamilyData middle = gaugeFamily("middle", "From a collector.", {"k"});
  middle.add({"v"}, 5);
  FixedCollector collector(std::vector<FamilyData>{middle});
  registry.addCollector(collector);

  std::string text = rendered(registry);
  auto alpha = text.find("# HELP alpha_total");
  auto mid = text.find("# HELP middle");
  auto zeta = text.find("# HELP zeta");
  REQUIRE(alpha != std::string::npos);
  REQUIRE(mid != std::string::npos);
  REQUIRE(zeta != std::string::npos);
  CHECK(alpha < mid);
  CHECK(mid < zeta);
  CHECK(contains(text, "middle{k=\"v\"} 5\n"));
}

TEST_CASE("a collector's error fails the scrape", "[metrics]") {
  Registry registry;
  FixedCollector broken(Result<std::vector<FamilyData>>(unavailable("store closed")));
  registry.addCollector(broken);
  auto text = registry.render();
  REQUIRE_FALSE(text.isOk());
  CHECK(text.status().message() == "store closed");
}

TEST_CASE("a malformed or repeated collected family is left out, the rest is kept", "[metrics]") {
  Registry registry;
  registry.gauge("kept", "Registered.");
  FamilyData malformed = gaugeFamily("broken", "Wrong label count.", {"a"});
  malformed.add({}, 1);
  FamilyData repeated = gaugeFamily("kept", "Collected under a taken name.");
  repeated.add({}, 9);
  FixedCollector collector(std::vector<FamilyData>{malformed, repeated});
  registry.addCollector(collector);

  std::string text = rendered(registry);
  CHECK_FALSE(contains(text, "broken"));
  CHECK(contains(text, "kept 0\n"));
  CHECK_FALSE(contains(text, "kept 9\n"));
}

TEST_CASE("updates from many threads are all counted", "[metrics]") {
  Registry registry;
  auto& counter = registry.counter("hits_total", "Hits.", {"thread_group"});
  auto& histogram = registry.histogram("wait_seconds", "Waits.", {0.5}).labels({});
  constexpr int kThreads = 4;
  constexpr int kEach = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        counter.labels({t % 2 == 0 ? "even" : "odd"}).inc();
        histogram.observe(i % 2 == 0 ? 0.25 : 1.0);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::string text = rendered(registry);
  CHECK(contains(text, "hits_total{thread_group=\"even\"} 40000\n"));
  CHECK(contains(text, "hits_total{thread_group=\"odd\"} 40000\n"));
  CHECK(contains(text, "wait_seconds_bucket{le=\"0.5\"} 40000\n"));
  CHECK(contains(text, "wait_seconds_count 80000\n"));
  CHECK(contains(text, "wait_seconds_sum 50000\n"));
}

}  // namespace
}  // namespace corral::metrics
