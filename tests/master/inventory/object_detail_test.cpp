// One object with what it relates to, over a multiplied real cluster, where deployments own
// replica sets that own pods, services select those pods and events name them.

#include "master/inventory/object_detail.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "master/inventory/label_selector.h"
#include "tests/master/inventory/index_fixture.h"

namespace corral::master {
namespace {

using testing::sampleIndex;

Json describe(const ClusterIndex& index, Kind kind, std::string_view ns, std::string_view name) {
  auto answer = describeObject(index, kind, ns, name);
  INFO(answer.status().message());
  REQUIRE(answer.isOk());
  return Json::parse(*answer);
}

std::set<std::string> namesOf(const Json& list) {
  std::set<std::string> names;
  for (const Json& item : list) {
    names.insert(item["name"].get<std::string>());
  }
  return names;
}

TEST_CASE("a pod comes with its node, owner chain, services and events", "[inventory][detail]") {
  auto index = sampleIndex(30);
  const IndexedObject& pod =
      index->objects(Kind::kPods)[index->namespaceRange(Kind::kPods, "default").first];
  REQUIRE(pod.owner_kind == "ReplicaSet");
  Json d = describe(*index, Kind::kPods, pod.ns, pod.name);
  CHECK(d["cluster_id"] == "sample");
  CHECK(d["kind"] == "pods");
  CHECK(d["object"] == Json::parse(pod.json));
  if (pod.node.empty()) {
    CHECK(d["node"].is_null());
  } else {
    CHECK(d["node"]["name"] == pod.node);
  }
  REQUIRE(d["owners"].size() == 2);
  CHECK(d["owners"][0]["kind"] == "ReplicaSet");
  CHECK(d["owners"][0]["object"]["name"] == pod.owner_name);
  CHECK(d["owners"][1]["kind"] == "Deployment");
  CHECK(d["owners"][1]["object"]["name"] == "kotsadm-api-00001");
  CHECK(namesOf(d["services"]).count("kotsadm-api-00001") == 1);
  for (const Json& service : d["services"]) {
    for (const auto& [k, v] : service["selector"].items()) {
      CHECK(d["object"]["labels"].value(k, "") == v.get<std::string>());
    }
  }
  for (const Json& event : d["events"]) {
    CHECK(event["involved_object"]["name"] == pod.name);
  }
}

TEST_CASE("an owner missing from the snapshot is named without its object", "[inventory][detail]") {
  auto index = sampleIndex(0);
  Json d = describe(*index, Kind::kPods, "message-oomkill-pod", "oom-kill-job3-gbb89");
  REQUIRE(d["owners"].size() == 1);
  CHECK(d["owners"][0]["kind"] == "Job");
  CHECK(d["owners"][0]["name"] == "oom-kill-job3");
  CHECK(d["owners"][0]["object"].is_null());
  CHECK(d["services"].empty());
}

TEST_CASE("a node comes with the pods on it and its events", "[inventory][detail]") {
  auto index = sampleIndex(30);
  Json d = describe(*index, Kind::kNodes, "", "minikube");
  CHECK(d["object"]["name"] == "minikube");
  CHECK(d["pods"].size() == index->podsOnNode("minikube").size());
  for (const Json& pod : d["pods"]) {
    CHECK(pod["node_name"] == "minikube");
  }
  CHECK(d["events"].is_array());
}

TEST_CASE("a deployment comes with its replica sets, pods, services and events",
          "[inventory][detail]") {
  auto index = sampleIndex(30);
  Json d = describe(*index, Kind::kDeployments, "default", "kotsadm-api-00001");
  REQUIRE(d["replicasets"].size() == 1);
  CHECK(d["replicasets"][0]["owner_name"] == "kotsadm-api-00001");
  CHECK(d["pods"].size() == 10);
  // Its own service, and random-pod's, which selects the copies of random-pod among its pods.
  CHECK(namesOf(d["services"]) == std::set<std::string>{"kotsadm-api-00001", "random-pod"});
  std::set<std::string> pods = namesOf(d["pods"]);
  for (const Json& event : d["events"]) {
    CHECK(pods.count(event["involved_object"]["name"].get<std::string>()) == 1);
  }
  CHECK_FALSE(d["events"].empty());
}

TEST_CASE("a service comes with the pods it selects and the ingresses in front of it",
          "[inventory][detail]") {
  auto index = sampleIndex(30);
  Json d = describe(*index, Kind::kServices, "default", "random-pod");
  REQUIRE_FALSE(d["pods"].empty());
  for (const Json& pod : d["pods"]) {
    CHECK(pod["labels"]["app.kubernetes.io/appname"] == "random-pod");
  }
  REQUIRE(d["ingresses"].size() == 1);
  CHECK(d["ingresses"][0]["name"] == "random-pod");
  Json none = describe(*index, Kind::kServices, "default", "kubernetes");
  CHECK(none["pods"].empty());  // no selector, no pods
  Json ingress = describe(*index, Kind::kIngresses, "default", "random-pod");
  CHECK(namesOf(ingress["services"]) == std::set<std::string>{"random-pod"});
}

TEST_CASE("a namespace comes with what it holds", "[inventory][detail]") {
  auto index = sampleIndex(30);
  Json d = describe(*index, Kind::kNamespaces, "", "default");
  CHECK(d["counts"]["pods"] == 10);
}

TEST_CASE("an object not in the snapshot is not found, by name", "[inventory][detail]") {
  auto index = sampleIndex(0);
  auto missing = describeObject(*index, Kind::kPods, "default", "ghost");
  REQUIRE_FALSE(missing.isOk());
  CHECK(missing.status().code() == ErrorCode::kNotFound);
  CHECK(missing.status().message().find("default/ghost") != std::string::npos);
  CHECK_FALSE(describeObject(*index, Kind::kNodes, "", "ghost").isOk());
}

}  // namespace
}  // namespace corral::master
