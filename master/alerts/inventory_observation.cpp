#include "master/alerts/inventory_observation.h"

#include <algorithm>
#include <string>

#include "common/time_format.h"
#include "master/alerts/observation_reader.h"
#include "master/alerts/pod_rules.h"
#include "master/inventory/cluster_index.h"

namespace corral::master {
namespace {

// The object's JSON; an empty object when it cannot be parsed (the index validated it, so only
// a bug would get here).
Json objectJson(const IndexedObject& o) {
  Json parsed = Json::parse(o.json, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json::object() : parsed;
}

int64_t timeMs(std::string_view rfc3339) {
  if (rfc3339.empty()) {
    return 0;
  }
  auto parsed = parseRfc3339(std::string(rfc3339));
  return parsed.isOk() ? toUnixMillis(*parsed) : 0;
}

PodFacts pod(const IndexedObject& o) {
  // Most pods are fine: their containers are read only when one of them carries a reason a pod
  // rule looks at (the index keeps every container's current and last reason).
  if (std::any_of(o.reasons.begin(), o.reasons.end(), podReasonMatters)) {
    return podFacts(objectJson(o));
  }
  PodFacts f;
  f.uid = o.uid;
  f.ns = o.ns;
  f.name = o.name;
  f.node = o.node;
  f.owner_kind = o.owner_kind;
  f.owner_name = o.owner_name;
  f.phase = o.phase;
  f.restarts = o.restarts;
  return f;
}

EventFacts event(const IndexedObject& o) {
  EventFacts f;
  f.uid = o.uid;
  f.ns = o.ns;
  f.name = o.name;
  f.type = o.status;  // an event's status is its type
  f.reason = o.reason;
  f.message = o.message;
  f.count = std::max<int64_t>(1, o.count);
  f.involved_kind = o.involved.kind;
  f.involved_ns = o.involved.ns;
  f.involved_name = o.involved.name;
  f.first_time = timeMs(o.first_seen);
  f.last_time = timeMs(o.last_seen);
  if (f.last_time == 0) {
    f.last_time = f.first_time;
  }
  return f;
}

}  // namespace

ClusterObservation observationFromIndex(const ClusterIndex& index) {
  const SnapshotInfo& info = index.info();
  ClusterObservation o;
  o.cluster_id = info.cluster_id;
  o.agent_id = info.agent_id;
  o.version = info.version;
  o.fetched_at = info.fetched_at;
  o.received_at = info.received_at;
  if (info.errors.is_object()) {
    for (const auto& [kind, message] : info.errors.items()) {
      o.unreadable.insert(kind);
    }
  }
  for (const IndexedObject& p : index.objects(Kind::kPods)) {
    o.pods.push_back(pod(p));
  }
  for (const IndexedObject& n : index.objects(Kind::kNodes)) {
    o.nodes.push_back(nodeFacts(objectJson(n)));
  }
  for (const IndexedObject& d : index.objects(Kind::kDeployments)) {
    o.deployments.push_back(deploymentFacts(objectJson(d)));
  }
  for (const IndexedObject& e : index.objects(Kind::kEvents)) {
    o.events.push_back(event(e));
  }
  return o;
}

}  // namespace corral::master
