#pragma once

// The controllers that keep pods running: Deployment, ReplicaSet, StatefulSet, DaemonSet. Each
// holds what it wants and what it has, so a dashboard can tell a finished rollout from a stuck
// one. Plain values, safe to copy between threads.
//
// Replica counts: `replicas` is the desired number (spec.replicas), `current_replicas` the pods
// that exist (status.replicas), the rest come from the status; an absent count is 0.

#include <cstdint>
#include <string>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

struct Deployment {
  CommonMeta meta;
  int64_t replicas = 0;
  int64_t current_replicas = 0;
  int64_t ready_replicas = 0;
  int64_t available_replicas = 0;
  int64_t updated_replicas = 0;
  bool paused = false;
  std::string strategy;               // RollingUpdate | Recreate
  StringMap selector;                 // spec.selector.matchLabels
  std::vector<std::string> images;    // the pod template's app containers, without repeats
  std::vector<Condition> conditions;  // Available, Progressing, ReplicaFailure
};

// The owning Deployment, if any, is meta.owner_kind / meta.owner_name.
struct ReplicaSet {
  CommonMeta meta;
  int64_t replicas = 0;
  int64_t current_replicas = 0;
  int64_t ready_replicas = 0;
  int64_t available_replicas = 0;
  StringMap selector;
  std::vector<std::string> images;
  std::vector<Condition> conditions;
};

struct StatefulSet {
  CommonMeta meta;
  int64_t replicas = 0;
  int64_t current_replicas = 0;
  int64_t ready_replicas = 0;
  int64_t available_replicas = 0;
  int64_t updated_replicas = 0;
  std::string service_name;
  StringMap selector;
  std::vector<std::string> images;
  std::vector<Condition> conditions;
};

// A DaemonSet counts nodes, not replicas: the names follow its status fields.
struct DaemonSet {
  CommonMeta meta;
  int64_t desired_number_scheduled = 0;
  int64_t current_number_scheduled = 0;
  int64_t number_ready = 0;
  int64_t number_available = 0;
  int64_t updated_number_scheduled = 0;
  int64_t number_misscheduled = 0;
  StringMap selector;
  std::vector<std::string> images;
  std::vector<Condition> conditions;
};

void to_json(Json& j, const Deployment& v);
void to_json(Json& j, const ReplicaSet& v);
void to_json(Json& j, const StatefulSet& v);
void to_json(Json& j, const DaemonSet& v);

}  // namespace corral::agent::model
