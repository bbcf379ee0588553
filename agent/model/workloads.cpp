#include "agent/model/workloads.h"

namespace corral::agent::model {
namespace {

// Writes a workload kind as one object: its meta, then `own(j)` (the kind's counts and settings),
// then the pod selector, images and conditions every kind has.
template <typename Workload, typename OwnFields>
void writeWorkload(Json& j, const Workload& v, OwnFields own) {
  j = Json::object();
  writeMeta(j, v.meta);
  own(j);
  j["selector"] = v.selector;
  j["images"] = v.images;
  j["conditions"] = v.conditions;
}

// The replica counts that Deployment, ReplicaSet and StatefulSet share.
template <typename Workload>
void writeReplicas(Json& j, const Workload& v) {
  j["replicas"] = v.replicas;
  j["current_replicas"] = v.current_replicas;
  j["ready_replicas"] = v.ready_replicas;
  j["available_replicas"] = v.available_replicas;
}

}  // namespace

void to_json(Json& j, const Deployment& v) {
  writeWorkload(j, v, [&v](Json& o) {
    writeReplicas(o, v);
    o["updated_replicas"] = v.updated_replicas;
    o["paused"] = v.paused;
    o["strategy"] = v.strategy;
  });
}

void to_json(Json& j, const ReplicaSet& v) {
  writeWorkload(j, v, [&v](Json& o) { writeReplicas(o, v); });
}

void to_json(Json& j, const StatefulSet& v) {
  writeWorkload(j, v, [&v](Json& o) {
    writeReplicas(o, v);
    o["updated_replicas"] = v.updated_replicas;
    o["service_name"] = v.service_name;
  });
}

void to_json(Json& j, const DaemonSet& v) {
  writeWorkload(j, v, [&v](Json& o) {
    o["desired_number_scheduled"] = v.desired_number_scheduled;
    o["current_number_scheduled"] = v.current_number_scheduled;
    o["number_ready"] = v.number_ready;
    o["number_available"] = v.number_available;
    o["updated_number_scheduled"] = v.updated_number_scheduled;
    o["number_misscheduled"] = v.number_misscheduled;
  });
}

}  // namespace corral::agent::model
