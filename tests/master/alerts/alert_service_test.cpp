// The alert service over a real store: changes written in one transaction and notified after it,
// acknowledgements audited, lists filtered and paged, liveness read from the store, restarts.

#include <catch2/catch.hpp>

#include "master/alerts/alert_service.h"
#include "master/alerts/liveness_rules.h"
#include "master/alerts/pod_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"
#include "tests/master/support/store_fixture.h"

namespace corral::testing {
namespace {

using master::AlertChange;
using master::AlertFilter;
using master::AlertRecord;
using master::Page;
using Kind = master::AlertChange::Kind;

class RecordingNotifier final : public master::AlertNotifier {
 public:
  void alertChanged(const AlertChange& change) override { changes.push_back(change); }
  std::vector<AlertChange> changes;
};

master::AlertRules allRules(bool crash_loop = true) {
  master::AlertRules r;
  if (crash_loop) {
    r.snapshot.push_back(master::makePodCrashLoopRule(master::AlertRuleSettings{}));
  }
  master::AlertRuleSettings pulls;
  pulls.severity = "info";
  r.snapshot.push_back(master::makePodImagePullRule(pulls));
  r.liveness.push_back(master::makeAgentOfflineRule(master::AlertRuleSettings{}));
  master::SnapshotStaleSettings stale;
  stale.after = std::chrono::minutes(5);
  r.liveness.push_back(master::makeSnapshotStaleRule(stale));
  return r;
}

agent::model::ClusterSnapshot withPods(const std::string& cluster,
                                       const std::vector<std::string>& names) {
  auto s = emptyCluster(cluster);
  for (const auto& name : names) {
    s.resources.pods.push_back(recordedPod(name));
  }
  return s;
}

const std::string kCrashPod = "init-demo";
const std::string kPullPod = "no-image-deployment-849c4c4958-rxqmt";

struct ServiceFixture {
  explicit ServiceFixture(master::AlertRules rules = allRules(),
                          master::AlertServiceOptions options = {})
      : service(store.store(), clock, std::move(rules), options, {&notifier}) {
    store.addPool("k8s");
    store.addAgent("pool_k8s", "agt_1", [](master::Agent& a) {
      a.name = "prod-agent";
      a.cluster_id = "prod";
      a.type = "k8s";
    });
    REQUIRE_OK(service.start());
  }

  std::vector<AlertChange> evaluate(const agent::model::ClusterSnapshot& s) {
    auto changes = service.evaluateSnapshot(observe(s, nowMs(clock), "agt_1", nowMs(clock)));
    REQUIRE_OK(changes);
    return *changes;
  }

  std::vector<AlertRecord> list(const AlertFilter& filter, int limit = 100,
                                std::string after = "") {
    auto alerts = service.list(filter, Page{std::move(after), limit});
    REQUIRE_OK(alerts);
    return *alerts;
  }

