// The repositories over a fake K8sClient that answers with the recorded fixture Lists.

#include <algorithm>
#include <catch2/catch.hpp>

#include "agent/repository/resource_repository.h"
#include "agent/sdk/rest_k8s_client.h"
#include "tests/agent/support/fake_k8s_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_transport.h"

namespace corral::agent {
namespace {

using testing::FakeK8sClient;
using testing::fixtureItems;

const std::vector<std::string> kPodFiles = {
    "pods/default.json",
    "pods/other.json",
    "pods/message-pod-crashloop-backoff.json",
    "pods/message-pod-init-crashloop-backoff.json",
    "pods/message-image-pull-fail.json",
    "pods/message-pending-pod-resources.json",
    "pods/message-pending-node-affinity.json",
    "pods/message-oomkill-pod.json",
    "pods/message-container-creating-failed-mount.json",
};

template <typename T>
std::vector<std::string> names(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const T& item : items) {
    out.push_back(item.meta.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("the pod repository lists pods cluster-wide and converts them", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/pods", fixtureItems(kPodFiles));
  auto pods = makePodRepository(client)->list(Scope{});
  REQUIRE(pods.isOk());
  CHECK(pods->size() == 9);
  CHECK(client.listedPaths() == std::vector<std::string>{"/api/v1/pods"});
  auto crash = std::find_if(pods->begin(), pods->end(),
                            [](const model::Pod& p) { return p.meta.name == "init-demo"; });
  REQUIRE(crash != pods->end());
  CHECK(crash->reason == "CrashLoopBackOff");
  CHECK(crash->restarts == 4);
}

TEST_CASE("included namespaces are listed one by one", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/pods", fixtureItems(kPodFiles));
  Scope scope;
  scope.include_namespaces = {"other", "default", "other"};
  auto pods = makePodRepository(client)->list(scope);
  REQUIRE(pods.isOk());
  CHECK(names(*pods) ==
        std::vector<std::string>{"other-pod-75b66db9b9-nqhp8", "random-pod-75b66db9b9-nqhp8"});
  CHECK(client.listedPaths() == std::vector<std::string>{"/api/v1/namespaces/default/pods",
                                                         "/api/v1/namespaces/other/pods"});
}

TEST_CASE("excluded namespaces are dropped from a cluster-wide list", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/apis/apps/v1/deployments",
                  fixtureItems(std::vector<std::string>{"deployments/default.json",
                                                        "deployments/kube-system.json",
                                                        "deployments/monitoring.json"}));
  Scope scope;
  scope.exclude_namespaces = {"kube-system", "monitoring"};
  auto deployments = makeDeploymentRepository(client)->list(scope);
  REQUIRE(deployments.isOk());
  CHECK(names(*deployments) == std::vector<std::string>{"kotsadm-api", "kotsadm-operator",
                                                        "kotsadm-postgres-watch", "kotsadm-web"});
  CHECK(client.listedPaths() == std::vector<std::string>{"/apis/apps/v1/deployments"});
}

TEST_CASE("an excluded namespace is not listed even when included", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/apis/apps/v1/deployments",
                  fixtureItems(std::vector<std::string>{"deployments/default.json",
                                                        "deployments/kube-system.json"}));
  Scope scope;
  scope.include_namespaces = {"default", "kube-system"};
  scope.exclude_namespaces = {"kube-system"};
  auto deployments = makeDeploymentRepository(client)->list(scope);
  REQUIRE(deployments.isOk());
  CHECK(deployments->size() == 4);
  CHECK(client.listedPaths() ==
        std::vector<std::string>{"/apis/apps/v1/namespaces/default/deployments"});
}

TEST_CASE("nodes are cluster-scoped: a namespace scope does not filter them",
          "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/nodes", fixtureItems("nodes.json"));
  Scope scope;
  scope.include_namespaces = {"default"};
  scope.exclude_namespaces = {"kube-system"};
  auto nodes = makeNodeRepository(client)->list(scope);
  REQUIRE(nodes.isOk());
  CHECK(nodes->size() == 7);
  CHECK(client.listedPaths() == std::vector<std::string>{"/api/v1/nodes"});
}

TEST_CASE("namespaces are filtered by their own name", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/namespaces",
                  fixtureItems("support-bundle/cluster-resources/namespaces.json"));
  Scope scope;
  scope.exclude_namespaces = {"kube-public", "kube-node-lease"};
  auto namespaces = makeNamespaceRepository(client)->list(scope);
  REQUIRE(namespaces.isOk());
  CHECK(names(*namespaces) ==
        std::vector<std::string>{"default", "kube-system", "local-path-storage"});

  scope = Scope{};
  scope.include_namespaces = {"default"};
  namespaces = makeNamespaceRepository(client)->list(scope);
  REQUIRE(namespaces.isOk());
  CHECK(names(*namespaces) == std::vector<std::string>{"default"});
  CHECK(client.listedPaths().back() == "/api/v1/namespaces");
}

TEST_CASE("a failed list is an error that names the path", "[agent][repository]") {
  FakeK8sClient client;
  client.setError("/api/v1/pods",
                  permissionDenied("Forbidden: pods is forbidden: User \"system:serviceaccount:"
                                   "corral:agent\" cannot list resource \"pods\" (HTTP 403)"));
  auto pods = makePodRepository(client)->list(Scope{});
  REQUIRE_FALSE(pods.isOk());
  CHECK(pods.status().code() == ErrorCode::kPermissionDenied);
  CHECK(pods.status().message().starts_with("list /api/v1/pods: Forbidden: pods is forbidden"));
}

