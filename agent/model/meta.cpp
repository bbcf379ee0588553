#include "agent/model/meta.h"

namespace corral::agent::model {

void writeMeta(Json& j, const CommonMeta& meta) {
  j["uid"] = meta.uid;
  j["name"] = meta.name;
  j["namespace"] = meta.ns;
  j["kind"] = meta.kind;
  j["node_name"] = meta.node_name;
  j["owner_kind"] = meta.owner_kind;
  j["owner_name"] = meta.owner_name;
  j["labels"] = meta.labels;
  j["annotations"] = meta.annotations;
  j["created_at"] = meta.created_at;
}

void to_json(Json& j, const CommonMeta& v) {
  j = Json::object();
  writeMeta(j, v);
}

void to_json(Json& j, const Condition& v) {
  j = Json{{"type", v.type},
           {"status", v.status},
           {"reason", v.reason},
           {"message", v.message},
           {"last_transition_time", v.last_transition_time}};
}

}  // namespace corral::agent::model
