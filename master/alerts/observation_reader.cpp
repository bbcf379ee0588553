#include "master/alerts/observation_reader.h"

#include "common/time_format.h"

namespace corral::master {
namespace {

const Json* member(const Json& j, const char* key) {
  if (!j.is_object()) {
    return nullptr;
  }
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string text(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

int64_t number(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v != nullptr && v->is_number() ? v->get<int64_t>() : 0;
}

std::optional<int64_t> optionalNumber(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v != nullptr && v->is_number() ? std::optional<int64_t>(v->get<int64_t>()) : std::nullopt;
}

bool flag(const Json& j, const char* key) {
  const Json* v = member(j, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

// An array member's elements; an empty array when absent or of another type.
const Json& items(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  const Json* v = member(j, key);
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

int64_t timeMs(const std::string& rfc3339) {
  if (rfc3339.empty()) {
    return 0;
  }
  auto parsed = parseRfc3339(rfc3339);
  return parsed.isOk() ? toUnixMillis(*parsed) : 0;
}

ContainerFacts containerFacts(const Json& c, bool init) {
  ContainerFacts f;
  f.name = text(c, "name");
  f.init = init;
  f.state = text(c, "state");
  f.reason = text(c, "reason");
  f.message = text(c, "message");
  f.exit_code = optionalNumber(c, "exit_code");
  f.last_reason = text(c, "last_reason");
  f.last_exit_code = optionalNumber(c, "last_exit_code");
  f.restart_count = number(c, "restart_count");
  return f;
}

}  // namespace

PodFacts podFacts(const Json& pod) {
  PodFacts f;
  f.uid = text(pod, "uid");
  f.ns = text(pod, "namespace");
  f.name = text(pod, "name");
  f.node = text(pod, "node_name");
  f.owner_kind = text(pod, "owner_kind");
  f.owner_name = text(pod, "owner_name");
  f.phase = text(pod, "phase");
  f.restarts = number(pod, "restarts");
  for (const Json& c : items(pod, "init_containers")) {
    f.containers.push_back(containerFacts(c, true));
  }
  for (const Json& c : items(pod, "containers")) {
    f.containers.push_back(containerFacts(c, false));
  }
  return f;
}

NodeFacts nodeFacts(const Json& node) {
  NodeFacts f;
  f.name = text(node, "name");
  f.ready = flag(node, "ready");
  f.memory_pressure = flag(node, "memory_pressure");
  f.disk_pressure = flag(node, "disk_pressure");
  f.pid_pressure = flag(node, "pid_pressure");
  f.unschedulable = flag(node, "unschedulable");
  for (const Json& c : items(node, "conditions")) {
    f.conditions.push_back(
        {text(c, "type"), text(c, "status"), text(c, "reason"), text(c, "message")});
  }
  return f;
}

DeploymentFacts deploymentFacts(const Json& deployment) {
  DeploymentFacts f;
  f.ns = text(deployment, "namespace");
  f.name = text(deployment, "name");
  f.replicas = number(deployment, "replicas");
  f.ready_replicas = number(deployment, "ready_replicas");
  f.available_replicas = number(deployment, "available_replicas");
  f.updated_replicas = number(deployment, "updated_replicas");
  f.paused = flag(deployment, "paused");
  return f;
}

EventFacts eventFacts(const Json& event) {
  EventFacts f;
  f.uid = text(event, "uid");
  f.ns = text(event, "namespace");
  f.name = text(event, "name");
  f.type = text(event, "type");
  f.reason = text(event, "reason");
  f.message = text(event, "message");
  f.count = std::max<int64_t>(1, number(event, "count"));
  const Json* involved = member(event, "involved_object");
  if (involved != nullptr) {
    f.involved_kind = text(*involved, "kind");
    f.involved_ns = text(*involved, "namespace");
    f.involved_name = text(*involved, "name");
  }
  f.first_time = timeMs(text(event, "first_timestamp"));
  f.last_time = timeMs(text(event, "last_timestamp"));
  if (f.last_time == 0) {
    f.last_time = f.first_time;
  }
  return f;
}

ClusterObservation observationFromEnvelope(const Json& envelope) {
  ClusterObservation o;
  o.cluster_id = text(envelope, "cluster_id");
  o.version = number(envelope, "version");
  o.fetched_at = timeMs(text(envelope, "fetched_at"));
  if (const Json* errors = member(envelope, "errors"); errors != nullptr && errors->is_object()) {
    for (const auto& [kind, message] : errors->items()) {
      o.unreadable.insert(kind);
    }
  }
  const Json* resources = member(envelope, "resources");
  if (resources == nullptr) {
    return o;
  }
  for (const Json& pod : items(*resources, "pods")) {
    o.pods.push_back(podFacts(pod));
  }
  for (const Json& node : items(*resources, "nodes")) {
    o.nodes.push_back(nodeFacts(node));
  }
  for (const Json& deployment : items(*resources, "deployments")) {
    o.deployments.push_back(deploymentFacts(deployment));
  }
  for (const Json& event : items(*resources, "events")) {
    o.events.push_back(eventFacts(event));
  }
  return o;
}

}  // namespace corral::master
