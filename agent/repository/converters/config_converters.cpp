#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

Result<model::ConfigMap> configMapFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("ConfigMap", item);
  }
  model::ConfigMap cm;
  cm.meta = metaFromJson(item, "ConfigMap");
  // Names only: configuration values may hold credentials and never leave the cluster.
  cm.data_keys = fields::keys(fields::at(item, {"data"}));
  cm.binary_data_keys = fields::keys(fields::at(item, {"binaryData"}));
  cm.immutable = fields::boolean(item, {"immutable"});
  return cm;
}

Result<model::Namespace> namespaceFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Namespace", item);
  }
  model::Namespace ns;
  ns.meta = metaFromJson(item, "Namespace");
  ns.phase = fields::str(item, {"status", "phase"});
  return ns;
}

}  // namespace corral::agent
