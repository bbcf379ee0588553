#pragma once

// A Pod as a dashboard shows it: what state it is in and why, how often its containers restarted,
// what it asks of its node. Plain values, safe to copy between threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

// Quantities exactly as the spec writes them ("100m", "2Gi"); empty when not set.
struct ResourceQuantities {
  std::string cpu;
  std::string memory;
};

// Totals in base units, so they can be added up across pods.
struct ResourceTotals {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
};

struct Container {
  std::string name;
  std::string image;  // as the spec asks for it, not as the runtime resolved it
  bool ready = false;
  int64_t restart_count = 0;
  std::string state;    // "running" | "waiting" | "terminated" | "" (no status reported yet)
  std::string reason;   // of the current state: CrashLoopBackOff, ErrImagePull, OOMKilled, ...
  std::string message;  // of the current state
  std::optional<int64_t> exit_code;  // when terminated
  // How the previous run ended (lastState.terminated): explains a restart loop.
  std::string last_reason;
  std::optional<int64_t> last_exit_code;
  ResourceQuantities requests;
  ResourceQuantities limits;
};

struct Pod {
  CommonMeta meta;
  std::string phase;  // Pending | Running | Succeeded | Failed | Unknown
  // What `kubectl get pods` shows as STATUS: a container's reason (CrashLoopBackOff,
  // ErrImagePull, OOMKilled, ContainerCreating), "Init:<reason>" or "Init:n/m" while init
  // containers run, "Unschedulable", "Terminating", else the phase.
  std::string reason;
  std::string message;  // status.message, e.g. why the pod was evicted
  std::string ready;    // "ready/total" over the app containers
  int64_t ready_containers = 0;
  int64_t total_containers = 0;
  int64_t restarts = 0;               // app and init containers together
  std::vector<std::string> images;    // the app containers', in spec order, without repeats
  std::vector<Container> containers;  // spec order; statuses matched by name
  std::vector<Container> init_containers;
  // What the scheduler reserves: the app containers' sum, or the largest init container's value
  // when that is larger. Limits add up the limits that are set.
  ResourceTotals requests;
  ResourceTotals limits;
  std::string pod_ip;
  std::string host_ip;
  std::string qos_class;
  std::vector<Condition> conditions;
};

void to_json(Json& j, const ResourceQuantities& v);
void to_json(Json& j, const ResourceTotals& v);
void to_json(Json& j, const Container& v);
void to_json(Json& j, const Pod& v);

}  // namespace corral::agent::model
