#include "master/inventory/object_reader.h"

#include <algorithm>

namespace corral::master {
namespace {

// Replica counts of the workload kinds, for their status.
struct Replicas {
  int64_t desired = 0;
  int64_t current = 0;
  int64_t ready = 0;
  int64_t available = 0;
  int64_t updated = -1;  // -1: the kind does not report it
  int64_t misscheduled = 0;
};

// A workload is healthy when every pod it wants is there, ready, available and up to date, and
// no surplus pods of a rollout remain: the rule the agent's summary counts deployments by.
std::string_view workloadStatus(const Replicas& r) {
  bool healthy = r.ready == r.desired && r.available == r.desired && r.current == r.desired &&
                 (r.updated < 0 || r.updated == r.desired) && r.misscheduled == 0;
  return healthy ? "Healthy" : "Unhealthy";
}

std::string_view nodeStatus(bool ready, bool unschedulable) {
  if (unschedulable) {
    return ready ? "Ready,SchedulingDisabled" : "NotReady,SchedulingDisabled";
  }
  return ready ? "Ready" : "NotReady";
}

// Keeps `reason` once, when not empty.
void addReason(std::vector<std::string_view>& reasons, std::string_view reason) {
  if (!reason.empty() && std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
    reasons.push_back(reason);
  }
}

// A JSON object of strings ({"app": "web"}), sorted by key; other members are skipped.
void readStringMap(JsonCursor& c, StringKeeper& strings, LabelList& out) {
  if (!c.enterObject()) {
    return;
  }
  std::string_view key;
  while (c.nextMember(key)) {
    if (c.peek() != '"') {
      c.skipValue();
      continue;
    }
    std::string_view value = strings.read(c);
    out.emplace_back(key, value);
  }
  // The keys stay raw: label keys are names, which never need escapes. One that had them would
  // only fail to match.
  std::sort(out.begin(), out.end());
}

// The members `fields` of each object of an array, handed to `visit(key, cursor)`; everything
// else is skipped.
template <typename Visit>
void forEachObjectMember(JsonCursor& c, Visit visit) {
  if (!c.enterArray()) {
    return;
  }
  while (c.nextElement()) {
    if (!c.enterObject()) {
      continue;
    }
    std::string_view key;
    while (c.nextMember(key)) {
      visit(key, c);
    }
  }
}

// The reasons of an array of conditions or containers.
void readReasons(JsonCursor& c, StringKeeper& strings, std::vector<std::string_view>& reasons) {
  forEachObjectMember(c, [&](std::string_view key, JsonCursor& cur) {
    if (key == "reason" || key == "last_reason") {
      addReason(reasons, strings.read(cur));
    } else {
      cur.skipValue();
    }
  });
}

void readInvolved(JsonCursor& c, StringKeeper& strings, ObjectName& out) {
  if (!c.enterObject()) {
    return;
  }
  std::string_view key;
  while (c.nextMember(key)) {
    if (key == "kind") {
      out.kind = strings.read(c);
    } else if (key == "name") {
      out.name = strings.read(c);
    } else if (key == "namespace") {
      out.ns = strings.read(c);
    } else {
      c.skipValue();
    }
  }
}

void readBackends(JsonCursor& c, StringKeeper& strings, std::vector<std::string_view>& out) {
  forEachObjectMember(c, [&](std::string_view key, JsonCursor& rule) {
    if (key != "paths") {
      rule.skipValue();
      return;
    }
    forEachObjectMember(rule, [&](std::string_view path_key, JsonCursor& path) {
      if (path_key == "service_name") {
        std::string_view service = strings.read(path);
        if (!service.empty() && std::find(out.begin(), out.end(), service) == out.end()) {
          out.push_back(service);
        }
      } else {
        path.skipValue();
      }
    });
  });
}

// The CommonMeta fields (agent/model/meta.h); false for any other key.
bool readMeta(std::string_view key, JsonCursor& c, StringKeeper& strings, IndexedObject& o) {
  if (key == "uid") {
    o.uid = strings.read(c);
  } else if (key == "name") {
    o.name = strings.read(c);
  } else if (key == "namespace") {
    o.ns = strings.read(c);
  } else if (key == "node_name") {
    o.node = strings.read(c);
  } else if (key == "owner_kind") {
    o.owner_kind = strings.read(c);
  } else if (key == "owner_name") {
    o.owner_name = strings.read(c);
  } else if (key == "labels") {
    readStringMap(c, strings, o.labels);
  } else if (key == "created_at") {
    o.created_at = strings.read(c);
  } else {
    return false;
  }
  return true;
}

// The replica counts of Deployment, ReplicaSet, StatefulSet and DaemonSet; false for other keys.
bool readReplicas(std::string_view key, JsonCursor& c, Replicas& r) {
  if (key == "replicas" || key == "desired_number_scheduled") {
    r.desired = c.readInt();
  } else if (key == "current_replicas" || key == "current_number_scheduled") {
    r.current = c.readInt();
  } else if (key == "ready_replicas" || key == "number_ready") {
    r.ready = c.readInt();
  } else if (key == "available_replicas" || key == "number_available") {
    r.available = c.readInt();
  } else if (key == "updated_replicas" || key == "updated_number_scheduled") {
    r.updated = c.readInt();
  } else if (key == "number_misscheduled") {
    r.misscheduled = c.readInt();
  } else {
    return false;
  }
  return true;
}

bool isWorkload(Kind kind) {
  return kind == Kind::kDeployments || kind == Kind::kReplicaSets || kind == Kind::kStatefulSets ||
         kind == Kind::kDaemonSets;
}

}  // namespace

std::string_view StringKeeper::read(JsonCursor& cursor) {
  bool escaped = false;
  std::string_view raw = cursor.readRawString(escaped);
  if (!escaped) {
    return raw;
  }
  return storage_.emplace_back(unescapeJson(raw));
}

void readObject(Kind kind, JsonCursor& c, StringKeeper& strings, IndexedObject& o) {
  if (!c.enterObject()) {
    return;
  }
  Replicas replicas;
  bool ready = false;
  bool unschedulable = false;
  std::string_view key;
  while (c.nextMember(key)) {
    if (readMeta(key, c, strings, o)) {
      continue;
    }
    if (isWorkload(kind) && readReplicas(key, c, replicas)) {
      continue;
    }
    if (key == "conditions") {
      readReasons(c, strings, o.reasons);
      continue;
    }
    switch (kind) {
      case Kind::kPods:
        if (key == "phase") {
          o.phase = strings.read(c);
        } else if (key == "reason") {
          o.reason = strings.read(c);
        } else if (key == "message") {
          o.message = strings.read(c);
        } else if (key == "restarts") {
          o.restarts = c.readInt();
        } else if (key == "containers" || key == "init_containers") {
          readReasons(c, strings, o.reasons);
        } else {
          c.skipValue();
        }
        break;
      case Kind::kNodes:
        if (key == "ready") {
          ready = c.readBool();
        } else if (key == "unschedulable") {
          unschedulable = c.readBool();
        } else {
          c.skipValue();
        }
        break;
      case Kind::kDeployments:
      case Kind::kReplicaSets:
      case Kind::kStatefulSets:
      case Kind::kDaemonSets:
      case Kind::kServices:
        if (key == "selector") {
          readStringMap(c, strings, o.selector);
        } else {
          c.skipValue();
        }
        break;
      case Kind::kEvents:
        if (key == "type") {
          o.status = strings.read(c);
        } else if (key == "reason") {
          o.reason = strings.read(c);
        } else if (key == "message") {
          o.message = strings.read(c);
        } else if (key == "count") {
          o.count = c.readInt();
        } else if (key == "involved_object") {
          readInvolved(c, strings, o.involved);
        } else if (key == "last_timestamp") {
          o.last_seen = strings.read(c);
        } else if (key == "first_timestamp") {
          o.first_seen = strings.read(c);
        } else if (key == "source_host") {
          o.source_host = strings.read(c);
        } else {
          c.skipValue();
        }
        break;
      case Kind::kIngresses:
        if (key == "rules") {
          readBackends(c, strings, o.backends);
        } else {
          c.skipValue();
        }
        break;
      case Kind::kNamespaces:
        if (key == "phase") {
          o.phase = strings.read(c);
        } else {
          c.skipValue();
        }
        break;
      case Kind::kConfigMaps:
        c.skipValue();
        break;
    }
  }
  if (kind == Kind::kPods) {
    o.status = o.reason.empty() ? o.phase : o.reason;
    addReason(o.reasons, o.reason);
  } else if (kind == Kind::kNodes) {
    o.status = nodeStatus(ready, unschedulable);
  } else if (isWorkload(kind)) {
    o.status = workloadStatus(replicas);
  } else if (kind == Kind::kNamespaces) {
    o.status = o.phase;
  } else if (kind == Kind::kEvents) {
    addReason(o.reasons, o.reason);
  }
}

}  // namespace corral::master
