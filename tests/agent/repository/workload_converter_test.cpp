// Deployments, ReplicaSets and StatefulSets from the recorded Lists. Their items have no kind of
// their own (kubectl's output left it out), so the converters' defaults are exercised too.

#include <algorithm>
#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

template <typename T>
std::vector<T> convertAll(const std::string& file, Result<T> (*convert)(const Json&)) {
  std::vector<T> out;
  const Json list = testing::fixtureFile(file);
  for (const Json& item : list["items"]) {
    Result<T> converted = convert(item);
    REQUIRE(converted.isOk());
    out.push_back(std::move(converted).value());
  }
  return out;
}

template <typename T>
const T& named(const std::vector<T>& items, const std::string& name) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.meta.name == name; });
  REQUIRE(it != items.end());
  return *it;
}

TEST_CASE("deployments carry desired and observed replicas", "[agent][converters][workloads]") {
  auto deployments = convertAll("deployments/default.json", &deploymentFromJson);
  REQUIRE(deployments.size() == 4);
  const model::Deployment& web = named(deployments, "kotsadm-web");
  CHECK(web.meta.kind == "Deployment");  // not in the item: the converter's default
  CHECK(web.meta.ns == "default");
  CHECK(web.meta.uid == "4e657f8a-5edb-498b-9402-1f93f51f5dda");
  CHECK(web.meta.created_at == "2019-11-07T00:34:32Z");
  CHECK(web.replicas == 1);
  CHECK(web.current_replicas == 2);  // a rollout left a second pod
  CHECK(web.ready_replicas == 1);
  CHECK(web.available_replicas == 1);
  CHECK(web.updated_replicas == 1);
  CHECK(web.strategy == "RollingUpdate");
  CHECK(web.selector == model::StringMap{{"app", "kotsadm-web"}});
  CHECK(web.meta.annotations.count("deployment.kubernetes.io/revision") == 1);
  CHECK(web.meta.annotations.count("kubectl.kubernetes.io/last-applied-configuration") == 0);
  REQUIRE(web.conditions.size() == 2);
  CHECK(web.conditions[0].type == "Available");
  CHECK(web.conditions[0].status == "True");
  CHECK(web.conditions[0].reason == "MinimumReplicasAvailable");

  const model::Deployment& watch = named(deployments, "kotsadm-postgres-watch");
  CHECK(watch.meta.owner_kind == "Database");
  CHECK(watch.meta.owner_name == "kotsadm-postgres");
  CHECK(watch.images == std::vector<std::string>{"schemahero/schemahero:alpha"});
}

TEST_CASE("deployments list every image of their pod template", "[agent][converters][workloads]") {
  auto system = convertAll("deployments/kube-system.json", &deploymentFromJson);
  const model::Deployment& coredns = named(system, "coredns");
  CHECK(coredns.replicas == 2);
  CHECK(coredns.ready_replicas == 2);
  CHECK(coredns.selector == model::StringMap{{"k8s-app", "kube-dns"}});
  CHECK(coredns.images == std::vector<std::string>{"k8s.gcr.io/coredns:1.7.0"});

  auto monitoring = convertAll("deployments/monitoring.json", &deploymentFromJson);
  REQUIRE(monitoring.size() == 4);
  const model::Deployment& grafana = named(monitoring, "grafana");
  CHECK(grafana.images ==
        std::vector<std::string>{"quay.io/kiwigrid/k8s-sidecar:1.12.2", "grafana/grafana:8.0.5"});
  CHECK(grafana.meta.labels.at("app.kubernetes.io/managed-by") == "Helm");
}

