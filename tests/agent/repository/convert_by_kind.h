#pragma once

// Test helper: the converter for a Kubernetes kind by name, its result as JSON.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "agent/repository/converters/converters.h"
#include "common/json.h"

namespace corral::agent::testing {

// kind ("Pod") -> a function converting an item of that kind to the model's JSON; nullopt when
// the converter refuses the item.
using JsonConverter = std::function<std::optional<Json>(const Json&)>;

template <typename T>
JsonConverter jsonConverter(Result<T> (*convert)(const Json&)) {
  return [convert](const Json& item) -> std::optional<Json> {
    Result<T> converted = convert(item);
    if (!converted.isOk()) {
      return std::nullopt;
    }
    return Json(converted.value());
  };
}

inline const std::map<std::string, JsonConverter>& convertersByKind() {
  static const std::map<std::string, JsonConverter> kConverters = {
      {"Pod", jsonConverter(&podFromJson)},
      {"Node", jsonConverter(&nodeFromJson)},
      {"Deployment", jsonConverter(&deploymentFromJson)},
      {"ReplicaSet", jsonConverter(&replicaSetFromJson)},
      {"StatefulSet", jsonConverter(&statefulSetFromJson)},
      {"DaemonSet", jsonConverter(&daemonSetFromJson)},
      {"Service", jsonConverter(&serviceFromJson)},
      {"Ingress", jsonConverter(&ingressFromJson)},
      {"Event", jsonConverter(&eventFromJson)},
      {"ConfigMap", jsonConverter(&configMapFromJson)},
      {"Namespace", jsonConverter(&namespaceFromJson)},
  };
  return kConverters;
}

}  // namespace corral::agent::testing