TEST_CASE("one failing namespace fails the kind", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/pods", fixtureItems(kPodFiles));
  client.setError("/api/v1/namespaces/other/pods", permissionDenied("Forbidden (HTTP 403)"));
  Scope scope;
  scope.include_namespaces = {"default", "other"};
  auto pods = makePodRepository(client)->list(scope);
  REQUIRE_FALSE(pods.isOk());
  CHECK(pods.status().message() == "list /api/v1/namespaces/other/pods: Forbidden (HTTP 403)");
}

TEST_CASE("a namespace name that is not a DNS label is refused before any request",
          "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/pods", fixtureItems(kPodFiles));
  for (const char* bad : {"../secrets", "Default", "a/b", "ns?watch=1", "-x", ""}) {
    INFO(bad);
    Scope scope;
    scope.include_namespaces = {bad};
    auto pods = makePodRepository(client)->list(scope);
    REQUIRE_FALSE(pods.isOk());
    CHECK(pods.status().code() == ErrorCode::kInvalidArgument);
  }
  CHECK(client.listedPaths().empty());
}

TEST_CASE("items that are not objects are skipped", "[agent][repository]") {
  FakeK8sClient client;
  std::vector<Json> items = fixtureItems("pods/default.json");
  items.emplace_back(nullptr);
  items.emplace_back("garbage");
  items.push_back(Json::object());
  client.setItems("/api/v1/pods", items);
  auto pods = makePodRepository(client)->list(Scope{});
  REQUIRE(pods.isOk());
  CHECK(pods->size() == 2);
}

TEST_CASE("each kind is listed at its API path", "[agent][repository]") {
  FakeK8sClient client;
  Repositories r = makeK8sRepositories(client);
  Scope all;
  CHECK(r.pods->list(all).isOk() == false);  // nothing set: the fake answers 404
  (void)r.nodes->list(all);
  (void)r.deployments->list(all);
  (void)r.replica_sets->list(all);
  (void)r.stateful_sets->list(all);
  (void)r.daemon_sets->list(all);
  (void)r.services->list(all);
  (void)r.events->list(all);
  (void)r.config_maps->list(all);
  (void)r.ingresses->list(all);
  (void)r.namespaces->list(all);
  CHECK(client.listedPaths() == std::vector<std::string>{
                                    "/api/v1/pods",
                                    "/api/v1/nodes",
                                    "/apis/apps/v1/deployments",
                                    "/apis/apps/v1/replicasets",
                                    "/apis/apps/v1/statefulsets",
                                    "/apis/apps/v1/daemonsets",
                                    "/api/v1/services",
                                    "/api/v1/events",
                                    "/api/v1/configmaps",
                                    "/apis/networking.k8s.io/v1/ingresses",
                                    "/api/v1/namespaces",
                                });
}

TEST_CASE("the config map repository returns key names without values", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/configmaps",
                  fixtureItems("support-bundle/cluster-resources/configmaps/kube-public.json"));
  auto maps = makeConfigMapRepository(client)->list(Scope{});
  REQUIRE(maps.isOk());
  REQUIRE(maps->size() == 1);
  CHECK(maps->at(0).data_keys == std::vector<std::string>{"ca.crt"});
  CHECK(Json(maps->at(0)).dump().find("CERTIFICATE") == std::string::npos);
}

TEST_CASE("events and replica sets list through their repositories", "[agent][repository]") {
  FakeK8sClient client;
  client.setItems("/api/v1/events", fixtureItems(std::vector<std::string>{
                                        "events/message-image-pull-fail.json",
                                        "events/message-pod-init-crashloop-backoff.json",
                                        "events/message-container-creating-failed-mount.json"}));
  client.setItems("/apis/apps/v1/replicasets",
                  fixtureItems(std::vector<std::string>{"replicasets/default.json",
                                                        "replicasets/rook-ceph.json"}));
  Scope scope;
  scope.include_namespaces = {"message-image-pull-fail"};
  auto events = makeEventRepository(client)->list(scope);
  REQUIRE(events.isOk());
  CHECK(events->size() == 17);
  auto sets = makeReplicaSetRepository(client)->list(Scope{});
  REQUIRE(sets.isOk());
  CHECK(sets->size() == 14);
}

TEST_CASE("a namespace's list restarted after an expired token keeps only its new pass",
          "[agent][repository]") {
  corral::testing::FakeTransport transport;
  corral::testing::FakeClock clock;
  clock.setAutoAdvance(true);
  RestK8sClient client(transport, clock,
                       K8sEndpoint{"https://k8s", "token", "", std::chrono::seconds(5)});
  auto page = [](const std::string& ns, const std::vector<std::string>& pods,
                 const std::string& next) {
    Json items = Json::array();
    for (const std::string& name : pods) {
      items.push_back({{"metadata", {{"name", name}, {"namespace", ns}}}});
    }
    return Json{{"kind", "PodList"},
                {"apiVersion", "v1"},
                {"metadata", {{"continue", next}}},
                {"items", items}}
        .dump();
  };
  transport.respond(200, page("a", {"a1"}, ""));
  transport.respond(200, page("b", {"stale"}, "old"));
  transport.respond(410, R"({"kind":"Status","status":"Failure","reason":"Expired","code":410})");
  transport.respond(200, page("b", {"b1"}, "new"));
  transport.respond(200, page("b", {"b2"}, ""));
  Scope scope;
  scope.include_namespaces = {"a", "b"};
  auto pods = makePodRepository(client)->list(scope);
  REQUIRE(pods.isOk());
  CHECK(names(*pods) == std::vector<std::string>{"a1", "b1", "b2"});
  CHECK(transport.pending() == 0);
}

}  // namespace
}  // namespace corral::agent
