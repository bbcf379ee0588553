#pragma once

// Faults injected by tests, matched against requests in the order they were added. Thread-safe.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "tests/k8s_emulator/k8s_emulator.h"

namespace corral::testing::k8s {

class FaultTable {
 public:
  void add(K8sEmulator::Fault fault);
  void clear();
  // The first fault matching the request, with one use taken from its count; nullopt when none
  // matches.
  std::optional<K8sEmulator::Fault> take(const std::string& method, const std::string& path);

 private:
  std::mutex mutex_;
  std::vector<K8sEmulator::Fault> faults_;  // guarded by mutex_
};

// A fault from the JSON of POST /__emulator/faults: the member names of K8sEmulator::Fault.
Result<K8sEmulator::Fault> faultFromJson(const Json& json);

}  // namespace corral::testing::k8s
