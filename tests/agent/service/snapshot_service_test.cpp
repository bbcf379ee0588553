#include "agent/service/snapshot_service.h"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "common/time_format.h"
#include "tests/agent/service/fake_cluster.h"
#include "tests/support/fake_clock.h"

namespace corral::agent {
namespace {

using model::ResourceKind;
using testing::FakeK8sClient;

// The service over the real repositories, a fake API serving the fixtures and a fake clock.
struct Harness {
  FakeK8sClient client;
  corral::testing::FakeClock clock;
  Repositories repositories = makeK8sRepositories(client);
  int64_t counter = 0;

  Harness() { testing::serveFixtureCluster(client); }

  std::unique_ptr<SnapshotService> service(SnapshotOptions options = {}) {
    if (options.cluster_id.empty()) {
      options.cluster_id = "chart-testing";
    }
    return makeSnapshotService(
        repositories, clock, [this] { return ++counter; }, std::move(options));
  }
};

TEST_CASE("a snapshot holds every kind by default", "[agent][service][snapshot]") {
  Harness h;
  model::ClusterSnapshot s = h.service()->collect();
  CHECK(s.cluster_id == "chart-testing");
  CHECK(s.errors.empty());
  CHECK(s.collected.size() == 11);
  CHECK(s.resources.pods.size() == 9);
  CHECK(s.resources.nodes.size() == 7);
  CHECK(s.resources.deployments.size() == 10);
  CHECK(s.resources.replica_sets.size() == 14);
  CHECK(s.resources.stateful_sets.size() == 3);
  CHECK(s.resources.daemon_sets.empty());
  CHECK(s.resources.services.empty());
  CHECK(s.resources.events.size() == 110);
  CHECK(s.resources.config_maps.size() == 1);
  CHECK(s.resources.ingresses.empty());
  CHECK(s.resources.namespaces.size() == 5);

  Json resources = model::toJson(s)["resources"];
  CHECK(resources.size() == 11);
  CHECK(resources["daemonsets"] == Json::array());
  CHECK(resources["configmaps"][0]["data_keys"] == Json{"ca.crt"});
}

TEST_CASE("the summary is computed from the collected objects", "[agent][service][snapshot]") {
  Harness h;
  model::SnapshotSummary summary = h.service()->collect().summary;
  CHECK(summary.nodes_ready == 7);
  CHECK(summary.nodes_not_ready == 0);
  CHECK(summary.pods_by_phase ==
        std::map<std::string, int64_t>{
            {"Running", 3}, {"Pending", 5}, {"Succeeded", 0}, {"Failed", 1}, {"Unknown", 0}});
  CHECK(summary.pods_with_problems == 6);
  CHECK(summary.pod_problems == std::map<std::string, int64_t>{{"CrashLoopBackOff", 1},
                                                               {"ErrImagePull", 1},
                                                               {"OOMKilled", 1},
                                                               {"RunContainerError", 1},
                                                               {"Unschedulable", 2}});
  // kotsadm-web, metrics-server and prometheus-operator each have 2 pods of which 1 is ready.
  CHECK(summary.deployments_healthy == 7);
  CHECK(summary.deployments_unhealthy == 3);
  CHECK(summary.warning_events == 36);
  CHECK(summary.totals == std::map<std::string, int64_t>{{"pods", 9},
                                                         {"nodes", 7},
                                                         {"deployments", 10},
                                                         {"replicasets", 14},
                                                         {"statefulsets", 3},
                                                         {"daemonsets", 0},
                                                         {"services", 0},
                                                         {"events", 110},
                                                         {"configmaps", 1},
                                                         {"ingresses", 0},
                                                         {"namespaces", 5}});
}

TEST_CASE("a kind that fails is recorded while the others are reported",
          "[agent][service][snapshot]") {
  Harness h;
  h.client.setError(
      "/api/v1/nodes",
      permissionDenied("Forbidden: nodes is forbidden: User "
                       "\"system:serviceaccount:corral:agent\" cannot list resource "
                       "\"nodes\" in API group \"\" at the cluster scope (HTTP 403)"));
  model::ClusterSnapshot s = h.service()->collect();
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors.at("nodes").starts_with("list /api/v1/nodes: Forbidden: nodes is forbidden"));
  CHECK(s.collected.count(ResourceKind::kNodes) == 0);
  CHECK(s.collected.size() == 10);
  CHECK(s.resources.pods.size() == 9);
  CHECK(s.summary.nodes_ready == 0);
  CHECK(s.summary.totals.count("nodes") == 0);

