#include "proto-json/messages.h"

#include <cstdlib>

#include "proto-json/field_reader.h"

namespace corral::proto {

namespace {

constexpr int64_t kMaxFence = int64_t(1) << 53;  // exact in every JSON implementation

template <typename T>
void readInto(FieldReader& r, T& out);

template <>
void readInto(FieldReader& r, RegisterRequest& v) {
  r.string("name", v.name, true, 128);
  r.oneOf("type", v.type, true, {"host", "k8s"});
  r.string("protocol_version", v.protocol_version, true, 16);
  r.string("version", v.version, false, 64);
  r.string("hostname", v.hostname, false, 253);
  r.string("cluster_id", v.cluster_id, false, 128);
  r.labels("labels", v.labels);
  r.object("capabilities", v.capabilities, false);
  r.integer("slots", v.slots, false, 1, 64);
  r.string("previous_token", v.previous_token, false, 128);
}

template <>
void readInto(FieldReader& r, RegisterResponse& v) {
  r.string("agent_id", v.agent_id, true);
  r.string("agent_token", v.agent_token, true);
  r.string("pool_id", v.pool_id, true);
  r.string("protocol_version", v.protocol_version, true, 16);
  r.integer("heartbeat_interval_s", v.heartbeat_interval_s, true, 1, 3600);
  r.integer("poll_wait_s", v.poll_wait_s, true, 0, 300);
  r.integer("snapshot_interval_s", v.snapshot_interval_s, true, 1, 86400);
  r.integer("offline_after_s", v.offline_after_s, true, 1, 86400);
}

template <>
void readInto(FieldReader& r, HeartbeatRequest& v) {
  r.oneOf("status", v.status, false, {"online", "draining", "error"});
  r.integer("slots_total", v.slots_total, false, 0, 64);
  r.integer("slots_used", v.slots_used, false, 0, 64);
  r.number("load", v.load, false, 0, 1e6);
  r.stringList("running", v.running, 1024);
  r.string("message", v.message, false, 1024);
  if (v.slots_used > v.slots_total) {
    throw FieldError{r.path("slots_used"), "at most slots_total"};
  }
}

template <>
void readInto(FieldReader& r, HeartbeatResponse& v) {
  r.stringList("cancel", v.cancel, 1024);
  r.boolean("drain", v.drain, false);
  r.integer("heartbeat_interval_s", v.heartbeat_interval_s, true, 1, 3600);
}

template <>
void readInto(FieldReader& r, Command& v) {
  r.string("id", v.id, true);
  r.string("action", v.action, true, 64);
  r.object("params", v.params, false);
  r.integer("fence", v.fence, true, 1, kMaxFence);
  r.integer("attempt", v.attempt, true, 1, 1000);
  r.integer("timeout_s", v.timeout_s, true, 1, 86400);
  r.string("created_at", v.created_at, true, 40);
}

template <>
void readInto(FieldReader& r, PollResponse& v) {
  if (const Json* commands = r.raw("commands")) {
    if (!commands->is_array()) {
      throw FieldError{r.path("commands"), "a list of commands"};
    }
    for (size_t i = 0; i < commands->size(); ++i) {
      FieldReader item((*commands)[i], r.path("commands") + "[" + std::to_string(i) + "]");
      Command c;
      readInto(item, c);
      v.commands.push_back(std::move(c));
    }
  }
  r.stringList("cancel", v.cancel, 1024);
}

template <>
void readInto(FieldReader& r, ProgressRequest& v) {
  r.integer("fence", v.fence, true, 1, kMaxFence);
  if (r.raw("offset") != nullptr) {
    int64_t offset = 0;
    r.integer("offset", offset, false, 0, kMaxFence);
    v.offset = offset;
  }
  r.string("log", v.log, false, 512 * 1024);
  r.string("message", v.message, false, 1024);
}

template <>
void readInto(FieldReader& r, ProgressResponse& v) {
  r.boolean("cancel_requested", v.cancel_requested, true);
  r.integer("next_offset", v.next_offset, false, 0, kMaxFence);
}

template <>
void readInto(FieldReader& r, ResultRequest& v) {
  r.integer("fence", v.fence, true, 1, kMaxFence);
  r.boolean("success", v.success, true);
  r.any("data", v.data);
  r.string("error", v.error, false, 65536);
  r.string("started_at", v.started_at, false, 40);
  r.string("finished_at", v.finished_at, false, 40);
  r.integer("duration_ms", v.duration_ms, false, 0, kMaxFence);
}

template <>
void readInto(FieldReader& r, SnapshotEnvelope& v) {
  r.string("cluster_id", v.cluster_id, true, 128);
  r.integer("version", v.version, true, 1, kMaxFence);
  r.oneOf("kind", v.kind, true, {"k8s", "host"});
  r.string("fetched_at", v.fetched_at, true, 40);
  r.object("summary", v.summary, false);
  r.object("resources", v.resources, false);
  r.object("errors", v.errors, false);
}

template <>
void readInto(FieldReader& r, ErrorBody& v) {
  const Json* error = r.raw("error");
  if (error == nullptr) {
    throw FieldError{r.path("error"), "a value (the field is required)"};
  }
  FieldReader inner(*error, r.path("error"));
  inner.string("code", v.code, true, 64);
  inner.string("message", v.message, true, 4096);
}

}  // namespace

Result<int> protocolMajor(const std::string& version) {
  auto dot = version.find('.');
  std::string major = version.substr(0, dot);
  if (major.empty() || major.size() > 4 ||
      major.find_first_not_of("0123456789") != std::string::npos ||
      (dot != std::string::npos &&
       (dot + 1 == version.size() ||
        version.find_first_not_of("0123456789", dot + 1) != std::string::npos))) {
    return invalidArgument("field 'protocol_version': expected \"major.minor\", got '" + version +
                           "'");
  }
  return std::atoi(major.c_str());
}

template <typename T>
Result<T> decode(const Json& j) {
  try {
    FieldReader reader(j, "");
    T value;
    readInto(reader, value);
    return value;
  } catch (const FieldError& e) {
    return invalidArgument("field '" + e.field + "': expected " + e.expected);
  }
}

template Result<ErrorBody> decode(const Json&);
template Result<RegisterRequest> decode(const Json&);
template Result<RegisterResponse> decode(const Json&);
template Result<HeartbeatRequest> decode(const Json&);
template Result<HeartbeatResponse> decode(const Json&);
template Result<Command> decode(const Json&);
template Result<PollResponse> decode(const Json&);
template Result<ProgressRequest> decode(const Json&);
template Result<ProgressResponse> decode(const Json&);
template Result<ResultRequest> decode(const Json&);
template Result<SnapshotEnvelope> decode(const Json&);

void to_json(Json& j, const ErrorBody& v) {
  j = {{"error", {{"code", v.code}, {"message", v.message}}}};
}

void to_json(Json& j, const RegisterRequest& v) {
  j = {{"name", v.name},
       {"type", v.type},
       {"protocol_version", v.protocol_version},
       {"version", v.version},
       {"hostname", v.hostname},
       {"cluster_id", v.cluster_id},
       {"labels", v.labels},
       {"capabilities", v.capabilities},
       {"slots", v.slots}};
  if (!v.previous_token.empty()) {
    j["previous_token"] = v.previous_token;
  }
}

void to_json(Json& j, const RegisterResponse& v) {
  j = {{"agent_id", v.agent_id},
       {"agent_token", v.agent_token},
       {"pool_id", v.pool_id},
       {"protocol_version", v.protocol_version},
       {"heartbeat_interval_s", v.heartbeat_interval_s},
       {"poll_wait_s", v.poll_wait_s},
       {"snapshot_interval_s", v.snapshot_interval_s},
       {"offline_after_s", v.offline_after_s}};
}

void to_json(Json& j, const HeartbeatRequest& v) {
  j = {{"status", v.status},
       {"slots_total", v.slots_total},
       {"slots_used", v.slots_used},
       {"load", v.load},
       {"running", v.running}};
  if (!v.message.empty()) {
    j["message"] = v.message;
  }
}

void to_json(Json& j, const HeartbeatResponse& v) {
  j = {{"cancel", v.cancel}, {"drain", v.drain}, {"heartbeat_interval_s", v.heartbeat_interval_s}};
}

void to_json(Json& j, const Command& v) {
  j = {{"id", v.id},
       {"action", v.action},
       {"params", v.params},
       {"fence", v.fence},
       {"attempt", v.attempt},
       {"timeout_s", v.timeout_s},
       {"created_at", v.created_at}};
}

void to_json(Json& j, const PollResponse& v) {
  j = {{"commands", v.commands}, {"cancel", v.cancel}};
}

void to_json(Json& j, const ProgressRequest& v) {
  j = {{"fence", v.fence}, {"log", v.log}};
  if (v.offset) {
    j["offset"] = *v.offset;
  }
  if (!v.message.empty()) {
    j["message"] = v.message;
  }
}

void to_json(Json& j, const ProgressResponse& v) {
  j = {{"cancel_requested", v.cancel_requested}, {"next_offset", v.next_offset}};
}

void to_json(Json& j, const ResultRequest& v) {
  j = {{"fence", v.fence}, {"success", v.success}, {"data", v.data}};
  if (!v.error.empty()) {
    j["error"] = v.error;
  }
  if (!v.started_at.empty()) {
    j["started_at"] = v.started_at;
  }
  if (!v.finished_at.empty()) {
    j["finished_at"] = v.finished_at;
  }
  j["duration_ms"] = v.duration_ms;
}

void to_json(Json& j, const SnapshotEnvelope& v) {
  j = {{"cluster_id", v.cluster_id}, {"version", v.version}, {"kind", v.kind},
       {"fetched_at", v.fetched_at}, {"summary", v.summary}, {"resources", v.resources},
       {"errors", v.errors}};
}

}  // namespace corral::proto
