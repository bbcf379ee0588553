#include "agent/model/config.h"

namespace corral::agent::model {

void to_json(Json& j, const ConfigMap& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["data_keys"] = v.data_keys;
  j["binary_data_keys"] = v.binary_data_keys;
  j["immutable"] = v.immutable;
}

void to_json(Json& j, const Namespace& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["phase"] = v.phase;
}

}  // namespace corral::agent::model
