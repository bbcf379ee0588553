#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

namespace {

const Json& podSpec(const Json& item) { return fields::at(item, {"spec", "template", "spec"}); }

model::StringMap matchLabels(const Json& item) {
  return fields::stringMap(fields::at(item, {"spec", "selector", "matchLabels"}));
}

}  // namespace

Result<model::Deployment> deploymentFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Deployment", item);
  }
  const Json& status = fields::at(item, {"status"});
  model::Deployment d;
  d.meta = metaFromJson(item, "Deployment");
  d.replicas = fields::integer(item, {"spec", "replicas"});
  d.current_replicas = fields::integer(status, {"replicas"});
  d.ready_replicas = fields::integer(status, {"readyReplicas"});
  d.available_replicas = fields::integer(status, {"availableReplicas"});
  d.updated_replicas = fields::integer(status, {"updatedReplicas"});
  d.paused = fields::boolean(item, {"spec", "paused"});
  d.strategy = fields::str(item, {"spec", "strategy", "type"});
  d.selector = matchLabels(item);
  d.images = containerImages(podSpec(item));
  d.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  return d;
}

Result<model::ReplicaSet> replicaSetFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("ReplicaSet", item);
  }
  const Json& status = fields::at(item, {"status"});
  model::ReplicaSet rs;
  rs.meta = metaFromJson(item, "ReplicaSet");
  rs.replicas = fields::integer(item, {"spec", "replicas"});
  rs.current_replicas = fields::integer(status, {"replicas"});
  rs.ready_replicas = fields::integer(status, {"readyReplicas"});
  rs.available_replicas = fields::integer(status, {"availableReplicas"});
  rs.selector = matchLabels(item);
  rs.images = containerImages(podSpec(item));
  rs.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  return rs;
}

Result<model::StatefulSet> statefulSetFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("StatefulSet", item);
  }
  const Json& status = fields::at(item, {"status"});
  model::StatefulSet ss;
  ss.meta = metaFromJson(item, "StatefulSet");
  ss.replicas = fields::integer(item, {"spec", "replicas"});
  ss.current_replicas = fields::integer(status, {"replicas"});
  ss.ready_replicas = fields::integer(status, {"readyReplicas"});
  ss.available_replicas = fields::integer(status, {"availableReplicas"});
  ss.updated_replicas = fields::integer(status, {"updatedReplicas"});
  ss.service_name = fields::str(item, {"spec", "serviceName"});
  ss.selector = matchLabels(item);
  ss.images = containerImages(podSpec(item));
  ss.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  return ss;
}

Result<model::DaemonSet> daemonSetFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("DaemonSet", item);
  }
  const Json& status = fields::at(item, {"status"});
  model::DaemonSet ds;
  ds.meta = metaFromJson(item, "DaemonSet");
  ds.desired_number_scheduled = fields::integer(status, {"desiredNumberScheduled"});
  ds.current_number_scheduled = fields::integer(status, {"currentNumberScheduled"});
  ds.number_ready = fields::integer(status, {"numberReady"});
  ds.number_available = fields::integer(status, {"numberAvailable"});
  ds.updated_number_scheduled = fields::integer(status, {"updatedNumberScheduled"});
  ds.number_misscheduled = fields::integer(status, {"numberMisscheduled"});
  ds.selector = matchLabels(item);
  ds.images = containerImages(podSpec(item));
  ds.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  return ds;
}

}  // namespace corral::agent
