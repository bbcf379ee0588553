// The alert lifecycle: fire, update, resolve, fire again; `for`; scopes; reloading.

#include <catch2/catch.hpp>

#include "master/alerts/alert_engine.h"
#include "master/alerts/deployment_rules.h"
#include "master/alerts/liveness_rules.h"
#include "master/alerts/pod_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {
namespace {

using master::AlertChange;
using Kind = master::AlertChange::Kind;

const master::Labels kSource{{"agent", "prod-agent"}, {"agent_id", "agt_1"}, {"pool", "k8s"}};
const std::string kPod = "Pod/message-pod-crashloop-backoff/init-demo";

master::AlertRules rules() {
  master::AlertRules r;
  master::AlertRuleSettings crash;
  crash.severity = "critical";
  r.snapshot.push_back(master::makePodCrashLoopRule(crash));
  master::AlertRuleSettings deployments;
  deployments.for_duration = std::chrono::minutes(10);
  r.snapshot.push_back(master::makeDeploymentUnavailableRule(deployments));
  r.liveness.push_back(master::makeAgentOfflineRule(master::AlertRuleSettings{}));
  return r;
}

agent::model::ClusterSnapshot crashLooping(const std::string& cluster = "prod",
                                           int64_t restarts = 4) {
  auto s = emptyCluster(cluster);
  auto pod = recordedPod("init-demo");
  pod.containers[0].restart_count = restarts;
  s.resources.pods.push_back(pod);
  return s;
}

agent::model::ClusterSnapshot healthy(const std::string& cluster = "prod") {
  auto s = emptyCluster(cluster);
  auto pod = recordedPod("init-demo");
  pod.reason = "Running";
  pod.containers[0].state = "running";
  pod.containers[0].reason = "";
  s.resources.pods.push_back(pod);
  return s;
}

agent::model::ClusterSnapshot unavailable(bool is_unavailable) {
  auto s = emptyCluster();
  auto d = recordedDeployment();
  d.replicas = 3;
  d.available_replicas = is_unavailable ? 1 : 3;
  s.resources.deployments.push_back(d);
  return s;
}

struct EngineFixture {
  std::vector<AlertChange> snapshot(const agent::model::ClusterSnapshot& s) {
    return engine.evaluateSnapshot(observe(s, now()), kSource, now());
  }
  int64_t now() const { return nowMs(clock); }

  FakeClock clock;
  master::AlertEngine engine{rules()};
};

}  // namespace

TEST_CASE("a condition fires once, is updated while it lasts, and resolves when it is gone",
          "[alerts][engine]") {
  EngineFixture f;
  int64_t t0 = f.now();
  auto fired = f.snapshot(crashLooping());
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].kind == Kind::kFired);
  const master::AlertRecord& a = fired[0].alert;
  CHECK(a.id.rfind("alt_", 0) == 0);
  CHECK(a.fingerprint == master::alertFingerprint("pod_crash_loop", "prod", kPod));
  CHECK(a.fingerprint.size() == 16);
  CHECK(a.rule == "pod_crash_loop");
  CHECK(a.severity == "critical");
  CHECK(a.state == "firing");
  CHECK(a.cluster_id == "prod");
  CHECK(a.summary == "Pod message-pod-crashloop-backoff/init-demo is crash-looping");
  CHECK(a.labels.at("cluster") == "prod");
  CHECK(a.labels.at("agent") == "prod-agent");
  CHECK(a.labels.at("agent_id") == "agt_1");
  CHECK(a.labels.at("pool") == "k8s");
  CHECK(a.labels.at("namespace") == "message-pod-crashloop-backoff");
  CHECK(a.first_seen == t0);
  CHECK(a.last_seen == t0);
  CHECK(a.count == 1);
  CHECK(a.resolved_at == 0);

  f.clock.advance(std::chrono::seconds(30));
  auto updated = f.snapshot(crashLooping());
  REQUIRE(updated.size() == 1);
  CHECK(updated[0].kind == Kind::kUpdated);
  CHECK(updated[0].alert.id == a.id);
  CHECK(updated[0].alert.first_seen == t0);
  CHECK(updated[0].alert.last_seen == f.now());
  CHECK(updated[0].alert.count == 2);

  // Seen again soon after, unchanged: nothing worth writing yet.
  f.clock.advance(std::chrono::seconds(5));
  CHECK(f.snapshot(crashLooping()).empty());

  f.clock.advance(std::chrono::seconds(30));
  auto resolved = f.snapshot(healthy());
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0].kind == Kind::kResolved);
  CHECK(resolved[0].alert.id == a.id);
  CHECK(resolved[0].alert.state == "resolved");
  CHECK(resolved[0].alert.resolved_at == f.now());
  CHECK(resolved[0].alert.count == 3);
  CHECK(f.engine.firingSize() == 0);

  // It comes back: a new episode, a new id, the same fingerprint.
  f.clock.advance(std::chrono::seconds(30));
  auto again = f.snapshot(crashLooping());
  REQUIRE(again.size() == 1);
  CHECK(again[0].kind == Kind::kFired);
  CHECK(again[0].alert.id != a.id);
  CHECK(again[0].alert.fingerprint == a.fingerprint);
  CHECK(again[0].alert.first_seen == f.now());
  CHECK(again[0].alert.count == 1);
}

TEST_CASE("a firing alert whose wording changes is reported at once", "[alerts][engine]") {
  EngineFixture f;
  REQUIRE(f.snapshot(crashLooping("prod", 4)).size() == 1);
  f.clock.advance(std::chrono::seconds(1));
  auto changes = f.snapshot(crashLooping("prod", 5));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == Kind::kUpdated);
  CHECK(master::AlertRecord(changes[0].alert).description ==
        "Container nginx is in CrashLoopBackOff after 5 restarts; its last run ended with "
        "ContainerCannotRun (exit code 127).");
}

