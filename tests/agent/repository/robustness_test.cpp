// The converters must take anything a server, a proxy or a bug could hand them: every recorded
// fixture, empty and null objects, fields of the wrong type, and fixtures with random parts cut
// out or swapped for other types. None of it may crash or throw.

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "tests/agent/repository/convert_by_kind.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

using testing::convertersByKind;

struct FixtureFile {
  std::string path;  // relative to troubleshoot/
  std::string kind;  // the List's item kind ("Pod")
  Json list;
};

std::vector<FixtureFile> allFixtureFiles() {
  std::filesystem::path root = std::filesystem::path(CORRAL_K8S_FIXTURES) / "troubleshoot";
  std::vector<FixtureFile> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      FixtureFile f;
      f.path = std::filesystem::relative(entry.path(), root).string();
      f.list = testing::fixtureFile(f.path);
      f.kind = f.list.value("kind", "");
      if (f.kind.ends_with("List")) {
        f.kind.resize(f.kind.size() - 4);
      }
      files.push_back(std::move(f));
    }
  }
  std::sort(files.begin(), files.end(),
            [](const FixtureFile& a, const FixtureFile& b) { return a.path < b.path; });
  return files;
}

// Converts with every converter and serialises each result, as the snapshot would.
void convertWithAll(const Json& item) {
  for (const auto& [kind, convert] : convertersByKind()) {
    std::optional<Json> converted = convert(item);
    if (converted) {
      CHECK_NOTHROW(converted->dump());
    }
  }
}

TEST_CASE("every item of every fixture file converts with its kind's converter",
          "[agent][converters][robustness]") {
  std::vector<FixtureFile> files = allFixtureFiles();
  REQUIRE(files.size() >= 24);
  size_t items = 0;
  for (const FixtureFile& file : files) {
    INFO(file.path);
    REQUIRE(file.list["items"].is_array());
    auto converter = convertersByKind().find(file.kind);
    if (converter == convertersByKind().end()) {
      // PersistentVolumeClaims are not collected; the converters still must not mind them.
      CHECK(file.kind == "PersistentVolumeClaim");
      for (const Json& item : file.list["items"]) {
        convertWithAll(item);
      }
      continue;
    }
    for (const Json& item : file.list["items"]) {
      std::optional<Json> converted = converter->second(item);
      REQUIRE(converted);
      CHECK((*converted)["kind"] == file.kind);
      CHECK((*converted)["name"] == item["metadata"]["name"]);
      CHECK((*converted)["uid"] == item["metadata"]["uid"]);
      CHECK_NOTHROW(converted->dump());
      ++items;
    }
  }
  CHECK(items == 9 + 7 + 6 + 10 + 14 + 3 + 110 + 1 + 5);
}

TEST_CASE("every converter turns an empty object into empty values",
          "[agent][converters][robustness]") {
  for (const auto& [kind, convert] : convertersByKind()) {
    INFO(kind);
    std::optional<Json> converted = convert(Json::object());
    REQUIRE(converted);
    CHECK((*converted)["kind"] == kind);
    CHECK((*converted)["name"] == "");
    CHECK((*converted)["labels"] == Json::object());
  }
  model::Pod pod = podFromJson(Json::object()).value();
  CHECK(pod.ready == "0/0");
  CHECK(pod.restarts == 0);
  CHECK(pod.reason.empty());
  model::Event event = eventFromJson(Json::object()).value();
  CHECK(event.count == 1);
  model::Deployment deployment = deploymentFromJson(Json::object()).value();
  CHECK(deployment.replicas == 0);
}

TEST_CASE("every converter refuses an item that is not an object",
          "[agent][converters][robustness]") {
  for (const auto& [kind, convert] : convertersByKind()) {
    INFO(kind);
    for (const Json& item : {Json(nullptr), Json::array(), Json(42), Json("Pod"), Json(true),
                             Json(1.5), Json::array({Json::object()})}) {
      CHECK_FALSE(convert(item));
    }
  }
  Result<model::Pod> refused = podFromJson(Json::array());
  REQUIRE_FALSE(refused.isOk());
  CHECK(refused.status().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.status().message() == "Pod: expected a JSON object, got array");
}

