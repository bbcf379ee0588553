#pragma once

// A cluster of any size from the recorded one: `pods` copies of the recorded pods (names suffixed
// -00001, -00002, ..., new uids), spread over the namespaces and over nodes, with the objects a
// real cluster would hold in proportion:
// - one Node per 50 pods (the recorded nodes first, then copies of them);
// - per 10 pods, one Deployment and its ReplicaSet (copies of recorded ones, renamed), owning the
//   pods through ownerReferences and selecting them by label, and one Service selecting them;
// - 2 Events per 10 pods, copies of recorded pod events pointed at the new pods.
// The recorded pods and events go (their subjects no longer exist); every other recorded and
// synthesized object stays.

#include "tests/k8s_emulator/object_store.h"

namespace corral::testing::k8s {

inline constexpr int kPodsPerNode = 50;
inline constexpr int kPodsPerDeployment = 10;
inline constexpr int kEventsPerDeployment = 2;

void multiplyPods(ObjectStore& store, int pods);

}  // namespace corral::testing::k8s