  StoreFixture store;
  FakeClock clock;
  RecordingNotifier notifier;
  master::AlertService service;
};

}  // namespace

TEST_CASE("an evaluation's changes are stored, then notified", "[alerts][service]") {
  ServiceFixture f;
  auto fired = f.evaluate(withPods("prod", {kCrashPod, kPullPod}));
  REQUIRE(fired.size() == 2);
  REQUIRE(f.notifier.changes.size() == 2);
  for (const auto& change : f.notifier.changes) {
    CHECK(change.kind == Kind::kFired);
    auto stored = f.service.get(change.alert.id);
    REQUIRE_OK(stored);
    CHECK(stored->state == "firing");
    CHECK(stored->fingerprint == change.alert.fingerprint);
    CHECK(stored->labels == change.alert.labels);
    CHECK(stored->labels.at("agent") == "prod-agent");
    CHECK(stored->labels.at("pool") == "k8s");
    CHECK(stored->first_seen == nowMs(f.clock));
    CHECK(stored->seq > 0);
  }

  f.clock.advance(std::chrono::seconds(30));
  auto updated = f.evaluate(withPods("prod", {kCrashPod, kPullPod}));
  REQUIRE(updated.size() == 2);
  auto stored = f.service.get(updated[0].alert.id);
  REQUIRE_OK(stored);
  CHECK(stored->count == 2);
  CHECK(stored->last_seen == nowMs(f.clock));

  f.clock.advance(std::chrono::seconds(30));
  auto resolved = f.evaluate(withPods("prod", {kPullPod}));
  REQUIRE(resolved.size() == 2);  // the pull alert updated, the crash loop resolved
  const AlertChange& gone = resolved[0].kind == Kind::kResolved ? resolved[0] : resolved[1];
  CHECK(gone.alert.rule == "pod_crash_loop");
  stored = f.service.get(gone.alert.id);
  REQUIRE_OK(stored);
  CHECK(stored->state == "resolved");
  CHECK(stored->resolved_at == nowMs(f.clock));

  auto counts = f.service.firingCounts();
  std::map<std::string, int64_t> by_rule;
  for (const auto& c : counts) {
    by_rule[c.rule + "/" + c.severity] = c.count;
  }
  CHECK(by_rule == std::map<std::string, int64_t>{{"agent_offline/warning", 0},
                                                  {"pod_crash_loop/warning", 0},
                                                  {"pod_image_pull/info", 1},
                                                  {"snapshot_stale/warning", 0}});
}

TEST_CASE("each episode of a condition is its own row under one fingerprint", "[alerts][service]") {
  ServiceFixture f;
  auto first = f.evaluate(withPods("prod", {kCrashPod}));
  REQUIRE(first.size() == 1);
  f.clock.advance(std::chrono::minutes(1));
  REQUIRE(f.evaluate(withPods("prod", {})).size() == 1);
  f.clock.advance(std::chrono::minutes(1));
  auto second = f.evaluate(withPods("prod", {kCrashPod}));
  REQUIRE(second.size() == 1);
  AlertFilter filter;
  filter.fingerprint = first[0].alert.fingerprint;
  auto episodes = f.list(filter);
  REQUIRE(episodes.size() == 2);
  CHECK(episodes[0].id == second[0].alert.id);  // newest first
  CHECK(episodes[0].state == "firing");
  CHECK(episodes[1].id == first[0].alert.id);
  CHECK(episodes[1].state == "resolved");
}

TEST_CASE(
    "an acknowledgement records who and when, is audited once, and the alert still "
    "resolves",
    "[alerts][service]") {
  ServiceFixture f;
  auto fired = f.evaluate(withPods("prod", {kCrashPod}));
  REQUIRE(fired.size() == 1);
  std::string id = fired[0].alert.id;
  f.clock.advance(std::chrono::seconds(10));
  int64_t acked_at = nowMs(f.clock);
  auto acked = f.service.acknowledge(id, master::Actor{"tok_ops", "10.0.0.7"}, "looking");
  REQUIRE_OK(acked);
  CHECK(acked->acknowledged_by == "tok_ops");
  CHECK(acked->acknowledged_at == acked_at);
  CHECK(acked->ack_comment == "looking");
  REQUIRE(f.notifier.changes.size() == 2);
  CHECK(f.notifier.changes[1].kind == Kind::kAcknowledged);

  // A second acknowledgement changes nothing and is not audited again.
  f.clock.advance(std::chrono::seconds(10));
  auto again = f.service.acknowledge(id, master::Actor{"tok_other", ""}, "me too");
  REQUIRE_OK(again);
  CHECK(again->acknowledged_by == "tok_ops");
  CHECK(again->acknowledged_at == acked_at);
  auto audit = readValue<std::vector<master::AuditEntry>>(f.store.store(), [](auto& tx) {
    return tx.audit().list("alert.", Page{"", 10});
  });
  REQUIRE_OK(audit);
  REQUIRE(audit->size() == 1);
  const master::AuditEntry& entry = audit->front();
  CHECK(entry.action == "alert.acknowledge");
  CHECK(entry.actor == "tok_ops");
  CHECK(entry.target == id);
  CHECK(entry.remote_addr == "10.0.0.7");
  CHECK(entry.details["comment"] == "looking");
  CHECK(entry.details["rule"] == "pod_crash_loop");

  // Updates keep the acknowledgement; the resolution too.
  f.clock.advance(std::chrono::seconds(30));
  REQUIRE(f.evaluate(withPods("prod", {kCrashPod})).size() == 1);
  f.clock.advance(std::chrono::seconds(30));
  REQUIRE(f.evaluate(withPods("prod", {})).size() == 1);
  auto stored = f.service.get(id);
  REQUIRE_OK(stored);
  CHECK(stored->state == "resolved");
  CHECK(stored->acknowledged_by == "tok_ops");
  CHECK(stored->count == 2);

  auto missing = f.service.acknowledge("alt_missing", master::Actor{"tok_ops", ""}, "");
  REQUIRE_FALSE(missing.isOk());
  CHECK(missing.status().code() == ErrorCode::kNotFound);
}

TEST_CASE("alerts are listed newest first, filtered and paged", "[alerts][service]") {
  ServiceFixture f;
  REQUIRE(f.evaluate(withPods("prod", {kCrashPod, kPullPod})).size() == 2);
  f.clock.advance(std::chrono::minutes(1));
  int64_t later = nowMs(f.clock);
  auto staging = f.evaluate(withPods("staging", {kCrashPod}));
  REQUIRE(staging.size() == 1);
  REQUIRE_OK(f.service.acknowledge(staging[0].alert.id, master::Actor{"tok", ""}, ""));

  CHECK(f.list({}).size() == 3);
  AlertFilter by_cluster;
  by_cluster.cluster_id = "prod";
  CHECK(f.list(by_cluster).size() == 2);
  AlertFilter by_rule;
  by_rule.rule = "pod_image_pull";
  auto pulls = f.list(by_rule);
  REQUIRE(pulls.size() == 1);
  CHECK(pulls[0].severity == "info");
  AlertFilter by_severity;
  by_severity.severity = "warning";
  CHECK(f.list(by_severity).size() == 2);
  AlertFilter acked;
  acked.acknowledged = true;
  auto acknowledged = f.list(acked);
  REQUIRE(acknowledged.size() == 1);
  CHECK(acknowledged[0].id == staging[0].alert.id);
  acked.acknowledged = false;
  CHECK(f.list(acked).size() == 2);
  AlertFilter since;
  since.since = later;
  CHECK(f.list(since).size() == 1);
  AlertFilter resolved;
  resolved.state = "resolved";
  CHECK(f.list(resolved).empty());

  auto page1 = f.list({}, 2);
  REQUIRE(page1.size() == 2);
  CHECK(page1[0].cluster_id == "staging");
  auto page2 = f.list({}, 2, std::to_string(page1.back().seq));
  REQUIRE(page2.size() == 1);
  CHECK(page2[0].seq < page1.back().seq);
}

TEST_CASE("the liveness tick reads offline agents and stale clusters from the store",
          "[alerts][service]") {
  ServiceFixture f;
  f.store.addAgent("pool_k8s", "agt_2", [](master::Agent& a) {
    a.name = "runner-2";
    a.status = "offline";
  });
  master::ClusterSnapshot row;
  row.cluster_id = "prod";
  row.agent_id = "agt_1";
  row.version = 1;
  row.kind = "k8s";
  row.received_at = nowMs(f.clock);
  row.body = "x";
  REQUIRE_OK(f.store.store().write([&](auto& tx) { return tx.snapshots().put(row); }));

  auto first = f.service.evaluateLiveness();
  REQUIRE_OK(first);
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].alert.rule == "agent_offline");
  CHECK((*first)[0].alert.labels.at("pool") == "k8s");
  CHECK((*first)[0].alert.labels.at("agent") == "runner-2");

  f.clock.advance(std::chrono::minutes(5) + std::chrono::milliseconds(1));
  auto stale = f.service.evaluateLiveness();
  REQUIRE_OK(stale);
  std::vector<std::string> rules;
  for (const auto& change : *stale) {
    if (change.kind == Kind::kFired) {
      rules.push_back(change.alert.rule);
      CHECK(change.alert.labels.at("agent") == "prod-agent");
    }
  }
  CHECK(rules == std::vector<std::string>{"snapshot_stale"});

  f.store.updateAgent("agt_2", [](master::Agent& a) { a.status = "online"; });
  auto back = f.service.evaluateLiveness();
  REQUIRE_OK(back);
  REQUIRE(back->size() == 1);
  CHECK((*back)[0].kind == Kind::kResolved);
  CHECK((*back)[0].alert.rule == "agent_offline");
}

