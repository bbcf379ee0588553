#include "agent/model/pod.h"

namespace corral::agent::model {

namespace {

Json optionalNumber(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

void to_json(Json& j, const ResourceQuantities& v) {
  j = Json{{"cpu", v.cpu}, {"memory", v.memory}};
}

void to_json(Json& j, const ResourceTotals& v) {
  j = Json{{"cpu_millis", v.cpu_millis}, {"memory_bytes", v.memory_bytes}};
}

void to_json(Json& j, const Container& v) {
  j = Json{{"name", v.name},
           {"image", v.image},
           {"ready", v.ready},
           {"restart_count", v.restart_count},
           {"state", v.state},
           {"reason", v.reason},
           {"message", v.message},
           {"exit_code", optionalNumber(v.exit_code)},
           {"last_reason", v.last_reason},
           {"last_exit_code", optionalNumber(v.last_exit_code)},
           {"requests", v.requests},
           {"limits", v.limits}};
}

void to_json(Json& j, const Pod& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["phase"] = v.phase;
  j["reason"] = v.reason;
  j["message"] = v.message;
  j["ready"] = v.ready;
  j["ready_containers"] = v.ready_containers;
  j["total_containers"] = v.total_containers;
  j["restarts"] = v.restarts;
  j["images"] = v.images;
  j["containers"] = v.containers;
  j["init_containers"] = v.init_containers;
  j["requests"] = v.requests;
  j["limits"] = v.limits;
  j["pod_ip"] = v.pod_ip;
  j["host_ip"] = v.host_ip;
  j["qos_class"] = v.qos_class;
  j["conditions"] = v.conditions;
}

}  // namespace corral::agent::model