TEST_CASE("null fields read as absent", "[agent][converters][robustness]") {
  Json item = Json::parse(R"({
    "kind": null, "apiVersion": null, "metadata": null, "spec": null, "status": null,
    "data": null, "involvedObject": null, "count": null, "source": null
  })");
  for (const auto& [kind, convert] : convertersByKind()) {
    INFO(kind);
    std::optional<Json> converted = convert(item);
    REQUIRE(converted);
    CHECK((*converted)["kind"] == kind);
  }
  Json nested = Json::parse(R"({
    "metadata": {"name": null, "labels": null, "annotations": {"a": null},
                 "ownerReferences": [null, {"kind": null}]},
    "spec": {"containers": [null, {"name": null, "resources": {"requests": null}}],
             "initContainers": null},
    "status": {"phase": null, "conditions": [null], "containerStatuses": [null,
               {"name": null, "state": {"waiting": null, "terminated": null},
                "lastState": null, "restartCount": null}]}
  })");
  model::Pod pod = podFromJson(nested).value();
  CHECK(pod.meta.name.empty());
  CHECK(pod.meta.annotations.empty());
  CHECK(pod.containers.size() == 2);
  CHECK(pod.conditions.size() == 1);
}

TEST_CASE("fields of the wrong type read as absent", "[agent][converters][robustness]") {
  Json pod_item = Json::parse(R"({
    "metadata": {"name": 7, "namespace": ["x"], "labels": "app=web", "annotations": [1, 2],
                 "ownerReferences": {"kind": "ReplicaSet"}, "uid": {"a": 1}},
    "spec": {"containers": "nginx", "initContainers": {"name": "x"}, "nodeName": 3},
    "status": {"phase": 3, "podIP": false, "conditions": "Ready",
               "containerStatuses": [{"name": "a", "restartCount": "4", "ready": "true",
                                      "state": "running", "lastState": []}]}
  })");
  model::Pod pod = podFromJson(pod_item).value();
  CHECK(pod.meta.name.empty());
  CHECK(pod.meta.ns.empty());
  CHECK(pod.meta.labels.empty());
  CHECK(pod.meta.owner_kind.empty());
  CHECK(pod.phase.empty());
  CHECK(pod.restarts == 0);  // "4" is a string, not a count
  REQUIRE(pod.containers.size() == 1);
  CHECK_FALSE(pod.containers[0].ready);
  CHECK(pod.containers[0].state.empty());

  Json deployment_item = Json::parse(R"({
    "spec": {"replicas": "3", "selector": {"matchLabels": {"app": 5, "tier": "web"}}},
    "status": {"readyReplicas": 2.0, "availableReplicas": 1e300, "updatedReplicas": -1,
               "replicas": 18446744073709551615}
  })");
  model::Deployment d = deploymentFromJson(deployment_item).value();
  CHECK(d.replicas == 0);
  CHECK(d.ready_replicas == 2);
  CHECK(d.available_replicas == std::numeric_limits<int64_t>::max());
  CHECK(d.updated_replicas == -1);
  CHECK(d.current_replicas == std::numeric_limits<int64_t>::max());
  CHECK(d.selector == model::StringMap{{"tier", "web"}});

  Json node_item = Json::parse(R"({
    "status": {"capacity": {"cpu": 8, "memory": "1Gi"}, "nodeInfo": "v1.29",
               "conditions": [{"type": "Ready", "status": true}], "addresses": "10.0.0.1"},
    "spec": {"taints": [{"key": 1, "effect": "NoSchedule"}], "unschedulable": "true"}
  })");
  model::Node node = nodeFromJson(node_item).value();
  CHECK(node.capacity == model::StringMap{{"memory", "1Gi"}});
  CHECK_FALSE(node.ready);  // status must be the string "True"
  CHECK_FALSE(node.unschedulable);
  CHECK(node.taints.size() == 1);

  Json event_item = Json::parse(R"({"count": "12", "series": {"count": 4}, "type": 1})");
  CHECK(eventFromJson(event_item)->count == 4);

  Json config_item = Json::parse(R"({"data": ["a", "b"], "binaryData": "x", "immutable": 1})");
  model::ConfigMap cm = configMapFromJson(config_item).value();
  CHECK(cm.data_keys.empty());
  CHECK_FALSE(cm.immutable);

  Json pod_resources = Json::parse(R"({"spec": {"containers": [
      {"resources": {"requests": {"cpu": 2, "memory": "lots"}, "limits": {"cpu": [1]}}}]}})");
  model::Pod sized = podFromJson(pod_resources).value();
  CHECK(sized.containers[0].requests.cpu == "2");
  CHECK(sized.requests.cpu_millis == 2000);
  CHECK(sized.requests.memory_bytes == 0);
  CHECK(sized.containers[0].limits.cpu.empty());
}

