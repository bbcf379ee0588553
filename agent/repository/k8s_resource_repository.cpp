// The repositories over K8sClient: one template, parameterised by where the kind lives in the API
// and how its items convert.

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "agent/repository/converters/converters.h"
#include "agent/repository/resource_repository.h"
#include "agent/sdk/list_page_reader.h"

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

using Paths = std::vector<ItemPath>;

// The parts of a pod spec no converter reads. Pods and workload templates are most of a
// cluster's JSON, and these most of theirs.
const std::vector<std::string> kUnreadPodSpec = {
    "volumes", "tolerations", "affinity", "topologySpreadConstraints", "ephemeralContainers"};
// Of a container the converters read the name, the image and the resources.
const std::vector<std::string> kUnreadContainer = {
    "env",           "envFrom",       "volumeMounts",
    "volumeDevices", "livenessProbe", "readinessProbe",
    "startupProbe",  "lifecycle",     "securityContext",
    "command",       "args",          "ports"};

// `prefix` + each of `names`.
void addUnder(Paths& out, const ItemPath& prefix, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    ItemPath path = prefix;
    path.push_back(name);
    out.push_back(std::move(path));
  }
}

// The unread parts of the pod spec at `spec`; `with_init` when its init containers are read.
void addPodSpec(Paths& out, const ItemPath& spec, bool with_init) {
  addUnder(out, spec, kUnreadPodSpec);
  ItemPath containers = spec;
  containers.push_back("containers");
  addUnder(out, containers, kUnreadContainer);
  ItemPath init = spec;
  init.push_back("initContainers");
  if (with_init) {
    addUnder(out, init, kUnreadContainer);
  } else {
    out.push_back(std::move(init));
  }
}

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

  K8sResourceRepository(K8sClient& client, ApiResource api, Converter convert,
                        std::vector<ItemPath> unread)
      : client_(client), api_(api), convert_(convert) {
    options_.omit = std::move(unread);
  }

  // Each item is converted as it is read and its JSON dropped at once, so a large cluster is
  // never held as JSON, only as model values.
  Result<std::vector<T>> list(const Scope& scope) override {
    std::vector<std::string> namespaces;  // empty: one cluster-wide list
    if (api_.scope_by == ScopeBy::kNamespace && !scope.include_namespaces.empty()) {
      std::set<std::string> included(scope.include_namespaces.begin(),
                                     scope.include_namespaces.end());
      for (const std::string& ns : included) {
        if (!scope.includes(ns)) {
          continue;
        }
        if (!validNamespace(ns)) {
          return invalidArgument("namespace '" + ns + "' is not a valid namespace name");
        }
        namespaces.push_back(ns);
      }
      if (namespaces.empty()) {
        return std::vector<T>();
      }
    }
    std::vector<T> out;
    size_t skipped = 0;
    if (namespaces.empty()) {
      CORRAL_RETURN_IF_ERROR(listPath(path(""), scope, out, skipped));
    }
    for (const std::string& ns : namespaces) {
      CORRAL_RETURN_IF_ERROR(listPath(path(ns), scope, out, skipped));
    }
    if (skipped > 0) {
      spdlog::warn("{}: skipped {} item(s) that are not objects", api_.resource, skipped);
    }
    return out;
  }

 private:
  // "/apis/apps/v1/deployments", or with `ns` "/apis/apps/v1/namespaces/<ns>/deployments".
  std::string path(std::string_view ns) const {
    std::string out(api_.group_version);
    if (!ns.empty()) {
      out.append("/namespaces/").append(ns);
    }
    out.append("/").append(api_.resource);
    return out;
  }

  // Appends the in-scope items at `url_path` to `out`, counting the unconvertible ones.
  Status listPath(const std::string& url_path, const Scope& scope, std::vector<T>& out,
                  size_t& skipped) {
    const size_t kept = out.size();
    const size_t skipped_before = skipped;
    Status status = client_.listEach(
        url_path, options_,
        [&](Json& item) {
          Result<T> converted = convert_(item);
          item = Json();  // the JSON is done with; only the model value stays
          if (!converted.isOk()) {
            ++skipped;
          } else if (inScope(converted->meta, scope)) {
            out.push_back(std::move(converted).value());
          }
        },
        [&] {
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(kept), out.end());
          skipped = skipped_before;
        });
    if (!status.isOk()) {
      return {status.code(), "list " + url_path + ": " + status.message()};
    }
    return Status::ok();
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
  ListOptions options_;
};

