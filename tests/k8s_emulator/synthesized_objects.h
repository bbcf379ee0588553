#pragma once

// Objects no fixture records, built in code. Services, the DaemonSet and the Ingress follow the
// v1.27 OpenAPI documents in tests/fixtures/k8s/schemas/ (field names, types and the order the
// server writes them); the rest are copies of recorded objects under new names:
// - a Namespace for every namespace the recorded objects use but the NamespaceList lacks;
// - a Node for every node a recorded pod runs on but the NodeList lacks;
// - the kube-root-ca.crt ConfigMap in every namespace, as a real cluster publishes it;
// - Services for the recorded pods' labels, plus `kubernetes` and `kube-dns`;
// - the DaemonSet that owns the failed-mount pod, with the uid its ownerReference names;
// - one Ingress in front of the random-pod Service.

#include "tests/k8s_emulator/object_store.h"

namespace corral::testing::k8s {

void addSynthesizedObjects(ObjectStore& store);

// A ClusterIP Service selecting `selector`, with one TCP port per entry of `ports`
// ({"name", "port", "targetPort"}). Shared with the multiplier.
Object makeService(const std::string& ns, const std::string& name, const Object& labels,
                   const Object& selector, const Object& ports, const std::string& cluster_ip,
                   const std::string& created, int64_t version);

// A stable ClusterIP in 10.96.0.0/16 for `seed`.
std::string clusterIpFor(const std::string& seed);

}  // namespace corral::testing::k8s
