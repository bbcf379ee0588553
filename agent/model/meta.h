#pragma once

// What every kind shares: identity, placement, ownership and labels (CommonMeta), and the
// conditions most kinds report. Plain values, safe to copy between threads.
//
// On the wire each kind is one flat JSON object: the CommonMeta fields first, then the kind's own.

#include <map>
#include <string>
#include <vector>

#include "common/json.h"

namespace corral::agent::model {

using StringMap = std::map<std::string, std::string>;

struct CommonMeta {
  std::string uid;
  std::string name;
  std::string ns;         // empty for cluster-scoped kinds (Node, Namespace)
  std::string kind;       // "Pod", "Deployment", ...
  std::string node_name;  // Pods only: the node the pod is bound to, empty while unscheduled
  // The controlling owner reference (controller: true), else the first one; empty when none.
  std::string owner_kind;
  std::string owner_name;
  StringMap labels;
  // Without kubectl's last-applied-configuration, which repeats the whole object (and for a
  // ConfigMap its data values, which never leave the cluster).
  StringMap annotations;
  std::string created_at;  // RFC 3339, as the API server wrote it
};

struct Condition {
  std::string type;
  std::string status;  // "True" | "False" | "Unknown"
  std::string reason;
  std::string message;
  std::string last_transition_time;  // RFC 3339
};

// Writes the CommonMeta fields into the object `j` ("namespace" for `ns`); each kind's to_json
// calls it first, then adds its own fields.
void writeMeta(Json& j, const CommonMeta& meta);

void to_json(Json& j, const CommonMeta& v);
void to_json(Json& j, const Condition& v);

}  // namespace corral::agent::model
