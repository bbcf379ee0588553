#pragma once

// Cluster configuration objects: ConfigMaps (their key names only) and Namespaces. Plain values,
// safe to copy between threads.

#include <string>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

// Holds the names of the keys and never their values: configuration data stays in the cluster.
struct ConfigMap {
  CommonMeta meta;
  std::vector<std::string> data_keys;  // sorted
  std::vector<std::string> binary_data_keys;
  bool immutable = false;
};

struct Namespace {
  CommonMeta meta;
  std::string phase;  // Active | Terminating
};

void to_json(Json& j, const ConfigMap& v);
void to_json(Json& j, const Namespace& v);

}  // namespace corral::agent::model
