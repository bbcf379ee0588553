#pragma once

// What the alert rules read: the few facts of a cluster's snapshot that rules look at (pods,
// nodes, deployments, events), and the fleet's liveness (agents offline, when each cluster last
// sent a snapshot). The rules never see a snapshot's JSON or the store, so they are tested with
// plain values; observation_reader.h and inventory_observation.h build these from the snapshot's
// objects. Plain values, safe to copy between threads. Times are Unix milliseconds, 0 when unknown.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace corral::master {

struct ContainerFacts {
  std::string name;
  bool init = false;    // an init container
  std::string state;    // running | waiting | terminated | "" (no status yet)
  std::string reason;   // of the current state: CrashLoopBackOff, ErrImagePull, OOMKilled, ...
  std::string message;  // of the current state
  std::optional<int64_t> exit_code;
  std::string last_reason;  // how the previous run ended (lastState.terminated)
  std::optional<int64_t> last_exit_code;
  int64_t restart_count = 0;
};

struct PodFacts {
  std::string uid;
  std::string ns;
  std::string name;
  std::string node;
  std::string owner_kind;
  std::string owner_name;
  std::string phase;
  int64_t restarts = 0;  // app and init containers together
  // App and init containers. May be empty for a pod whose containers report no reason at all
  // (inventory_observation.h skips reading them): nothing is wrong with them then.
  std::vector<ContainerFacts> containers;
};

struct NodeConditionFacts {
  std::string type;
  std::string status;  // True | False | Unknown
  std::string reason;
  std::string message;
};

struct NodeFacts {
  std::string name;
  bool ready = false;  // the Ready condition is True
  bool memory_pressure = false;
  bool disk_pressure = false;
  bool pid_pressure = false;
  bool unschedulable = false;
  std::vector<NodeConditionFacts> conditions;
};

struct DeploymentFacts {
  std::string ns;
  std::string name;
  int64_t replicas = 0;  // desired
  int64_t ready_replicas = 0;
  int64_t available_replicas = 0;
  int64_t updated_replicas = 0;
  bool paused = false;
};

struct EventFacts {
  std::string uid;
  std::string ns;
  std::string name;
  std::string type;  // Normal | Warning
  std::string reason;
  std::string message;
  int64_t count = 1;  // occurrences so far
  std::string involved_kind;
  std::string involved_ns;
  std::string involved_name;
  int64_t first_time = 0;  // the cluster's clock
  int64_t last_time = 0;
};

// One snapshot of one cluster, as far as the rules care.
struct ClusterObservation {
  std::string cluster_id;
  std::string agent_id;
  int64_t version = 0;
  int64_t fetched_at = 0;   // by the agent's clock
  int64_t received_at = 0;  // by the master's clock
  // Kinds ("pods", "nodes", ...) the agent reported it could not read. A rule that needs one of
  // them is not evaluated, so that an unreadable kind does not look like a healthy, empty one.
  std::set<std::string> unreadable;
  std::vector<PodFacts> pods;
  std::vector<NodeFacts> nodes;
  std::vector<DeploymentFacts> deployments;
  std::vector<EventFacts> events;
};

// An agent, with the names alerts are labelled with.
struct AgentFacts {
  std::string id;
  std::string name;
  std::string pool_id;
  std::string pool;  // the pool's name
  std::string cluster_id;
  std::string status;
  int64_t last_heartbeat = 0;
};

// A cluster's latest snapshot, as the liveness rules see it.
struct ClusterLiveness {
  std::string cluster_id;
  int64_t received_at = 0;  // by the master's clock
  AgentFacts agent;         // the agent that sent it; only its id when it no longer exists
};

struct FleetObservation {
  std::vector<AgentFacts> offline_agents;
  std::vector<ClusterLiveness> clusters;
};

}  // namespace corral::master
