#pragma once

// Data access for the Kubernetes kinds the agent reports: one repository per kind, each listing
// that kind's objects as model values. The implementations over K8sClient are made by the
// make*Repository() functions; tests may substitute their own.
//
// Thread-safety: list() may be called from several threads at once, on one repository or on
// different ones, as long as the K8sClient is thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "agent/model/config.h"
#include "agent/model/event.h"
#include "agent/model/networking.h"
#include "agent/model/node.h"
#include "agent/model/pod.h"
#include "agent/model/resource_kind.h"
#include "agent/model/workloads.h"
#include "agent/repository/scope.h"
#include "agent/sdk/k8s_client.h"
#include "common/status.h"

namespace corral::agent {

template <typename T>
class ResourceRepository {
 public:
  virtual ~ResourceRepository() = default;

  // Every object of the kind within `scope`. Namespaced kinds are listed per namespace when
  // `scope` names the namespaces to include (so that a namespace-scoped Role suffices), else
  // cluster-wide; objects in excluded namespaces are dropped either way. Namespaces are filtered
  // by their own name; Nodes are never filtered. Blocks for one API list per namespace (each
  // following pagination). Fails with the API's error, naming the path, when any list fails; an
  // item that is not an object is skipped.
  virtual Result<std::vector<T>> list(const Scope& scope) = 0;
};

using PodRepository = ResourceRepository<model::Pod>;
using NodeRepository = ResourceRepository<model::Node>;
using DeploymentRepository = ResourceRepository<model::Deployment>;
using ReplicaSetRepository = ResourceRepository<model::ReplicaSet>;
using StatefulSetRepository = ResourceRepository<model::StatefulSet>;
using DaemonSetRepository = ResourceRepository<model::DaemonSet>;
using ServiceRepository = ResourceRepository<model::Service>;
using EventRepository = ResourceRepository<model::Event>;
using ConfigMapRepository = ResourceRepository<model::ConfigMap>;
using IngressRepository = ResourceRepository<model::Ingress>;
using NamespaceRepository = ResourceRepository<model::Namespace>;

// The repositories over the Kubernetes API. `client` must outlive them.
std::unique_ptr<PodRepository> makePodRepository(K8sClient& client);
std::unique_ptr<NodeRepository> makeNodeRepository(K8sClient& client);
std::unique_ptr<DeploymentRepository> makeDeploymentRepository(K8sClient& client);
std::unique_ptr<ReplicaSetRepository> makeReplicaSetRepository(K8sClient& client);
std::unique_ptr<StatefulSetRepository> makeStatefulSetRepository(K8sClient& client);
std::unique_ptr<DaemonSetRepository> makeDaemonSetRepository(K8sClient& client);
std::unique_ptr<ServiceRepository> makeServiceRepository(K8sClient& client);
std::unique_ptr<EventRepository> makeEventRepository(K8sClient& client);
std::unique_ptr<ConfigMapRepository> makeConfigMapRepository(K8sClient& client);
std::unique_ptr<IngressRepository> makeIngressRepository(K8sClient& client);
std::unique_ptr<NamespaceRepository> makeNamespaceRepository(K8sClient& client);

// One repository per kind, as the services take them. A null member means the kind cannot be
// read; a service reports it as that kind's error.
struct Repositories {
  std::unique_ptr<PodRepository> pods;
  std::unique_ptr<NodeRepository> nodes;
  std::unique_ptr<DeploymentRepository> deployments;
  std::unique_ptr<ReplicaSetRepository> replica_sets;
  std::unique_ptr<StatefulSetRepository> stateful_sets;
  std::unique_ptr<DaemonSetRepository> daemon_sets;
  std::unique_ptr<ServiceRepository> services;
  std::unique_ptr<EventRepository> events;
  std::unique_ptr<ConfigMapRepository> config_maps;
  std::unique_ptr<IngressRepository> ingresses;
  std::unique_ptr<NamespaceRepository> namespaces;
};

// Every repository over `client`, which must outlive them.
Repositories makeK8sRepositories(K8sClient& client);

// The members of `kind`'s items that its converter never reads (managed fields, the copy of the
// object kubectl apply keeps, pod volumes, container environments, probes, node images, ...), as
// paths for ListOptions::omit. The repositories ask the client to leave them out while parsing;
// a test checks that this changes nothing the converters produce.
std::vector<std::vector<std::string>> unreadMembers(model::ResourceKind kind);

}  // namespace corral::agent
