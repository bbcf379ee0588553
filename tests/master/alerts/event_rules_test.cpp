// The warning events rule: occurrences counted from the events' counts across snapshots.

#include <catch2/catch.hpp>

#include "master/alerts/event_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {
namespace {

master::WarningEventsSettings settings() {
  master::WarningEventsSettings s;
  s.namespace_threshold = 20;
  s.object_threshold = 10;
  s.window = std::chrono::minutes(10);
  return s;
}

struct EventsFixture {
  EventsFixture() : rule(master::makeWarningEventsRule(settings())) {
    pod_a = recordedPod("init-demo");
    pod_b = recordedPod("init-demo");
    pod_b.meta.name = "init-demo-b";
    pod_b.meta.uid = "uid-b";
  }

  // The snapshot with `events`, taken now.
  std::map<std::string, master::Finding> evaluate(std::vector<agent::model::Event> events) {
    auto s = emptyCluster();
    s.resources.events = std::move(events);
    return findings(*rule, observe(s, now()), clock);
  }

  int64_t now() const { return nowMs(clock); }

  FakeClock clock;
  std::unique_ptr<master::SnapshotRule> rule;
  agent::model::Pod pod_a;
  agent::model::Pod pod_b;
};

const std::string kNamespace = "message-pod-crashloop-backoff";
const std::string kObjectA = "Object/Pod/message-pod-crashloop-backoff/init-demo";
const std::string kNamespaceIdentity = "Namespace/message-pod-crashloop-backoff";

}  // namespace

TEST_CASE("the recorded events are too old to count", "[alerts][rules][events]") {
  FakeClock clock;
  auto rule = master::makeWarningEventsRule(settings());
  auto cluster = observe(recordedCluster(), nowMs(clock));
  REQUIRE_FALSE(cluster.events.empty());
  CHECK(findings(*rule, cluster, clock).empty());
}

TEST_CASE("warning events about one object fire once they reach the object threshold",
          "[alerts][rules][events]") {
  EventsFixture f;
  int64_t t0 = f.now();
  CHECK(f.evaluate({warningEvent("e1", f.pod_a, "BackOff", 9, t0, t0)}).empty());

  f.clock.advance(std::chrono::seconds(30));
  auto found = f.evaluate({warningEvent("e1", f.pod_a, "BackOff", 10, t0, f.now())});
  REQUIRE(found.size() == 1);
  const master::Finding& object = found.at(kObjectA);
  CHECK(object.summary == "Warning events pile up about Pod " + kNamespace + "/init-demo");
  CHECK(object.description == "10 Warning events in the last 10m: BackOff \u00d710.");
  CHECK(object.labels == master::Labels{{"namespace", kNamespace},
                                        {"kind", "Pod"},
                                        {"name", "init-demo"},
                                        {"scope", "object"}});
}

TEST_CASE("warning events across a namespace fire at the namespace threshold",
          "[alerts][rules][events]") {
  EventsFixture f;
  int64_t t0 = f.now();
  CHECK(f.evaluate({warningEvent("e1", f.pod_a, "FailedMount", 8, t0, t0),
                    warningEvent("e2", f.pod_b, "BackOff", 8, t0, t0)})
            .empty());
  f.clock.advance(std::chrono::minutes(1));
  auto found = f.evaluate({warningEvent("e1", f.pod_a, "FailedMount", 12, t0, f.now()),
                           warningEvent("e2", f.pod_b, "BackOff", 8, t0, t0),
                           warningEvent("e3", f.pod_b, "Unhealthy", 1, f.now(), f.now())});
  CHECK(found.count(kObjectA) == 1);                                     // 12
  CHECK(found.count("Object/Pod/" + kNamespace + "/init-demo-b") == 0);  // 9
  const master::Finding& ns = found.at(kNamespaceIdentity);
  CHECK(ns.summary == "Warning events pile up in namespace " + kNamespace);
  CHECK(ns.description ==
        "21 Warning events in the last 10m: FailedMount \u00d712, BackOff \u00d78, Unhealthy "
        "\u00d71.");
  CHECK(ns.labels == master::Labels{{"namespace", kNamespace}, {"scope", "namespace"}});
}

TEST_CASE("an event first seen counts whole only when it began within the window",
          "[alerts][rules][events]") {
  EventsFixture f;
  int64_t long_ago = f.now() - std::chrono::milliseconds(std::chrono::hours(3)).count();
  // Began hours ago, last seen now: only its latest occurrence is known to be in the window.
  auto found = f.evaluate({warningEvent("old", f.pod_a, "BackOff", 500, long_ago, f.now()),
                           warningEvent("new", f.pod_b, "BackOff", 10, f.now(), f.now())});
  CHECK(found.count(kObjectA) == 0);
  CHECK(found.count("Object/Pod/" + kNamespace + "/init-demo-b") == 1);
  CHECK(found.count(kNamespaceIdentity) == 0);  // 11

  // Normal events never count.
  auto normal = warningEvent("n", f.pod_a, "Pulled", 50, f.now(), f.now());
  normal.type = "Normal";
  f.clock.advance(std::chrono::seconds(30));
  CHECK(f.evaluate({normal}).count(kObjectA) == 0);
}

TEST_CASE("a burst of warning events clears once its occurrences leave the window",
          "[alerts][rules][events]") {
  EventsFixture f;
  int64_t t0 = f.now();
  auto burst = warningEvent("e1", f.pod_a, "BackOff", 12, t0, t0);
  CHECK(f.evaluate({burst}).count(kObjectA) == 1);
  f.clock.advance(settings().window - std::chrono::milliseconds(1));
  CHECK(f.evaluate({burst}).count(kObjectA) == 1);
  f.clock.advance(std::chrono::milliseconds(1));
  CHECK(f.evaluate({burst}).empty());
  // It recurs: only the new occurrences count.
  f.clock.advance(std::chrono::minutes(1));
  burst.count = 21;
  burst.last_timestamp = formatRfc3339(f.clock.wallNow());
  CHECK(f.evaluate({burst}).empty());  // 9
  f.clock.advance(std::chrono::seconds(30));
  burst.count = 22;
  CHECK(f.evaluate({burst}).count(kObjectA) == 1);  // 10
}

}  // namespace corral::testing