TEST_CASE("a restarted master keeps its firing alerts and resolves those of disabled rules",
          "[alerts][service]") {
  StoreFixture store;
  FakeClock clock;
  std::string crash_id;
  std::string pull_id;
  {
    master::AlertService service(store.store(), clock, allRules());
    REQUIRE_OK(service.start());
    auto fired = service.evaluateSnapshot(observe(withPods("prod", {kCrashPod, kPullPod})));
    REQUIRE_OK(fired);
    REQUIRE(fired->size() == 2);
    for (const auto& change : *fired) {
      (change.alert.rule == "pod_crash_loop" ? crash_id : pull_id) = change.alert.id;
    }
  }
  clock.advance(std::chrono::minutes(1));
  master::AlertService restarted(store.store(), clock, allRules(/*crash_loop=*/false));
  REQUIRE_OK(restarted.start());
  auto crash = restarted.get(crash_id);
  REQUIRE_OK(crash);
  CHECK(crash->state == "resolved");
  CHECK(crash->resolved_at == nowMs(clock));
  clock.advance(std::chrono::seconds(30));
  auto changes = restarted.evaluateSnapshot(observe(withPods("prod", {kCrashPod, kPullPod})));
  REQUIRE_OK(changes);
  REQUIRE(changes->size() == 1);
  CHECK((*changes)[0].kind == Kind::kUpdated);
  CHECK((*changes)[0].alert.id == pull_id);
}

