// Numbered schema migrations. A migration is never edited once released: changes go into a new
// entry at the end. Each runs in its own transaction with its version row.

#include <chrono>
#include <string>
#include <vector>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_store.h"

namespace corral::master {
namespace {

const std::vector<std::string>& migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: pools, agents, tokens, the command queue and the audit log.
      R"sql(
CREATE TABLE pools (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  pool_type TEXT NOT NULL,
  selection_strategy TEXT NOT NULL,
  required_labels TEXT NOT NULL DEFAULT '{}',
  slots_per_agent INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES pools(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  capabilities TEXT NOT NULL DEFAULT '{}',
  version TEXT NOT NULL DEFAULT '',
  hostname TEXT NOT NULL DEFAULT '',
  cluster_id TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  status_message TEXT NOT NULL DEFAULT '',
  drain INTEGER NOT NULL DEFAULT 0,
  registered_at INTEGER NOT NULL,
  last_heartbeat INTEGER NOT NULL,
  slots_total INTEGER NOT NULL,
  slots_used INTEGER NOT NULL DEFAULT 0,
  load REAL NOT NULL DEFAULT 0,
  tasks_total INTEGER NOT NULL DEFAULT 0,
  tasks_succeeded INTEGER NOT NULL DEFAULT 0,
  tasks_failed INTEGER NOT NULL DEFAULT 0,
  UNIQUE (pool_id, name)
);
CREATE INDEX agents_by_status ON agents(status, last_heartbeat);
CREATE INDEX agents_by_cluster ON agents(cluster_id);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT 'viewer',
  pool_id TEXT NOT NULL DEFAULT '',
  agent_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER NOT NULL DEFAULT 0,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  use_count INTEGER NOT NULL DEFAULT 0,
  max_uses INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tokens_by_agent ON tokens(agent_id);
CREATE INDEX tokens_by_pool ON tokens(kind, pool_id);
CREATE TABLE commands (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  target_type TEXT NOT NULL,
  target_agent_id TEXT NOT NULL DEFAULT '',
  target_pool_id TEXT NOT NULL DEFAULT '',
  target_labels TEXT NOT NULL DEFAULT '{}',
  target_cluster_id TEXT NOT NULL DEFAULT '',
  agent_id TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  timeout_s INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  idempotency_key TEXT UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  lease_expires INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  cancel_delivered INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  leased_at INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0,
  result TEXT,
  error TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL DEFAULT '',
  log_size INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX commands_by_agent ON commands(agent_id, state, seq);
CREATE INDEX commands_unassigned ON commands(state, agent_id, target_pool_id, seq);
CREATE INDEX commands_by_lease ON commands(state, lease_expires);
CREATE INDEX commands_by_deadline ON commands(state, deadline);
CREATE TABLE command_logs (
  command_id TEXT NOT NULL,
  offset INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (command_id, offset)
);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_action ON audit(action);
)sql",
      // 2: the latest snapshot of each cluster, its body gzip-compressed.
      R"sql(
CREATE TABLE cluster_snapshots (
  cluster_id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  summary TEXT NOT NULL DEFAULT '{}',
  errors TEXT NOT NULL DEFAULT '{}',
  size_bytes INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  body BLOB NOT NULL
);
)sql",
      // 3: alerts, one row per episode; at most one firing row per fingerprint.
      R"sql(
CREATE TABLE alerts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  cluster_id TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  labels TEXT NOT NULL DEFAULT '{}',
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  resolved_at INTEGER NOT NULL DEFAULT 0,
  count INTEGER NOT NULL DEFAULT 1,
  acknowledged_by TEXT NOT NULL DEFAULT '',
  acknowledged_at INTEGER NOT NULL DEFAULT 0,
  ack_comment TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_one_firing ON alerts(fingerprint) WHERE state = 'firing';
CREATE INDEX alerts_by_state ON alerts(state, seq);
CREATE INDEX alerts_by_cluster ON alerts(cluster_id, seq);
CREATE INDEX alerts_by_fingerprint ON alerts(fingerprint, seq);
CREATE INDEX alerts_by_resolved ON alerts(state, resolved_at);
)sql",
      // 4: the summaries of each cluster's snapshots over time.
      R"sql(
CREATE TABLE cluster_history (
  cluster_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  summary TEXT NOT NULL DEFAULT '{}',
  counts TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (cluster_id, version)
);
CREATE INDEX cluster_history_by_time ON cluster_history(cluster_id, received_at);
)sql",
  };
  return kMigrations;
}

}  // namespace

Result<int> migrate(SqliteConnection& conn, int64_t now_ms) {
  CORRAL_RETURN_IF_ERROR(
      conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at INTEGER NOT NULL)"));
  int current = 0;
  {
    auto q = conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    auto row = q.next();
    if (!row.isOk()) {
      return row.status();
    }
    current = static_cast<int>(q.getInt(0));
  }
  const auto& all = migrations();
  if (current > static_cast<int>(all.size())) {
    return internalError("the database has schema version " + std::to_string(current) +
                         ", newer than this master knows (" + std::to_string(all.size()) +
                         "); run a newer corral-master");
  }
  for (int version = current + 1; version <= static_cast<int>(all.size()); ++version) {
    CORRAL_RETURN_IF_ERROR(conn.exec("BEGIN IMMEDIATE"));
    Status applied = conn.exec(all[static_cast<size_t>(version - 1)]);
    if (applied.isOk()) {
      applied = conn.query("INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                           version, now_ms)
                    .run();
    }
    if (!applied.isOk()) {
      (void)conn.exec("ROLLBACK");
      return internalError("migration " + std::to_string(version) +
                           " failed: " + applied.message());
    }
    CORRAL_RETURN_IF_ERROR(conn.exec("COMMIT"));
  }
  return static_cast<int>(all.size());
}

}  // namespace corral::master