// Removes each member of every object below `j` with probability `p`.
void cutKeys(Json& j, std::mt19937& rng, double p) {
  std::bernoulli_distribution cut(p);
  if (j.is_object()) {
    std::vector<std::string> doomed;
    for (auto& [key, value] : j.items()) {
      if (cut(rng)) {
        doomed.push_back(key);
      } else {
        cutKeys(value, rng, p);
      }
    }
    for (const std::string& key : doomed) {
      j.erase(key);
    }
  } else if (j.is_array()) {
    for (Json& element : j) {
      cutKeys(element, rng, p);
    }
  }
}

// Replaces values below `j` with a value of another type, each with probability `p`.
void swapTypes(Json& j, std::mt19937& rng, double p) {
  std::bernoulli_distribution swap(p);
  std::uniform_int_distribution<int> pick(0, 6);
  auto replacement = [&]() -> Json {
    switch (pick(rng)) {
      case 0:
        return nullptr;
      case 1:
        return "x";
      case 2:
        return -7;
      case 3:
        return 3.5;
      case 4:
        return false;
      case 5:
        return Json::array({1, "a"});
      default:
        return Json::object({{"k", 1}});
    }
  };
  auto visit = [&](Json& value) {
    if (swap(rng)) {
      value = replacement();
    } else {
      swapTypes(value, rng, p);
    }
  };
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      visit(value);
    }
  } else if (j.is_array()) {
    for (Json& element : j) {
      visit(element);
    }
  }
}

TEST_CASE("fixture items with random keys cut out still convert",
          "[agent][converters][robustness]") {
  std::mt19937 rng(20260101);
  for (const FixtureFile& file : allFixtureFiles()) {
    auto converter = convertersByKind().find(file.kind);
    if (converter == convertersByKind().end()) {
      continue;
    }
    for (const Json& original : file.list["items"]) {
      for (double p : {0.05, 0.2, 0.5}) {
        Json item = original;
        cutKeys(item, rng, p);
        std::optional<Json> converted = converter->second(item);
        REQUIRE(converted);  // still an object at the top
        CHECK_NOTHROW(converted->dump());
      }
    }
  }
}

TEST_CASE("fixture items with random values of the wrong type still convert",
          "[agent][converters][robustness]") {
  std::mt19937 rng(42);
  for (const FixtureFile& file : allFixtureFiles()) {
    for (const Json& original : file.list["items"]) {
      for (double p : {0.02, 0.1, 0.3}) {
        Json item = original;
        swapTypes(item, rng, p);
        convertWithAll(item);  // every converter, not only the item's own
      }
    }
  }
}

}  // namespace
}  // namespace corral::agent
