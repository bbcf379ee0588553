// ConfigMaps and Namespaces from the support bundle's recorded Lists.

#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

TEST_CASE("a config map keeps its key names and never its values", "[agent][converters][config]") {
  Json list = testing::fixtureFile("support-bundle/cluster-resources/configmaps/kube-public.json");
  REQUIRE(list["items"].size() == 1);
  const Json& item = list["items"][0];
  REQUIRE(item["data"]["ca.crt"].get<std::string>().find("BEGIN CERTIFICATE") != std::string::npos);

  model::ConfigMap cm = configMapFromJson(item).value();
  CHECK(cm.meta.name == "kube-root-ca.crt");
  CHECK(cm.meta.ns == "kube-public");
  CHECK(cm.meta.kind == "ConfigMap");
  CHECK(cm.meta.uid == "37a912b2-a666-480f-a1a8-05ab012432e4");
  CHECK(cm.data_keys == std::vector<std::string>{"ca.crt"});
  CHECK(cm.binary_data_keys.empty());
  CHECK(cm.meta.annotations.count("kubernetes.io/description") == 1);

  std::string wire = Json(cm).dump();
  CHECK(wire.find("ca.crt") != std::string::npos);
  CHECK(wire.find("BEGIN CERTIFICATE") == std::string::npos);
  CHECK(wire.find("MIIDBjCC") == std::string::npos);
}

TEST_CASE("a config map's values stay out even when kubectl apply copied them",
          "[agent][converters][config]") {
  Json item = Json::parse(R"({
    "kind": "ConfigMap",
    "metadata": {"name": "app", "namespace": "shop", "annotations": {
      "kubectl.kubernetes.io/last-applied-configuration":
        "{\"apiVersion\":\"v1\",\"data\":{\"DB_PASSWORD\":\"hunter2\"},\"kind\":\"ConfigMap\"}",
      "team": "payments"}},
    "data": {"DB_PASSWORD": "hunter2", "LOG_LEVEL": "debug"},
    "binaryData": {"logo.png": "iVBORw0KGgo="},
    "immutable": true
  })");
  model::ConfigMap cm = configMapFromJson(item).value();
  CHECK(cm.data_keys == std::vector<std::string>{"DB_PASSWORD", "LOG_LEVEL"});
  CHECK(cm.binary_data_keys == std::vector<std::string>{"logo.png"});
  CHECK(cm.immutable);
  CHECK(cm.meta.annotations == model::StringMap{{"team", "payments"}});
  std::string wire = Json(cm).dump();
  CHECK(wire.find("hunter2") == std::string::npos);
  CHECK(wire.find("debug") == std::string::npos);
  CHECK(wire.find("iVBORw0KGgo") == std::string::npos);
}

TEST_CASE("namespaces carry their phase", "[agent][converters][config]") {
  Json list = testing::fixtureFile("support-bundle/cluster-resources/namespaces.json");
  std::vector<model::Namespace> namespaces;
  for (const Json& item : list["items"]) {
    namespaces.push_back(namespaceFromJson(item).value());
  }
  REQUIRE(namespaces.size() == 5);
  CHECK(namespaces[0].meta.name == "default");
  CHECK(namespaces[0].meta.kind == "Namespace");
  CHECK(namespaces[0].meta.ns.empty());
  CHECK(namespaces[0].phase == "Active");
  CHECK(namespaces[0].meta.labels.at("kubernetes.io/metadata.name") == "default");
  CHECK(namespaces[4].meta.name == "local-path-storage");
  CHECK(namespaces[4].phase == "Failed");  // edited by the fixture's authors, see SOURCES.md
  CHECK(namespaces[4].meta.annotations.empty());
}

}  // namespace
}  // namespace corral::agent
