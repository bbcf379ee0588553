#pragma once

// The recorded fixtures served as one cluster: every kind at its cluster-wide API path.

#include <map>
#include <string>
#include <vector>

#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent::testing {

inline const std::vector<std::string>& podFixtureFiles() {
  static const std::vector<std::string> kFiles = {
      "pods/default.json",
      "pods/other.json",
      "pods/message-pod-crashloop-backoff.json",
      "pods/message-pod-init-crashloop-backoff.json",
      "pods/message-image-pull-fail.json",
      "pods/message-pending-pod-resources.json",
      "pods/message-pending-node-affinity.json",
      "pods/message-oomkill-pod.json",
      "pods/message-container-creating-failed-mount.json",
  };
  return kFiles;
}

// The cluster's items per API path, parsed once per test process.
inline const std::map<std::string, std::vector<Json>>& fixtureCluster() {
  static const std::map<std::string, std::vector<Json>> kCluster = {
      {"/api/v1/pods", fixtureItems(podFixtureFiles())},
      {"/api/v1/nodes", fixtureItems("nodes.json")},
      {"/apis/apps/v1/deployments", fixtureItems(std::vector<std::string>{
                                        "deployments/default.json", "deployments/kube-system.json",
                                        "deployments/monitoring.json"})},
      {"/apis/apps/v1/replicasets", fixtureItems(std::vector<std::string>{
                                        "replicasets/default.json", "replicasets/rook-ceph.json"})},
      {"/apis/apps/v1/statefulsets",
       fixtureItems(
           std::vector<std::string>{"statefulsets/default.json", "statefulsets/monitoring.json"})},
      {"/apis/apps/v1/daemonsets", {}},
      {"/api/v1/services", {}},
      {"/api/v1/events",
       fixtureItems(std::vector<std::string>{
           "events/message-image-pull-fail.json", "events/message-pod-init-crashloop-backoff.json",
           "events/message-container-creating-failed-mount.json"})},
      {"/api/v1/configmaps",
       fixtureItems("support-bundle/cluster-resources/configmaps/kube-public.json")},
      {"/apis/networking.k8s.io/v1/ingresses", {}},
      {"/api/v1/namespaces", fixtureItems("support-bundle/cluster-resources/namespaces.json")},
  };
  return kCluster;
}

// 9 pods, 7 nodes, 10 deployments, 14 replica sets, 3 stateful sets, 110 events, 1 config map,
// 5 namespaces; no daemon sets, services or ingresses (none were recorded).
inline void serveFixtureCluster(FakeK8sClient& client) {
  for (const auto& [path, items] : fixtureCluster()) {
    client.setItems(path, items);
  }
}

}  // namespace corral::agent::testing
