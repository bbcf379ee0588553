#include "tests/k8s_emulator/discovery.h"

#include <set>

#include "tests/k8s_emulator/fixture_loader.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

namespace {

Answer json(const Object& body) { return Answer(200, "application/json", body.dump() + "\n"); }

Object groupVersionEntry(const std::string& group_version, const std::string& version) {
  Object entry = Object::object();
  entry["groupVersion"] = group_version;
  entry["version"] = version;
  return entry;
}

Object versionInfo() {
  Object info = Object::object();
  info["major"] = "1";
  info["minor"] = "27";
  info["gitVersion"] = "v1.27.0";
  info["gitCommit"] = "1b4df30b3cdfeaba6024e81e559a6cd09a089d65";
  info["gitTreeState"] = "clean";
  info["buildDate"] = "2023-04-11T17:04:24Z";
  info["goVersion"] = "go1.20.3";
  info["compiler"] = "gc";
  info["platform"] = "linux/amd64";
  return info;
}

std::set<std::string> servedGroups() {
  std::set<std::string> groups;
  for (const ResourceType& type : resourceTypes()) {
    if (!type.group.empty()) {
      groups.insert(std::string(type.group));
    }
  }
  return groups;
}

// The verbs the emulator answers, not the full set of a real server: a client that reads them
// learns, for instance, that there is no watch.
Object resourceList(const std::string& group, const std::string& version) {
  Object resources = Object::array();
  for (const ResourceType& type : resourceTypes()) {
    if (type.group != group || type.version != version) {
      continue;
    }
    Object entry = Object::object();
    entry["name"] = type.name;
    entry["singularName"] = type.singular;
    entry["namespaced"] = type.namespaced;
    entry["kind"] = type.kind;
    entry["verbs"] = Object::array({"create", "delete", "get", "list", "patch", "update"});
    if (!type.short_name.empty()) {
      entry["shortNames"] = Object::array({type.short_name});
    }
    resources.push_back(entry);
    if (type.name == "pods") {
      Object log = Object::object();
      log["name"] = "pods/log";
      log["singularName"] = "";
      log["namespaced"] = true;
      log["kind"] = "Pod";
      log["verbs"] = Object::array({"get"});
      resources.push_back(log);
    }
    if (type.scalable) {
      Object scale = Object::object();
      scale["name"] = std::string(type.name) + "/scale";
      scale["singularName"] = "";
      scale["namespaced"] = true;
      scale["group"] = "autoscaling";
      scale["version"] = "v1";
      scale["kind"] = "Scale";
      scale["verbs"] = Object::array({"get", "patch", "update"});
      resources.push_back(scale);
    }
  }
  Object list = Object::object();
  list["kind"] = "APIResourceList";
  list["apiVersion"] = "v1";
  list["groupVersion"] = group.empty() ? version : group + "/" + version;
  list["resources"] = resources;
  return list;
}

// The OpenAPI v3 documents on record, by their path under /openapi/v3/.
struct OpenApiDocument {
  const char* path;
  const char* file;
};
constexpr OpenApiDocument kOpenApiDocuments[] = {
    {"api/v1", "api_v1.json"},
    {"apis/apps/v1", "apis_apps_v1.json"},
    {"apis/autoscaling/v1", "apis_autoscaling_v1.json"},
};

}  // namespace

bool isPublicPath(const std::string& path) {
  return path == "/version" || path == "/healthz" || path == "/livez" || path == "/readyz";
}

std::optional<Answer> discoveryAnswer(const std::string& path, const std::string& fixtures_dir,
                                      const std::string& server_address) {
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    return Answer(200, "text/plain; charset=utf-8", "ok");
  }
  if (path == "/version") {
    return json(versionInfo());
  }
  if (path == "/api") {
    Object cidr = Object::object();
    cidr["clientCIDR"] = "0.0.0.0/0";
    cidr["serverAddress"] = server_address;
    Object versions = Object::object();
    versions["kind"] = "APIVersions";
    versions["versions"] = Object::array({"v1"});
    versions["serverAddressByClientCIDRs"] = Object::array({cidr});
    return json(versions);
  }
  if (path == "/api/v1") {
    return json(resourceList("", "v1"));
  }
  if (path == "/apis") {
    Object groups = Object::array();
    for (const std::string& name : servedGroups()) {
      Object entry = Object::object();
      entry["name"] = name;
      entry["versions"] = Object::array({groupVersionEntry(name + "/v1", "v1")});
      entry["preferredVersion"] = groupVersionEntry(name + "/v1", "v1");
      groups.push_back(entry);
    }
    Object list = Object::object();
    list["kind"] = "APIGroupList";
    list["apiVersion"] = "v1";
    list["groups"] = groups;
    return json(list);
  }
  for (const std::string& name : servedGroups()) {
    if (path == "/apis/" + name + "/v1") {
      return json(resourceList(name, "v1"));
    }
    if (path == "/apis/" + name) {
      Object group = Object::object();
      group["kind"] = "APIGroup";
      group["apiVersion"] = "v1";
      group["name"] = name;
      group["versions"] = Object::array({groupVersionEntry(name + "/v1", "v1")});
      group["preferredVersion"] = groupVersionEntry(name + "/v1", "v1");
      return json(group);
    }
  }
  if (path == "/openapi/v3") {
    Object paths = Object::object();
    for (const OpenApiDocument& doc : kOpenApiDocuments) {
      paths[doc.path] = Object{{"serverRelativeURL", std::string("/openapi/v3/") + doc.path}};
    }
    return json(Object{{"paths", paths}});
  }
  for (const OpenApiDocument& doc : kOpenApiDocuments) {
    if (path == std::string("/openapi/v3/") + doc.path) {
      auto text = readTextFile(fixtures_dir + "/schemas/openapi-v3-kubectl-testdata/" + doc.file);
      if (!text.isOk()) {
        return std::nullopt;
      }
      return Answer(200, "application/json", *text);
    }
  }
  return std::nullopt;
}

}  // namespace corral::testing::k8s
