#include "agent/model/event.h"

namespace corral::agent::model {

void to_json(Json& j, const InvolvedObject& v) {
  j = Json{{"kind", v.kind}, {"name", v.name}, {"namespace", v.ns}, {"uid", v.uid}};
}

void to_json(Json& j, const Event& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["type"] = v.type;
  j["reason"] = v.reason;
  j["message"] = v.message;
  j["count"] = v.count;
  j["involved_object"] = v.involved;
  j["first_timestamp"] = v.first_timestamp;
  j["last_timestamp"] = v.last_timestamp;
  j["source_component"] = v.source_component;
  j["source_host"] = v.source_host;
}

}  // namespace corral::agent::model