TEST_CASE("replica sets name the deployment that owns them", "[agent][converters][workloads]") {
  auto sets = convertAll("replicasets/default.json", &replicaSetFromJson);
  REQUIRE(sets.size() == 2);
  const model::ReplicaSet& kotsadm = named(sets, "kotsadm-f98ff7d75");
  CHECK(kotsadm.meta.kind == "ReplicaSet");
  CHECK(kotsadm.meta.owner_kind == "Deployment");
  CHECK(kotsadm.meta.owner_name == "kotsadm");
  CHECK(kotsadm.replicas == 1);
  CHECK(kotsadm.ready_replicas == 1);
  CHECK(kotsadm.selector.at("pod-template-hash") == "f98ff7d75");
  // availableReplicas is absent from this one's status.
  CHECK(named(sets, "kurl-proxy-kotsadm-cf695877c").available_replicas == 0);

  auto rook = convertAll("replicasets/rook-ceph.json", &replicaSetFromJson);
  REQUIRE(rook.size() == 12);
  const model::ReplicaSet& old = named(rook, "rook-ceph-crashcollector-kurl-002-66cc8f5556");
  CHECK(old.replicas == 0);  // scaled down by a newer revision
  CHECK(old.current_replicas == 0);
  CHECK(old.ready_replicas == 0);
  CHECK(old.meta.owner_name == "rook-ceph-crashcollector-kurl-002");
  CHECK(named(rook, "rook-ceph-mds-rook-shared-fs-b-7895f484f5").ready_replicas == 0);
  for (const model::ReplicaSet& rs : rook) {
    CHECK(rs.meta.owner_kind == "Deployment");
    CHECK(rs.meta.name.starts_with(rs.meta.owner_name + "-"));
  }
}

TEST_CASE("stateful sets carry replicas, service and images", "[agent][converters][workloads]") {
  auto postgres = convertAll("statefulsets/default.json", &statefulSetFromJson);
  REQUIRE(postgres.size() == 1);
  const model::StatefulSet& pg = postgres[0];
  CHECK(pg.meta.name == "kotsadm-postgres");
  CHECK(pg.meta.kind == "StatefulSet");
  CHECK(pg.replicas == 1);
  CHECK(pg.current_replicas == 2);
  CHECK(pg.ready_replicas == 1);
  CHECK(pg.updated_replicas == 1);
  CHECK(pg.service_name == "kotsadm-postgres");
  CHECK(pg.images == std::vector<std::string>{"postgres:10.18-alpine"});
  CHECK(pg.meta.owner_kind.empty());

  auto monitoring = convertAll("statefulsets/monitoring.json", &statefulSetFromJson);
  const model::StatefulSet& am = named(monitoring, "alertmanager-prometheus-alertmanager");
  CHECK(am.meta.owner_kind == "Alertmanager");
  CHECK(am.meta.owner_name == "prometheus-alertmanager");
  CHECK(am.service_name == "alertmanager-operated");
  CHECK(am.images.size() == 2);
}

// No recorded DaemonSetList exists in the fixtures; this object follows the apps/v1 DaemonSet
// fields as a server returns them.
TEST_CASE("daemon sets count scheduled, ready and available nodes",
          "[agent][converters][workloads]") {
  Json item = Json::parse(R"({
    "metadata": {"name": "troubleshoot-copyfromhost-4m79m", "namespace": "default",
                 "uid": "ed30f463-4614-41b3-b2b6-52f65e50b1d3",
                 "creationTimestamp": "2023-07-09T23:53:09Z"},
    "spec": {"selector": {"matchLabels": {"app": "copyfromhost"}},
             "template": {"spec": {"containers": [{"name": "collector", "image": "alpine"}]}}},
    "status": {"currentNumberScheduled": 3, "numberMisscheduled": 1, "desiredNumberScheduled": 3,
               "numberReady": 2, "updatedNumberScheduled": 3, "numberAvailable": 2,
               "numberUnavailable": 1, "observedGeneration": 1}
  })");
  model::DaemonSet ds = daemonSetFromJson(item).value();
  CHECK(ds.meta.kind == "DaemonSet");
  CHECK(ds.desired_number_scheduled == 3);
  CHECK(ds.current_number_scheduled == 3);
  CHECK(ds.number_ready == 2);
  CHECK(ds.number_available == 2);
  CHECK(ds.updated_number_scheduled == 3);
  CHECK(ds.number_misscheduled == 1);
  CHECK(ds.selector == model::StringMap{{"app", "copyfromhost"}});
  CHECK(ds.images == std::vector<std::string>{"alpine"});
}

}  // namespace
}  // namespace corral::agent
