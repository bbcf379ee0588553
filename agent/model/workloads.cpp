#include "agent/model/workloads.h"

namespace corral::agent::model {

void to_json(Json& j, const Deployment& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["replicas"] = v.replicas;
  j["current_replicas"] = v.current_replicas;
  j["ready_replicas"] = v.ready_replicas;
  j["available_replicas"] = v.available_replicas;
  j["updated_replicas"] = v.updated_replicas;
  j["paused"] = v.paused;
  j["strategy"] = v.strategy;
  j["selector"] = v.selector;
  j["images"] = v.images;
  j["conditions"] = v.conditions;
}

void to_json(Json& j, const ReplicaSet& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["replicas"] = v.replicas;
  j["current_replicas"] = v.current_replicas;
  j["ready_replicas"] = v.ready_replicas;
  j["available_replicas"] = v.available_replicas;
  j["selector"] = v.selector;
  j["images"] = v.images;
  j["conditions"] = v.conditions;
}

void to_json(Json& j, const StatefulSet& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["replicas"] = v.replicas;
  j["current_replicas"] = v.current_replicas;
  j["ready_replicas"] = v.ready_replicas;
  j["available_replicas"] = v.available_replicas;
  j["updated_replicas"] = v.updated_replicas;
  j["service_name"] = v.service_name;
  j["selector"] = v.selector;
  j["images"] = v.images;
  j["conditions"] = v.conditions;
}

void to_json(Json& j, const DaemonSet& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["desired_number_scheduled"] = v.desired_number_scheduled;
  j["current_number_scheduled"] = v.current_number_scheduled;
  j["number_ready"] = v.number_ready;
  j["number_available"] = v.number_available;
  j["updated_number_scheduled"] = v.updated_number_scheduled;
  j["number_misscheduled"] = v.number_misscheduled;
  j["selector"] = v.selector;
  j["images"] = v.images;
  j["conditions"] = v.conditions;
}

}  // namespace corral::agent::model