  proto::SnapshotEnvelope envelope = model::toEnvelope(s);
  CHECK_FALSE(envelope.resources.contains("nodes"));
  CHECK(envelope.resources["pods"].size() == 9);
  CHECK(envelope.errors["nodes"].get<std::string>().find("forbidden") != std::string::npos);
}

TEST_CASE("an API the cluster does not serve is recorded as that kind's error",
          "[agent][service][snapshot]") {
  Harness h;
  h.client.setError("/apis/networking.k8s.io/v1/ingresses",
                    notFound("NotFound: the server could not find the requested resource "
                             "(HTTP 404)"));
  h.client.setError("/api/v1/events", unavailable("ServiceUnavailable (HTTP 503)"));
  model::ClusterSnapshot s = h.service()->collect();
  CHECK(s.errors.size() == 2);
  CHECK(s.errors.count("ingresses") == 1);
  CHECK(s.errors.count("events") == 1);
  CHECK(s.summary.warning_events == 0);
  CHECK(s.collected.size() == 9);
}

TEST_CASE("every kind failing still yields a snapshot", "[agent][service][snapshot]") {
  FakeK8sClient client;  // serves nothing: every list is a 404
  corral::testing::FakeClock clock;
  Repositories repositories = makeK8sRepositories(client);
  auto service = makeSnapshotService(repositories, clock, [] { return 1; }, {});
  model::ClusterSnapshot s = service->collect();
  CHECK(s.errors.size() == 11);
  CHECK(s.collected.empty());
  CHECK(s.version == 1);
  CHECK(model::toJson(s)["resources"] == Json::object());
}

TEST_CASE("a kind without a repository, or whose repository throws, is an error",
          "[agent][service][snapshot]") {
  struct ThrowingNodes final : NodeRepository {
    Result<std::vector<model::Node>> list(const Scope& /*scope*/) override {
      throw std::runtime_error("boom");
    }
  };
  Harness h;
  h.repositories.pods.reset();
  h.repositories.nodes = std::make_unique<ThrowingNodes>();
  model::ClusterSnapshot s = h.service()->collect();
  CHECK(s.errors.at("pods") == "no repository for this kind");
  CHECK(s.errors.at("nodes") == "internal error: boom");
  CHECK(s.collected.size() == 9);
}

TEST_CASE("versions come from the injected counter and only grow", "[agent][service][snapshot]") {
  Harness h;
  h.counter = 41;
  auto service = h.service();
  CHECK(service->collect().version == 42);
  CHECK(service->collect().version == 43);

  // A counter that goes back (a lost write, a restored file) cannot make a version repeat.
  std::vector<int64_t> offered = {10, 3, 3, 20};
  size_t next = 0;
  auto guarded =
      makeSnapshotService(h.repositories, h.clock, [&] { return offered.at(next++); }, {});
  CHECK(guarded->collect().version == 10);
  CHECK(guarded->collect().version == 11);
  CHECK(guarded->collect().version == 12);
  CHECK(guarded->collect().version == 20);
}

TEST_CASE("fetched_at is the clock's wall time", "[agent][service][snapshot]") {
  Harness h;
  auto service = h.service();
  model::ClusterSnapshot first = service->collect();
  CHECK(first.fetched_at == h.clock.wallNow());
  CHECK(model::toEnvelope(first).fetched_at == "2026-01-01T00:00:00.000Z");
  h.clock.advance(std::chrono::seconds(30));
  CHECK(model::toEnvelope(service->collect()).fetched_at == "2026-01-01T00:00:30.000Z");
}

TEST_CASE("lists run in parallel, never more than max_in_flight at once",
          "[agent][service][snapshot]") {
  for (int limit : {4, 2, 8}) {
    INFO("max_in_flight " << limit);
    Harness h;
    // Each list waits until `limit` run at once: a service that ran fewer would never get there.
    h.client.holdUntilInFlight(limit);
    SnapshotOptions options;
    options.max_in_flight = limit;
    model::ClusterSnapshot s = h.service(options)->collect();
    CHECK_FALSE(h.client.holdTimedOut());
    CHECK(h.client.maxInFlight() == limit);
    CHECK(s.errors.empty());
    CHECK(h.client.listedPaths().size() == 11);
  }
}

TEST_CASE("a limit of one (or less) lists one kind at a time", "[agent][service][snapshot]") {
  for (int limit : {1, 0, -3}) {
    Harness h;
    SnapshotOptions options;
    options.max_in_flight = limit;
    model::ClusterSnapshot s = h.service(options)->collect();
    CHECK(h.client.maxInFlight() == 1);
    CHECK(s.collected.size() == 11);
  }
}

TEST_CASE("per-namespace lists stay within max_in_flight too", "[agent][service][snapshot]") {
  Harness h;
  h.client.holdUntilInFlight(3);
  SnapshotOptions options;
  options.max_in_flight = 3;
  options.scope.include_namespaces = {"default", "kube-system", "monitoring", "rook-ceph"};
  model::ClusterSnapshot s = h.service(options)->collect();
  CHECK_FALSE(h.client.holdTimedOut());
  CHECK(h.client.maxInFlight() == 3);
  CHECK(s.errors.empty());
  CHECK(h.client.listedPaths().size() == 9 * 4 + 2);  // namespaced kinds once per namespace
}

TEST_CASE("included namespaces limit what is collected", "[agent][service][snapshot]") {
  Harness h;
  SnapshotOptions options;
  options.scope.include_namespaces = {"default"};
  model::ClusterSnapshot s = h.service(options)->collect();
  REQUIRE(s.resources.pods.size() == 1);
  CHECK(s.resources.pods[0].meta.name == "random-pod-75b66db9b9-nqhp8");
  CHECK(s.resources.deployments.size() == 4);
  CHECK(s.resources.replica_sets.size() == 2);
  CHECK(s.resources.stateful_sets.size() == 1);
  CHECK(s.resources.events.empty());
  CHECK(s.resources.nodes.size() == 7);  // cluster-scoped
  REQUIRE(s.resources.namespaces.size() == 1);
  CHECK(s.resources.namespaces[0].meta.name == "default");
  CHECK(s.summary.pods_with_problems == 0);
  CHECK(s.summary.deployments_unhealthy == 1);  // kotsadm-web
  std::vector<std::string> paths = h.client.listedPaths();
  CHECK(std::count(paths.begin(), paths.end(), "/api/v1/namespaces/default/pods") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "/api/v1/pods") == 0);
}

