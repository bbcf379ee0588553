// The repositories over K8sClient: one template, parameterised by where the kind lives in the API
// and how its items convert.

#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

#include "agent/repository/converters/converters.h"
#include "agent/repository/resource_repository.h"

namespace corral::agent {

namespace {

// What a scope filters a kind by.
enum class ScopeBy { kNamespace, kName, kNothing };

struct ApiResource {
  std::string_view group_version;  // "/api/v1", "/apis/apps/v1"
  std::string_view resource;       // "pods"
  ScopeBy scope_by;
};

constexpr ApiResource kPods{"/api/v1", "pods", ScopeBy::kNamespace};
constexpr ApiResource kNodes{"/api/v1", "nodes", ScopeBy::kNothing};
constexpr ApiResource kDeployments{"/apis/apps/v1", "deployments", ScopeBy::kNamespace};
constexpr ApiResource kReplicaSets{"/apis/apps/v1", "replicasets", ScopeBy::kNamespace};
constexpr ApiResource kStatefulSets{"/apis/apps/v1", "statefulsets", ScopeBy::kNamespace};
constexpr ApiResource kDaemonSets{"/apis/apps/v1", "daemonsets", ScopeBy::kNamespace};
constexpr ApiResource kServices{"/api/v1", "services", ScopeBy::kNamespace};
constexpr ApiResource kEvents{"/api/v1", "events", ScopeBy::kNamespace};
constexpr ApiResource kConfigMaps{"/api/v1", "configmaps", ScopeBy::kNamespace};
constexpr ApiResource kIngresses{"/apis/networking.k8s.io/v1", "ingresses", ScopeBy::kNamespace};
constexpr ApiResource kNamespaces{"/api/v1", "namespaces", ScopeBy::kName};

// A namespace name is an RFC 1123 label; anything else would change the meaning of the path.
bool validNamespace(std::string_view ns) {
  if (ns.empty() || ns.size() > 63 || ns.front() == '-' || ns.back() == '-') {
    return false;
  }
  return ns.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
}

template <typename T>
class K8sResourceRepository final : public ResourceRepository<T> {
 public:
  using Converter = Result<T> (*)(const Json&);

  K8sResourceRepository(K8sClient& client, ApiResource api, Converter convert)
      : client_(client), api_(api), convert_(convert) {}

  Result<std::vector<T>> list(const Scope& scope) override {
    Result<std::vector<Json>> items = fetch(scope);
    if (!items.isOk()) {
      return items.status();
    }
    std::vector<T> out;
    out.reserve(items->size());
    size_t skipped = 0;
    for (const Json& item : *items) {
      Result<T> converted = convert_(item);
      if (!converted.isOk()) {
        ++skipped;
        continue;
      }
      if (inScope(converted->meta, scope)) {
        out.push_back(std::move(converted).value());
      }
    }
    if (skipped > 0) {
      spdlog::warn("{}: skipped {} item(s) that are not objects", api_.resource, skipped);
    }
    return out;
  }

 private:
  Result<std::vector<Json>> fetch(const Scope& scope) {
    if (api_.scope_by != ScopeBy::kNamespace || scope.include_namespaces.empty()) {
      return listPath(path(""));
    }
    std::vector<Json> all;
    std::set<std::string> namespaces(scope.include_namespaces.begin(),
                                     scope.include_namespaces.end());
    for (const std::string& ns : namespaces) {
      if (!scope.includes(ns)) {
        continue;
      }
      if (!validNamespace(ns)) {
        return invalidArgument("namespace '" + ns + "' is not a valid namespace name");
      }
      Result<std::vector<Json>> page = listPath(path(ns));
      if (!page.isOk()) {
        return page.status();
      }
      for (Json& item : *page) {
        all.push_back(std::move(item));
      }
    }
    return all;
  }

  // "/apis/apps/v1/deployments", or with `ns` "/apis/apps/v1/namespaces/<ns>/deployments".
  std::string path(std::string_view ns) const {
    std::string out(api_.group_version);
    if (!ns.empty()) {
      out.append("/namespaces/").append(ns);
    }
    out.append("/").append(api_.resource);
    return out;
  }

  Result<std::vector<Json>> listPath(const std::string& url_path) {
    Result<std::vector<Json>> items = client_.list(url_path, ListOptions{});
    if (!items.isOk()) {
      return Status(items.status().code(), "list " + url_path + ": " + items.status().message());
    }
    return items;
  }

  bool inScope(const model::CommonMeta& meta, const Scope& scope) const {
    switch (api_.scope_by) {
      case ScopeBy::kNamespace:
        return scope.includes(meta.ns);
      case ScopeBy::kName:
        return scope.includes(meta.name);
      case ScopeBy::kNothing:
        return true;
    }
    return true;
  }

  K8sClient& client_;
  const ApiResource api_;
  const Converter convert_;
};

template <typename T>
std::unique_ptr<ResourceRepository<T>> make(K8sClient& client, ApiResource api,
                                            Result<T> (*convert)(const Json&)) {
  return std::make_unique<K8sResourceRepository<T>>(client, api, convert);
}

}  // namespace

std::unique_ptr<PodRepository> makePodRepository(K8sClient& client) {
  return make(client, kPods, &podFromJson);
}
std::unique_ptr<NodeRepository> makeNodeRepository(K8sClient& client) {
  return make(client, kNodes, &nodeFromJson);
}
std::unique_ptr<DeploymentRepository> makeDeploymentRepository(K8sClient& client) {
  return make(client, kDeployments, &deploymentFromJson);
}
std::unique_ptr<ReplicaSetRepository> makeReplicaSetRepository(K8sClient& client) {
  return make(client, kReplicaSets, &replicaSetFromJson);
}
std::unique_ptr<StatefulSetRepository> makeStatefulSetRepository(K8sClient& client) {
  return make(client, kStatefulSets, &statefulSetFromJson);
}
std::unique_ptr<DaemonSetRepository> makeDaemonSetRepository(K8sClient& client) {
  return make(client, kDaemonSets, &daemonSetFromJson);
}
std::unique_ptr<ServiceRepository> makeServiceRepository(K8sClient& client) {
  return make(client, kServices, &serviceFromJson);
}
std::unique_ptr<EventRepository> makeEventRepository(K8sClient& client) {
  return make(client, kEvents, &eventFromJson);
}
std::unique_ptr<ConfigMapRepository> makeConfigMapRepository(K8sClient& client) {
  return make(client, kConfigMaps, &configMapFromJson);
}
std::unique_ptr<IngressRepository> makeIngressRepository(K8sClient& client) {
  return make(client, kIngresses, &ingressFromJson);
}
std::unique_ptr<NamespaceRepository> makeNamespaceRepository(K8sClient& client) {
  return make(client, kNamespaces, &namespaceFromJson);
}

Repositories makeK8sRepositories(K8sClient& client) {
  Repositories r;
  r.pods = makePodRepository(client);
  r.nodes = makeNodeRepository(client);
  r.deployments = makeDeploymentRepository(client);
  r.replica_sets = makeReplicaSetRepository(client);
  r.stateful_sets = makeStatefulSetRepository(client);
  r.daemon_sets = makeDaemonSetRepository(client);
  r.services = makeServiceRepository(client);
  r.events = makeEventRepository(client);
  r.config_maps = makeConfigMapRepository(client);
  r.ingresses = makeIngressRepository(client);
  r.namespaces = makeNamespaceRepository(client);
  return r;
}

}  // namespace corral::agent