template <typename T>
std::unique_ptr<ResourceRepository<T>> make(K8sClient& client, ApiResource api,
                                            Result<T> (*convert)(const Json&),
                                            std::vector<ItemPath> unread) {
  return std::make_unique<K8sResourceRepository<T>>(client, api, convert, std::move(unread));
}

}  // namespace

Paths unreadMembers(model::ResourceKind kind) {
  using model::ResourceKind;
  Paths out = {
      {"metadata", "managedFields"},
      // metaFromJson drops this annotation, a second copy of the whole object.
      {"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"},
  };
  switch (kind) {
    case ResourceKind::kPods:
      addPodSpec(out, {"spec"}, /*with_init=*/true);
      break;
    case ResourceKind::kDeployments:
    case ResourceKind::kReplicaSets:
    case ResourceKind::kDaemonSets:
      addPodSpec(out, {"spec", "template", "spec"}, /*with_init=*/false);
      break;
    case ResourceKind::kStatefulSets:
      addPodSpec(out, {"spec", "template", "spec"}, /*with_init=*/false);
      out.push_back({"spec", "volumeClaimTemplates"});
      break;
    case ResourceKind::kNodes:
      out.push_back({"status", "images"});
      out.push_back({"status", "volumesAttached"});
      out.push_back({"status", "volumesInUse"});
      break;
    case ResourceKind::kServices:
    case ResourceKind::kEvents:
    case ResourceKind::kConfigMaps:
    case ResourceKind::kIngresses:
    case ResourceKind::kNamespaces:
      break;
  }
  return out;
}

std::unique_ptr<PodRepository> makePodRepository(K8sClient& client) {
  return make(client, kPods, &podFromJson, unreadMembers(model::ResourceKind::kPods));
}
std::unique_ptr<NodeRepository> makeNodeRepository(K8sClient& client) {
  return make(client, kNodes, &nodeFromJson, unreadMembers(model::ResourceKind::kNodes));
}
std::unique_ptr<DeploymentRepository> makeDeploymentRepository(K8sClient& client) {
  return make(client, kDeployments, &deploymentFromJson,
              unreadMembers(model::ResourceKind::kDeployments));
}
std::unique_ptr<ReplicaSetRepository> makeReplicaSetRepository(K8sClient& client) {
  return make(client, kReplicaSets, &replicaSetFromJson,
              unreadMembers(model::ResourceKind::kReplicaSets));
}
std::unique_ptr<StatefulSetRepository> makeStatefulSetRepository(K8sClient& client) {
  return make(client, kStatefulSets, &statefulSetFromJson,
              unreadMembers(model::ResourceKind::kStatefulSets));
}
std::unique_ptr<DaemonSetRepository> makeDaemonSetRepository(K8sClient& client) {
  return make(client, kDaemonSets, &daemonSetFromJson,
              unreadMembers(model::ResourceKind::kDaemonSets));
}
std::unique_ptr<ServiceRepository> makeServiceRepository(K8sClient& client) {
  return make(client, kServices, &serviceFromJson, unreadMembers(model::ResourceKind::kServices));
}
std::unique_ptr<EventRepository> makeEventRepository(K8sClient& client) {
  return make(client, kEvents, &eventFromJson, unreadMembers(model::ResourceKind::kEvents));
}
std::unique_ptr<ConfigMapRepository> makeConfigMapRepository(K8sClient& client) {
  return make(client, kConfigMaps, &configMapFromJson,
              unreadMembers(model::ResourceKind::kConfigMaps));
}
std::unique_ptr<IngressRepository> makeIngressRepository(K8sClient& client) {
  return make(client, kIngresses, &ingressFromJson, unreadMembers(model::ResourceKind::kIngresses));
}
std::unique_ptr<NamespaceRepository> makeNamespaceRepository(K8sClient& client) {
  return make(client, kNamespaces, &namespaceFromJson,
              unreadMembers(model::ResourceKind::kNamespaces));
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
