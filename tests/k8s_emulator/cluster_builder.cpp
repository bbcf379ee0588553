#include "tests/k8s_emulator/cluster_builder.h"

#include "tests/k8s_emulator/fixture_loader.h"
#include "tests/k8s_emulator/pod_multiplier.h"
#include "tests/k8s_emulator/synthesized_objects.h"

namespace corral::testing::k8s {

Status buildCluster(const std::string& fixtures_dir, int pods, ObjectStore& store) {
  CORRAL_RETURN_IF_ERROR(loadFixtures(fixtures_dir, store));
  addSynthesizedObjects(store);
  if (pods > 0) {
    multiplyPods(store, pods);
  }
  return Status::ok();
}

}  // namespace corral::testing::k8s