TEST_CASE("a condition fires only once it has held for the rule's `for`", "[alerts][engine]") {
  EngineFixture f;
  int64_t t0 = f.now();
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::minutes(5));
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::minutes(5) - std::chrono::milliseconds(1));
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::milliseconds(1));
  auto fired = f.snapshot(unavailable(true));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].kind == Kind::kFired);
  CHECK(fired[0].alert.rule == "deployment_unavailable");
  CHECK(fired[0].alert.first_seen == t0);  // when it was first seen unavailable
  CHECK(fired[0].alert.count == 4);
}

TEST_CASE("a condition that clears before its `for` starts over", "[alerts][engine]") {
  EngineFixture f;
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::minutes(9));
  CHECK(f.snapshot(unavailable(false)).empty());
  f.clock.advance(std::chrono::minutes(1));
  int64_t restarted = f.now();
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::minutes(10) - std::chrono::milliseconds(1));
  CHECK(f.snapshot(unavailable(true)).empty());
  f.clock.advance(std::chrono::milliseconds(1));
  auto fired = f.snapshot(unavailable(true));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].alert.first_seen == restarted);
}

TEST_CASE("a cluster's snapshot neither resolves nor updates another cluster's alerts",
          "[alerts][engine]") {
  EngineFixture f;
  REQUIRE(f.snapshot(crashLooping("a")).size() == 1);
  auto b = f.snapshot(crashLooping("b"));
  REQUIRE(b.size() == 1);
  CHECK(b[0].kind == Kind::kFired);
  CHECK(b[0].alert.cluster_id == "b");
  f.clock.advance(std::chrono::minutes(1));
  auto healed = f.snapshot(healthy("b"));
  REQUIRE(healed.size() == 1);
  CHECK(healed[0].alert.cluster_id == "b");
  CHECK(healed[0].kind == Kind::kResolved);
  CHECK(f.engine.firingSize() == 1);
}

TEST_CASE("a kind the agent could not read leaves the alerts of its rules as they are",
          "[alerts][engine]") {
  EngineFixture f;
  REQUIRE(f.snapshot(crashLooping()).size() == 1);
  f.clock.advance(std::chrono::minutes(1));
  auto s = emptyCluster();
  s.collected.erase(agent::model::ResourceKind::kPods);
  s.errors["pods"] = "pods is forbidden: User cannot list resource \"pods\"";
  CHECK(f.snapshot(s).empty());
  CHECK(f.engine.firingSize() == 1);
}

TEST_CASE(
    "loading from the store keeps firing alerts and resolves those of rules that no "
    "longer run",
    "[alerts][engine]") {
  EngineFixture first;
  auto fired = first.snapshot(crashLooping());
  REQUIRE(fired.size() == 1);
  master::AlertRecord stale = fired[0].alert;
  stale.id = "alt_stale";
  stale.rule = "pod_oom_killed";  // not among the rules
  stale.fingerprint = "0123456789abcdef";

  EngineFixture f;
  auto retired = f.engine.load({fired[0].alert, stale}, f.now());
  REQUIRE(retired.size() == 1);
  CHECK(retired[0].kind == Kind::kResolved);
  CHECK(retired[0].alert.id == "alt_stale");
  CHECK(retired[0].alert.resolved_at == f.now());
  f.clock.advance(std::chrono::seconds(30));
  auto changes = f.snapshot(crashLooping());
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == Kind::kUpdated);
  CHECK(changes[0].alert.id == fired[0].alert.id);
  CHECK(changes[0].alert.count == 2);
}

TEST_CASE("liveness alerts fire and resolve across the fleet", "[alerts][engine]") {
  EngineFixture f;
  master::FleetObservation fleet;
  master::AgentFacts agent;
  agent.id = "agt_9";
  agent.name = "runner-9";
  agent.cluster_id = "prod";
  fleet.offline_agents.push_back(agent);
  auto fired = f.engine.evaluateLiveness(fleet, f.now());
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].kind == Kind::kFired);
  CHECK(fired[0].alert.rule == "agent_offline");
  CHECK(fired[0].alert.cluster_id == "prod");
  CHECK(fired[0].alert.labels.at("cluster") == "prod");
  // A snapshot of its cluster does not touch it.
  CHECK(f.snapshot(healthy()).empty());
  f.clock.advance(std::chrono::seconds(1));
  auto resolved = f.engine.evaluateLiveness(master::FleetObservation{}, f.now());
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0].kind == Kind::kResolved);
}

TEST_CASE("firing counts list every rule that runs, zeros included", "[alerts][engine]") {
  EngineFixture f;
  REQUIRE(f.snapshot(crashLooping("a")).size() == 1);
  REQUIRE(f.snapshot(crashLooping("b")).size() == 1);
  std::map<std::string, std::pair<std::string, int64_t>> counts;
  for (const auto& c : f.engine.firingCounts()) {
    counts[c.rule] = {c.severity, c.count};
  }
  CHECK(counts.size() == 3);
  CHECK(counts["pod_crash_loop"] == std::pair<std::string, int64_t>{"critical", 2});
  CHECK(counts["deployment_unavailable"] == std::pair<std::string, int64_t>{"warning", 0});
  CHECK(counts["agent_offline"] == std::pair<std::string, int64_t>{"warning", 0});
}

}  // namespace corral::testing
