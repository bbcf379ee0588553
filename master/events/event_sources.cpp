#include "master/events/event_sources.h"

#include <string>

#include "master/events/event_json.h"
#include "master/events/event_types.h"

namespace corral::master {
namespace {

// Agents write error messages and snapshot summaries; an event carries only so much of them, so
// that one agent cannot fill the retained events with its text.
constexpr size_t kMaxTextBytes = 1024;
constexpr size_t kMaxSummaryBytes = size_t(16) * 1024;

Json text(const std::string& value) {
  if (value.size() <= kMaxTextBytes) {
    return value;
  }
  return value.substr(0, kMaxTextBytes) + "…";
}

Json orNull(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

Json targetJson(const CommandRecord& c) {
  Json target = {{"type", c.target_type}};
  if (c.target_type == "agent") {
    target["agent_id"] = c.target_agent_id;
  } else if (c.target_type == "pool") {
    target["pool_id"] = c.target_pool_id;
  } else {
    target["cluster_id"] = c.target_cluster_id;
  }
  return target;
}

}  // namespace

Json agentEventData(const AgentChange& change, int64_t at_ms) {
  const Agent& a = change.agent;
  return {{"agent_id", a.id},
          {"name", a.name},
          {"pool_id", a.pool_id},
          {"type", a.type},
          {"cluster_id", orNull(a.cluster_id)},
          {"status", change.removed ? std::string("deleted") : a.status},
          {"previous_status", orNull(change.previous_status)},
          {"status_message", text(a.status_message)},
          {"drain", a.drain},
          {"at", eventTime(at_ms)}};
}

Json commandEventData(const CommandChange& change) {
  const CommandRecord& c = change.command;
  return {{"command_id", c.id},
          {"state", commandStateName(c.state)},
          {"previous_state",
           change.previous ? Json(commandStateName(*change.previous)) : Json(nullptr)},
          {"action", c.action},
          {"target", targetJson(c)},
          {"agent_id", orNull(c.agent_id)},
          {"attempts", c.attempts},
          {"max_attempts", c.max_attempts},
          {"cancel_requested", c.cancel_requested},
          {"reason", orNull(c.reason)},
          {"error", c.error.empty() ? Json(nullptr) : text(c.error)},
          {"at", eventTime(c.updated_at)}};
}

Json snapshotEventData(const ClusterSnapshot& s) {
  Json errors = Json::array();
  if (s.errors.is_object()) {
    for (const auto& [kind, why] : s.errors.items()) {
      errors.push_back(kind);
    }
  }
  Json summary = s.summary;
  bool truncated =
      summary.dump(-1, ' ', false, Json::error_handler_t::replace).size() > kMaxSummaryBytes;
  if (truncated) {
    summary = nullptr;
  }
  return {{"cluster_id", s.cluster_id},
          {"agent_id", s.agent_id},
          {"kind", s.kind},
          {"version", s.version},
          {"fetched_at", eventTime(s.fetched_at)},
          {"received_at", eventTime(s.received_at)},
          {"summary", summary},
          {"summary_truncated", truncated},
          {"error_kinds", errors},
          {"size_bytes", s.size_bytes}};
}

void EventSources::agentChanged(const AgentChange& change) {
  bus_.publish(event_types::kAgent, agentEventData(change, toUnixMillis(clock_.wallNow())));
}

void EventSources::commandChanged(const CommandChange& change) {
  bus_.publish(event_types::kCommand, commandEventData(change));
}

void EventSources::snapshotStored(const ClusterSnapshot& snapshot) {
  bus_.publish(event_types::kSnapshot, snapshotEventData(snapshot));
}

}  // namespace corral::master
