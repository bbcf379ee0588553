#pragma once

// Reads the recorded List responses under tests/fixtures/k8s/troubleshoot/ into the store, items
// unchanged but for the kind and apiVersion that some captures repeat per item.

#include <string>

#include "common/status.h"
#include "tests/k8s_emulator/object_store.h"

namespace corral::testing::k8s {

// Loads every recorded list and advances the store's version past the highest recorded one.
Status loadFixtures(const std::string& fixtures_dir, ObjectStore& store);

// The text of `path`, or kNotFound.
Result<std::string> readTextFile(const std::string& path);

}  // namespace corral::testing::k8s