TEST_CASE("excluded namespaces are left out", "[agent][service][snapshot]") {
  Harness h;
  SnapshotOptions options;
  options.scope.exclude_namespaces = {"kube-system", "monitoring", "message-oomkill-pod",
                                      "message-pod-crashloop-backoff"};
  model::ClusterSnapshot s = h.service(options)->collect();
  CHECK(s.resources.pods.size() == 7);
  CHECK(s.resources.deployments.size() == 4);
  CHECK(s.resources.stateful_sets.size() == 1);
  CHECK(s.resources.namespaces.size() == 4);  // kube-system is a namespace too
  CHECK(s.summary.pods_by_phase.at("Failed") == 0);
  CHECK(s.summary.pod_problems.count("CrashLoopBackOff") == 0);
  CHECK(s.summary.deployments_unhealthy == 1);
}

TEST_CASE("only the configured kinds are collected, repeats ignored",
          "[agent][service][snapshot]") {
  Harness h;
  SnapshotOptions options;
  options.kinds = {ResourceKind::kPods, ResourceKind::kNodes, ResourceKind::kPods};
  model::ClusterSnapshot s = h.service(options)->collect();
  CHECK(s.collected == std::set<ResourceKind>{ResourceKind::kPods, ResourceKind::kNodes});
  CHECK(h.client.listedPaths().size() == 2);
  CHECK(s.resources.deployments.empty());
  CHECK(s.summary.totals == std::map<std::string, int64_t>{{"pods", 9}, {"nodes", 7}});
  Json resources = model::toJson(s)["resources"];
  CHECK(resources.size() == 2);
  CHECK_FALSE(resources.contains("deployments"));  // not asked for, not "none"
}

}  // namespace
}  // namespace corral::agent
