#include "master/api/views.h"

#include "common/time_format.h"
#include "master/snapshots/snapshot_service.h"

namespace corral::master {

Json timeJson(int64_t unix_ms) {
  if (unix_ms == 0) {
    return nullptr;
  }
  return formatRfc3339(fromUnixMillis(unix_ms));
}

Json toJson(const Pool& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"description", p.description},
          {"pool_type", p.pool_type},
          {"selection_strategy", p.selection_strategy},
          {"required_labels", p.required_labels},
          {"slots_per_agent", p.slots_per_agent},
          {"created_at", timeJson(p.created_at)},
          {"updated_at", timeJson(p.updated_at)}};
}

Json toJson(const Agent& a) {
  return {
      {"id", a.id},
      {"pool_id", a.pool_id},
      {"name", a.name},
      {"type", a.type},
      {"status", a.status},
      {"status_message", a.status_message},
      {"drain", a.drain},
      {"labels", a.labels},
      {"capabilities", a.capabilities},
      {"version", a.version},
      {"hostname", a.hostname},
      {"cluster_id", a.cluster_id},
      {"description", a.description},
      {"registered_at", timeJson(a.registered_at)},
      {"last_heartbeat", timeJson(a.last_heartbeat)},
      {"slots", {{"total", a.slots_total}, {"used", a.slots_used}}},
      {"load", a.load},
      {"tasks",
       {{"total", a.tasks_total}, {"succeeded", a.tasks_succeeded}, {"failed", a.tasks_failed}}}};
}

Json toJson(const Token& t) {
  Json j = {{"id", t.id},
            {"kind", tokenKindName(t.kind)},
            {"name", t.name},
            {"hint", t.hint + "…"},
            {"created_at", timeJson(t.created_at)},
            {"expires_at", timeJson(t.expires_at)},
            {"revoked", t.revoked_at != 0},
            {"revoked_at", timeJson(t.revoked_at)},
            {"last_used_at", timeJson(t.last_used_at)},
            {"use_count", t.use_count},
            {"created_by", t.created_by}};
  if (t.kind == TokenKind::kOperator) {
    j["role"] = roleName(t.role);
  }
  if (t.kind == TokenKind::kEnrollment) {
    j["pool_id"] = t.pool_id;
    j["max_uses"] = t.max_uses == 0 ? Json(nullptr) : Json(t.max_uses);
  }
  if (t.kind == TokenKind::kAgent) {
    j["agent_id"] = t.agent_id;
  }
  return j;
}

Json toJson(const CommandRecord& c) {
  Json target = {{"type", c.target_type}};
  if (c.target_type == "agent") {
    target["agent_id"] = c.target_agent_id;
  } else if (c.target_type == "pool") {
    target["pool_id"] = c.target_pool_id;
  } else {
    target["cluster_id"] = c.target_cluster_id;
  }
  if (!c.target_labels.empty()) {
    target["labels"] = c.target_labels;
  }
  return {{"id", c.id},
          {"state", commandStateName(c.state)},
          {"action", c.action},
          {"params", c.params},
          {"target", target},
          {"agent_id", c.agent_id.empty() ? Json(nullptr) : Json(c.agent_id)},
          {"attempts", c.attempts},
          {"max_attempts", c.max_attempts},
          {"timeout_s", c.timeout_s},
          {"deadline", timeJson(c.deadline)},
          {"idempotency_key", c.idempotency_key.empty() ? Json(nullptr) : Json(c.idempotency_key)},
          {"cancel_requested", c.cancel_requested},
          {"created_at", timeJson(c.created_at)},
          {"updated_at", timeJson(c.updated_at)},
          {"leased_at", timeJson(c.leased_at)},
          {"lease_expires_at", timeJson(c.lease_expires)},
          {"started_at", timeJson(c.started_at)},
          {"finished_at", timeJson(c.finished_at)},
          {"result", c.result},
          {"error", c.error.empty() ? Json(nullptr) : Json(c.error)},
          {"reason", c.reason.empty() ? Json(nullptr) : Json(c.reason)},
          {"created_by", c.created_by},
          {"log_size", c.log_size}};
}

Json toJson(const AuditEntry& e) {
  return {{"seq", e.seq},
          {"at", timeJson(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"target", e.target},
          {"details", e.details},
          {"remote_addr", e.remote_addr}};
}

Json toJson(const ClusterSnapshot& s) {
  return {{"cluster_id", s.cluster_id},
          {"agent_id", s.agent_id},
          {"kind", s.kind},
          {"version", s.version},
          {"fetched_at", timeJson(s.fetched_at)},
          {"received_at", timeJson(s.received_at)},
          {"summary", s.summary},
          {"errors", s.errors},
          {"size_bytes", s.size_bytes},
          {"stored_bytes", s.stored_bytes}};
}

Json toJson(const ClusterStatus& c) {
  Json item = toJson(c.snapshot);
  item["staleness_s"] = c.staleness_s;
  return item;
}

}  // namespace corral::master
