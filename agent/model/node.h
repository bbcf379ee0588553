#pragma once

// A Node as a dashboard shows it: readiness and pressure, what it offers, what runs it. Plain
// values, safe to copy between threads.

#include <string>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule | PreferNoSchedule | NoExecute
};

struct NodeAddress {
  std::string type;  // InternalIP | ExternalIP | Hostname | ...
  std::string address;
};

struct Node {
  CommonMeta meta;
  bool ready = false;  // the Ready condition is "True"
  // The pressure conditions are "True"; a node without them reports no pressure.
  bool memory_pressure = false;
  bool disk_pressure = false;
  bool pid_pressure = false;
  bool network_unavailable = false;
  std::vector<Condition> conditions;
  StringMap capacity;  // resource name -> quantity as the API writes it ("8", "30873004Ki")
  StringMap allocatable;
  std::string kubelet_version;
  std::string os_image;
  std::string kernel_version;
  std::string container_runtime;  // "containerd://1.6.33"
  std::string architecture;
  std::vector<Taint> taints;
  bool unschedulable = false;      // cordoned
  std::vector<std::string> roles;  // from node-role.kubernetes.io/<role> labels, sorted
  std::vector<NodeAddress> addresses;
};

void to_json(Json& j, const Taint& v);
void to_json(Json& j, const NodeAddress& v);
void to_json(Json& j, const Node& v);

}  // namespace corral::agent::model
