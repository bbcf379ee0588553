#include <algorithm>
#include <string_view>

#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

namespace {

constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
// Older clusters (kops, kubeadm before 1.16) also set the role as a label value.
constexpr std::string_view kLegacyRoleLabel = "kubernetes.io/role";

std::vector<std::string> rolesOf(const model::StringMap& labels) {
  std::vector<std::string> roles;
  for (const auto& [key, value] : labels) {
    if (key.starts_with(kRolePrefix) && key.size() > kRolePrefix.size()) {
      roles.push_back(key.substr(kRolePrefix.size()));
    } else if (key == kLegacyRoleLabel && !value.empty()) {
      roles.push_back(value);
    }
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

bool conditionTrue(const std::vector<model::Condition>& conditions, std::string_view type) {
  return std::any_of(conditions.begin(), conditions.end(), [&](const model::Condition& c) {
    return c.type == type && c.status == "True";
  });
}

}  // namespace

Result<model::Node> nodeFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Node", item);
  }
  const Json& spec = fields::at(item, {"spec"});
  const Json& status = fields::at(item, {"status"});
  const Json& info = fields::at(status, {"nodeInfo"});
  model::Node node;
  node.meta = metaFromJson(item, "Node");
  node.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  node.ready = conditionTrue(node.conditions, "Ready");
  node.memory_pressure = conditionTrue(node.conditions, "MemoryPressure");
  node.disk_pressure = conditionTrue(node.conditions, "DiskPressure");
  node.pid_pressure = conditionTrue(node.conditions, "PIDPressure");
  node.network_unavailable = conditionTrue(node.conditions, "NetworkUnavailable");
  node.capacity = fields::stringMap(fields::at(status, {"capacity"}));
  node.allocatable = fields::stringMap(fields::at(status, {"allocatable"}));
  node.kubelet_version = fields::str(info, {"kubeletVersion"});
  node.os_image = fields::str(info, {"osImage"});
  node.kernel_version = fields::str(info, {"kernelVersion"});
  node.container_runtime = fields::str(info, {"containerRuntimeVersion"});
  node.architecture = fields::str(info, {"architecture"});
  for (const Json& t : fields::array(fields::at(spec, {"taints"}))) {
    node.taints.push_back(
        {fields::str(t, {"key"}), fields::str(t, {"value"}), fields::str(t, {"effect"})});
  }
  node.unschedulable = fields::boolean(spec, {"unschedulable"});
  node.roles = rolesOf(node.meta.labels);
  for (const Json& a : fields::array(fields::at(status, {"addresses"}))) {
    node.addresses.push_back({fields::str(a, {"type"}), fields::str(a, {"address"})});
  }
  return node;
}

}  // namespace corral::agent
