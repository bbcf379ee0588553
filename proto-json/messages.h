#pragma once

// The wire contract between corral-agent and corral-master: one struct per JSON message, with
// to_json for encoding and decode() for checked decoding. The JSON Schemas in proto-json/schemas
// describe the same messages; tests/proto-json checks that the two agree. Plain values: safe to
// copy between threads.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::proto {

// "major.minor". A master accepts agents of the same major version; minors add optional fields.
inline constexpr const char* kProtocolVersion = "1.0";
inline constexpr int kProtocolMajor = 1;

// Returns the major number of "major.minor", or an error naming the field.
Result<int> protocolMajor(const std::string& version);

using Labels = std::map<std::string, std::string>;

struct ErrorBody {
  std::string code;     // machine-readable, snake_case
  std::string message;  // for people: what was wrong and, where it helps, what to do
};

struct RegisterRequest {
  std::string name;
  std::string type;  // "host" | "k8s"
  std::string protocol_version;
  std::string version;  // the agent's build version
  std::string hostname;
  std::string cluster_id;
  Labels labels;
  Json capabilities = Json::object();
  int slots = 3;
  // The agent's credential from an earlier registration: presenting it re-uses the record.
  std::string previous_token;
};

struct RegisterResponse {
  std::string agent_id;
  std::string agent_token;
  std::string pool_id;
  std::string protocol_version;
  int heartbeat_interval_s = 15;
  int poll_wait_s = 30;
  int snapshot_interval_s = 30;
  int offline_after_s = 45;
};

struct HeartbeatRequest {
  std::string status = "online";  // "online" | "draining" | "error"
  int slots_total = 3;
  int slots_used = 0;
  double load = 0;
  std::vector<std::string> running;  // ids of commands the agent is executing
  std::string message;               // why the agent is in "error", else empty
};

struct HeartbeatResponse {
  std::vector<std::string> cancel;  // running commands the operator cancelled
  bool drain = false;               // take no new work
  int heartbeat_interval_s = 15;
};

struct Command {
  std::string id;
  std::string action;
  Json params = Json::object();
  int64_t fence = 0;  // echo it in progress and result; a stale fence is refused with 409
  int attempt = 1;
  int timeout_s = 300;
  std::string created_at;  // RFC 3339
};

struct PollResponse {
  std::vector<Command> commands;
  std::vector<std::string> cancel;
};

struct ProgressRequest {
  int64_t fence = 0;
  std::optional<int64_t> offset;  // byte offset of `log` in the command's log stream
  std::string log;
  std::string message;
};

struct ProgressResponse {
  bool cancel_requested = false;
  int64_t next_offset = 0;
};

struct ResultRequest {
  int64_t fence = 0;
  bool success = false;
  Json data = Json::object();
  std::string error;
  std::string started_at;   // RFC 3339, optional
  std::string finished_at;  // RFC 3339, optional
  int64_t duration_ms = 0;
};

struct SnapshotEnvelope {
  std::string cluster_id;
  int64_t version = 0;  // grows with every snapshot of the cluster
  std::string kind;     // "k8s" | "host"
  std::string fetched_at;
  Json summary = Json::object();
  Json resources = Json::object();
  Json errors = Json::object();  // kind -> error message for kinds that failed
};

void to_json(Json& j, const ErrorBody& v);
void to_json(Json& j, const RegisterRequest& v);
void to_json(Json& j, const RegisterResponse& v);
void to_json(Json& j, const HeartbeatRequest& v);
void to_json(Json& j, const HeartbeatResponse& v);
void to_json(Json& j, const Command& v);
void to_json(Json& j, const PollResponse& v);
void to_json(Json& j, const ProgressRequest& v);
void to_json(Json& j, const ProgressResponse& v);
void to_json(Json& j, const ResultRequest& v);
void to_json(Json& j, const SnapshotEnvelope& v);

// Checked decoding: a missing required field, a field of the wrong type or a value out of range is
// kInvalidArgument whose message names the field ("field 'slots': expected an integer from 1 to
// 64"). Unknown fields are ignored so that newer minor versions stay readable.
template <typename T>
Result<T> decode(const Json& j);

}  // namespace corral::proto
