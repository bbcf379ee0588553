#include "tests/k8s_emulator/fixture_loader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace corral::testing::k8s {

namespace {

namespace fs = std::filesystem;

struct FixtureSet {
  const char* resource;
  const char* path;  // a file, or a directory of files, under troubleshoot/
};

// support-bundle/cluster-resources/nodes.json is a subset of nodes.json and is left out.
constexpr FixtureSet kFixtureSets[] = {
    {"pods", "pods"},
    {"nodes", "nodes.json"},
    {"events", "events"},
    {"deployments", "deployments"},
    {"replicasets", "replicasets"},
    {"statefulsets", "statefulsets"},
    {"namespaces", "support-bundle/cluster-resources/namespaces.json"},
    {"configmaps", "support-bundle/cluster-resources/configmaps"},
    {"persistentvolumeclaims", "support-bundle/cluster-resources/pvcs"},
};

int64_t versionOf(const Object& metadata) {
  std::string text = metadata.is_object() ? metadata.value("resourceVersion", "") : "";
  int64_t version = 0;
  std::from_chars(text.data(), text.data() + text.size(), version);
  return version;
}

Result<std::vector<fs::path>> filesOf(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    return std::vector<fs::path>{path};
  }
  if (!fs::is_directory(path, error)) {
    return corral::notFound("fixture " + path.string() + " is missing");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::string> readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return corral::notFound("cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status loadFixtures(const std::string& fixtures_dir, ObjectStore& store) {
  int64_t highest = 0;
  for (const FixtureSet& set : kFixtureSets) {
    const ResourceType& type = *findResourceType(set.resource);
    auto files = filesOf(fs::path(fixtures_dir) / "troubleshoot" / set.path);
    if (!files.isOk()) {
      return files.status();
    }
    for (const fs::path& file : *files) {
      auto text = readTextFile(file.string());
      if (!text.isOk()) {
        return text.status();
      }
      Object list = Object::parse(*text, nullptr, /*allow_exceptions=*/false);
      if (list.is_discarded() || list.value("kind", "") != type.listKind() ||
          !list.contains("items") || !list["items"].is_array()) {
        return invalidArgument(file.string() + " is not a " + type.listKind());
      }
      highest = std::max(highest, versionOf(list["metadata"]));
      for (Object& item : list["items"]) {
        item.erase("kind");
        item.erase("apiVersion");
        if (type.namespaced && stringField(item, {"metadata", "namespace"}).empty()) {
          return invalidArgument(file.string() + " holds an item without a namespace");
        }
        highest = std::max(highest, versionOf(item["metadata"]));
        store.load(type, std::move(item));
      }
    }
  }
  store.advanceTo(highest);
  return Status::ok();
}

}  // namespace corral::testing::k8s
