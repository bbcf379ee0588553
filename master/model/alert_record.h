#pragma once

// An alert as the master keeps it: one episode of one condition (a rule) on one object of one
// cluster, from the evaluation that first saw it firing to the one that saw it gone. Plain values,
// shared by the store, the alerts component and the API. Times are Unix milliseconds (UTC); 0 is
// "not set".

#include <cstdint>
#include <string>

#include "master/model/model.h"

namespace corral::master {

inline constexpr const char* kAlertFiring = "firing";
inline constexpr const char* kAlertResolved = "resolved";

struct AlertRecord {
  int64_t seq = 0;  // insertion order, set by the store; lists page on it
  std::string id;   // "alt_" + 16 hex characters, new for every episode
  // The same for every episode of one rule on one object (rule + cluster + object identity), so
  // the history of a condition can be followed across episodes.
  std::string fingerprint;
  std::string rule;                  // pod_crash_loop, node_not_ready, ...
  std::string severity;              // critical | warning | info
  std::string state = kAlertFiring;  // firing | resolved
  std::string cluster_id;            // empty for an agent that serves no cluster
  std::string summary;               // one line
  std::string description;           // what was seen, with the numbers
  Labels labels;  // cluster, namespace, kind, name, node, agent, agent_id, pool, and per rule
  int64_t first_seen = 0;
  int64_t last_seen = 0;        // the last evaluation that saw the condition
  int64_t resolved_at = 0;      // 0 while firing
  int64_t count = 0;            // evaluations that saw the condition
  std::string acknowledged_by;  // the operator token's id; empty while not acknowledged
  int64_t acknowledged_at = 0;
  std::string ack_comment;
};

}  // namespace corral::master