TEST_CASE("a failed write notifies nothing, and the next evaluation starts from the store",
          "[alerts][service]") {
  ServiceFixture f;
  // Another writer got there first: the same condition is already firing in the store.
  AlertRecord theirs;
  theirs.id = "alt_theirs";
  theirs.fingerprint = master::alertFingerprint("pod_crash_loop", "prod",
                                                "Pod/message-pod-crashloop-backoff/init-demo");
  theirs.rule = "pod_crash_loop";
  theirs.severity = "warning";
  theirs.cluster_id = "prod";
  theirs.first_seen = theirs.last_seen = nowMs(f.clock);
  theirs.count = 1;
  REQUIRE_OK(f.store.store().write([&](auto& tx) { return tx.alerts().insert(theirs); }));

  auto failed = f.service.evaluateSnapshot(observe(withPods("prod", {kCrashPod})));
  REQUIRE_FALSE(failed.isOk());
  CHECK(failed.status().code() == ErrorCode::kConflict);
  CHECK(f.notifier.changes.empty());

  f.clock.advance(std::chrono::seconds(30));
  auto next = f.evaluate(withPods("prod", {kCrashPod}));
  REQUIRE(next.size() == 1);
  CHECK(next[0].kind == Kind::kUpdated);
  CHECK(next[0].alert.id == "alt_theirs");
  CHECK(f.list({}).size() == 1);
}

TEST_CASE("resolved alerts past their retention are deleted on the liveness tick",
          "[alerts][service]") {
  master::AlertServiceOptions options;
  options.retention = std::chrono::hours(24);
  ServiceFixture f(allRules(), options);
  auto fired = f.evaluate(withPods("prod", {kCrashPod}));
  REQUIRE(fired.size() == 1);
  REQUIRE(f.evaluate(withPods("prod", {})).size() == 1);
  REQUIRE_OK(f.service.evaluateLiveness());  // prunes nothing yet
  CHECK(f.service.get(fired[0].alert.id).isOk());

  f.clock.advance(std::chrono::hours(24) + std::chrono::milliseconds(1));
  REQUIRE_OK(f.service.evaluateLiveness());
  auto gone = f.service.get(fired[0].alert.id);
  REQUIRE_FALSE(gone.isOk());
  CHECK(gone.status().code() == ErrorCode::kNotFound);
}

}  // namespace corral::testing
