#include "agent/model/node.h"

namespace corral::agent::model {

void to_json(Json& j, const Taint& v) {
  j = Json{{"key", v.key}, {"value", v.value}, {"effect", v.effect}};
}

void to_json(Json& j, const NodeAddress& v) { j = Json{{"type", v.type}, {"address", v.address}}; }

void to_json(Json& j, const Node& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["ready"] = v.ready;
  j["memory_pressure"] = v.memory_pressure;
  j["disk_pressure"] = v.disk_pressure;
  j["pid_pressure"] = v.pid_pressure;
  j["network_unavailable"] = v.network_unavailable;
  j["conditions"] = v.conditions;
  j["capacity"] = v.capacity;
  j["allocatable"] = v.allocatable;
  j["kubelet_version"] = v.kubelet_version;
  j["os_image"] = v.os_image;
  j["kernel_version"] = v.kernel_version;
  j["container_runtime"] = v.container_runtime;
  j["architecture"] = v.architecture;
  j["taints"] = v.taints;
  j["unschedulable"] = v.unschedulable;
  j["roles"] = v.roles;
  j["addresses"] = v.addresses;
}

}  // namespace corral::agent::model
