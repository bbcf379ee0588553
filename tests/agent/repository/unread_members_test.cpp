// The repositories have the client leave out the members their converters never read. That must
// change nothing the converters produce: every recorded fixture item converts to the same model
// JSON with and without them. A converter that starts reading one of them fails here until the
// member is taken off unreadMembers().

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "agent/repository/resource_repository.h"
#include "agent/sdk/list_page_reader.h"
#include "tests/agent/repository/convert_by_kind.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

using model::ResourceKind;

const std::map<std::string, ResourceKind>& kindsByName() {
  static const std::map<std::string, ResourceKind> kKinds = {
      {"Pod", ResourceKind::kPods},
      {"Node", ResourceKind::kNodes},
      {"Deployment", ResourceKind::kDeployments},
      {"ReplicaSet", ResourceKind::kReplicaSets},
      {"StatefulSet", ResourceKind::kStatefulSets},
      {"DaemonSet", ResourceKind::kDaemonSets},
      {"Service", ResourceKind::kServices},
      {"Ingress", ResourceKind::kIngresses},
      {"Event", ResourceKind::kEvents},
      {"ConfigMap", ResourceKind::kConfigMaps},
      {"Namespace", ResourceKind::kNamespaces},
  };
  return kKinds;
}

TEST_CASE("leaving out the unread members changes nothing the converters produce",
          "[agent][repository]") {
  std::filesystem::path root = std::filesystem::path(CORRAL_K8S_FIXTURES) / "troubleshoot";
  size_t items = 0;
  size_t bytes_before = 0;
  size_t bytes_after = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") {
      continue;
    }
    std::string relative = std::filesystem::relative(entry.path(), root).string();
    INFO(relative);
    Json list = testing::fixtureFile(relative);
    std::string kind = list.value("kind", "");
    if (kind.ends_with("List")) {
      kind.resize(kind.size() - 4);
    }
    auto resource = kindsByName().find(kind);
    if (resource == kindsByName().end()) {
      continue;  // a kind that is not collected
    }
    const testing::JsonConverter& convert = testing::convertersByKind().at(kind);
    std::vector<Json> whole = testing::fixtureItems(relative);
    std::vector<Json> read;
    auto page = readListPage(
        list.dump(), unreadMembers(resource->second),
        [&](Json& item) { read.push_back(std::move(item)); }, relative);
    REQUIRE(page.isOk());
    REQUIRE(read.size() == whole.size());
    for (size_t i = 0; i < whole.size(); ++i) {
      INFO(whole[i]["metadata"].value("name", ""));
      CHECK(convert(read[i]) == convert(whole[i]));
      bytes_before += whole[i].dump().size();
      bytes_after += read[i].dump().size();
      ++items;
    }
  }
  CHECK(items > 100);
  // The fixtures carry the members left out, so the check above is not vacuous.
  CHECK(bytes_after < bytes_before * 3 / 4);
}

TEST_CASE("every kind keeps managed fields and kubectl's copy of the object out",
          "[agent][repository]") {
  for (const auto& [name, kind] : kindsByName()) {
    INFO(name);
    auto paths = unreadMembers(kind);
    CHECK(std::find(paths.begin(), paths.end(),
                    std::vector<std::string>{"metadata", "managedFields"}) != paths.end());
  }
}

}  // namespace
}  // namespace corral::agent
