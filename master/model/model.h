#pragma once

// The master's records: plain values shared by the store, the services and the API. Times are
// milliseconds since the Unix epoch (UTC); 0 means "never" or "not set".

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/json.h"

namespace corral::master {

using Labels = std::map<std::string, std::string>;

struct Pool {
  std::string id;
  std::string name;
  std::string description;
  std::string pool_type = "static";  // static | k8s
  std::string selection_strategy =
      "round_robin";  // round_robin | least_busy | random | label_match
  Labels required_labels;
  int slots_per_agent = 3;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Agent {
  std::string id;
  std::string pool_id;
  std::string name;
  std::string type = "host";      // host | k8s
  std::string status = "online";  // online | offline | busy | draining | error
  Labels labels;
  Json capabilities = Json::object();
  std::string version;
  std::string hostname;
  std::string cluster_id;
  std::string description;
  std::string status_message;
  bool drain = false;  // set by an operator: the agent takes no new commands
  int64_t registered_at = 0;
  int64_t last_heartbeat = 0;
  int slots_total = 3;
  int slots_used = 0;  // as the agent last reported it
  double load = 0;
  int64_t tasks_total = 0;
  int64_t tasks_succeeded = 0;
  int64_t tasks_failed = 0;
};

enum class TokenKind { kEnrollment, kAgent, kOperator };
const char* tokenKindName(TokenKind kind);

enum class Role { kViewer = 0, kOperator = 1, kAdmin = 2 };
const char* roleName(Role role);
std::optional<Role> parseRole(const std::string& name);

struct Token {
  std::string id;
  TokenKind kind = TokenKind::kOperator;
  std::string hash;  // SHA-256 of the secret; the secret itself is never stored
  std::string hint;  // the first characters of the secret, to recognise it in a list
  std::string name;
  Role role = Role::kViewer;  // operator tokens only
  std::string pool_id;        // enrollment tokens: the pool they enrol into
  std::string agent_id;       // agent tokens: the agent they belong to
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t revoked_at = 0;
  int64_t last_used_at = 0;
  int64_t use_count = 0;
  int64_t max_uses = 0;  // 0: unlimited
  std::string created_by;
};

// queued -> leased -> running -> succeeded | failed | cancelled; queued -> expired | cancelled.
enum class CommandState { kQueued, kLeased, kRunning, kSucceeded, kFailed, kCancelled, kExpired };
const char* commandStateName(CommandState state);
std::optional<CommandState> parseCommandState(const std::string& name);
bool isTerminal(CommandState state);

struct CommandRecord {
  int64_t seq = 0;  // insertion order: FIFO within an agent
  std::string id;
  std::string target_type;  // agent | pool | cluster
  std::string target_agent_id;
  std::string target_pool_id;
  Labels target_labels;
  std::string target_cluster_id;
  std::string agent_id;  // the agent it is assigned or leased to, empty while unassigned
  std::string action;
  Json params = Json::object();
  CommandState state = CommandState::kQueued;
  int timeout_s = 300;
  int64_t deadline = 0;  // must be leased before this time, else it expires
  std::string idempotency_key;
  int attempts = 0;  // leases handed out so far; the current lease's fencing token
  int max_attempts = 3;
  int64_t lease_expires = 0;
  bool cancel_requested = false;
  bool cancel_delivered = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t leased_at = 0;
  int64_t started_at = 0;
  int64_t finished_at = 0;
  Json result;  // null until the agent reports
  std::string error;
  std::string reason;  // why the master ended it: lease_expired, agent_offline, deadline, ...
  std::string created_by;
  int64_t log_size = 0;
};

// The latest snapshot a cluster's agent sent. The body is kept gzip-compressed: snapshots are
// large, repetitive JSON that shrinks about tenfold, and a gzip upload is stored as it arrived.
struct ClusterSnapshot {
  std::string cluster_id;
  std::string agent_id;     // the agent that sent it
  int64_t version = 0;      // grows with every snapshot of the cluster
  std::string kind;         // k8s | host
  int64_t fetched_at = 0;   // when the agent gathered it (the agent's clock)
  int64_t received_at = 0;  // when the master stored it (the master's clock)
  Json summary = Json::object();
  Json errors = Json::object();  // resource kind -> why the agent could not read it
  int64_t size_bytes = 0;        // the envelope's JSON as sent, uncompressed
  int64_t stored_bytes = 0;      // the gzip body as stored
  std::string body;              // gzip of the envelope's JSON; empty unless read with the body
};

struct AuditEntry {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;   // token id, or "system"
  std::string action;  // e.g. pool.create
  std::string target;  // the id acted upon
  Json details = Json::object();
  std::string remote_addr;
};

}  // namespace corral::master
