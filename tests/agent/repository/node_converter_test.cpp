// Nodes from the recorded NodeLists (tests/fixtures/k8s/troubleshoot/nodes.json and the support
// bundle's): conditions, capacity, versions and roles as three real clusters reported them.

#include <algorithm>
#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

std::vector<model::Node> nodesOf(const std::string& file) {
  std::vector<model::Node> nodes;
  const Json list = testing::fixtureFile(file);
  for (const Json& item : list["items"]) {
    Result<model::Node> node = nodeFromJson(item);
    REQUIRE(node.isOk());
    nodes.push_back(std::move(node).value());
  }
  return nodes;
}

const model::Node& named(const std::vector<model::Node>& nodes, const std::string& name) {
  auto it = std::find_if(nodes.begin(), nodes.end(),
                         [&](const model::Node& n) { return n.meta.name == name; });
  REQUIRE(it != nodes.end());
  return *it;
}

TEST_CASE("nodes carry their conditions, pressure flags and readiness",
          "[agent][converters][node]") {
  std::vector<model::Node> nodes = nodesOf("nodes.json");
  REQUIRE(nodes.size() == 7);
  CHECK(std::all_of(nodes.begin(), nodes.end(), [](const model::Node& n) { return n.ready; }));

  const model::Node& marc = named(nodes, "repldev-marc");
  CHECK(marc.meta.kind == "Node");
  CHECK(marc.meta.ns.empty());
  CHECK(marc.meta.uid == "cd30c57f-b445-437f-9473-f13343124030");
  REQUIRE(marc.conditions.size() == 4);
  CHECK(marc.conditions[0].type == "MemoryPressure");
  CHECK(marc.conditions[0].status == "False");
  CHECK(marc.conditions[0].reason == "KubeletHasSufficientMemory");
  CHECK(marc.conditions[3].type == "Ready");
  CHECK(marc.conditions[3].status == "True");
  CHECK(marc.conditions[3].reason == "KubeletReady");
  CHECK_FALSE(marc.memory_pressure);
  CHECK_FALSE(marc.disk_pressure);
  CHECK_FALSE(marc.pid_pressure);

  const model::Node& big = named(nodes, "biggernode-3i745");
  REQUIRE(big.conditions.size() == 5);
  CHECK(big.conditions[0].type == "NetworkUnavailable");
  CHECK(big.conditions[0].reason == "CiliumIsUp");
  CHECK_FALSE(big.network_unavailable);
}

TEST_CASE("nodes carry capacity, allocatable and what runs them", "[agent][converters][node]") {
  std::vector<model::Node> nodes = nodesOf("nodes.json");
  const model::Node& marc = named(nodes, "repldev-marc");
  CHECK(marc.capacity.at("cpu") == "8");
  CHECK(marc.capacity.at("memory") == "30873004Ki");
  CHECK(marc.capacity.at("pods") == "110");
  CHECK(marc.allocatable.at("memory") == "30770604Ki");
  CHECK(marc.kubelet_version == "v1.16.2");
  CHECK(marc.os_image == "Ubuntu 18.04.2 LTS");
  CHECK(marc.container_runtime == "containerd://1.2.5");
  CHECK(marc.architecture == "amd64");
  REQUIRE(marc.addresses.size() == 2);
  CHECK(marc.addresses[0].type == "InternalIP");
  CHECK(marc.addresses[0].address == "10.168.0.26");
  CHECK(marc.taints.empty());
  CHECK_FALSE(marc.unschedulable);
  CHECK(marc.roles.empty());

  const model::Node& small = named(nodes, "smallnode-3i74t");
  CHECK(small.kubelet_version == "v1.19.3");
  CHECK(small.container_runtime == "docker://19.3.13");
  CHECK(small.allocatable.at("memory") == "1574Mi");

  const model::Node& gpu = named(nodes, "ip-172-31-21-92");
  CHECK(gpu.kubelet_version == "v1.29.11");
  CHECK(gpu.os_image == "Ubuntu 22.04.5 LTS");
  CHECK(gpu.capacity.at("nvidia.com/gpu") == "1");
  CHECK(gpu.roles == std::vector<std::string>{"control-plane", "master"});
}

TEST_CASE("the support bundle's nodes convert alike", "[agent][converters][node]") {
  std::vector<model::Node> nodes = nodesOf("support-bundle/cluster-resources/nodes.json");
  CHECK(nodes.size() == 6);
  CHECK(named(nodes, "pool-yd23sqk7u-3i7v3").kubelet_version == "v1.19.3");
}

TEST_CASE("taints, cordons, pressure and the legacy role label are read",
          "[agent][converters][node]") {
  Json item = testing::fixtureFile("nodes.json")["items"][0];
  item["spec"]["taints"] =
      Json::array({{{"key", "node.kubernetes.io/disk-pressure"}, {"effect", "NoSchedule"}},
                   {{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoExecute"}}});
  item["spec"]["unschedulable"] = true;
  item["status"]["conditions"][1]["status"] = "True";     // DiskPressure
  item["status"]["conditions"][3]["status"] = "Unknown";  // Ready: the kubelet stopped posting
  item["metadata"]["labels"]["kubernetes.io/role"] = "worker";
  model::Node node = nodeFromJson(item).value();
  REQUIRE(node.taints.size() == 2);
  CHECK(node.taints[0].key == "node.kubernetes.io/disk-pressure");
  CHECK(node.taints[0].value.empty());
  CHECK(node.taints[1].value == "gpu");
  CHECK(node.taints[1].effect == "NoExecute");
  CHECK(node.unschedulable);
  CHECK(node.disk_pressure);
  CHECK_FALSE(node.ready);
  CHECK(node.roles == std::vector<std::string>{"worker"});
}

}  // namespace
}  // namespace corral::agent
