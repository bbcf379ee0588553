#pragma once

// The emulated cluster's starting state: the recorded objects, the synthesized ones, and with
// `pods` > 0 the multiplied pods and their companions. Built once, before the server answers.

#include <string>

#include "common/status.h"
#include "tests/k8s_emulator/object_store.h"

namespace corral::testing::k8s {

Status buildCluster(const std::string& fixtures_dir, int pods, ObjectStore& store);

}  // namespace corral::testing::k8s
