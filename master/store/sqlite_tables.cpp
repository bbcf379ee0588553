// The SQLite implementations of the store's tables. Rows map to records column by column in the
// order of each table's kColumns list.

#include <charconv>
#include <cstdint>
#include <memory>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_rows.h"
#include "master/store/sqlite_tx.h"

namespace corral::master {
namespace {

Json parseStoredJson(const std::string& text) {
  if (text.empty()) {
    return nullptr;
  }
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json(nullptr) : parsed;
}

Labels parseLabels(const std::string& text) {
  Labels labels;
  Json parsed = parseStoredJson(text);
  if (parsed.is_object()) {
    for (const auto& [k, v] : parsed.items()) {
      if (v.is_string()) {
        labels[k] = v.get<std::string>();
      }
    }
  }
  return labels;
}

std::string dumpLabels(const Labels& labels) { return Json(labels).dump(); }

// Page::after of the lists ordered by seq: empty for the first page, else the last seq seen. The
// position is opaque to callers, so a malformed one is the caller's error, not the store's.
Result<int64_t> seqCursor(const std::string& after) {
  if (after.empty()) {
    return INT64_MAX;
  }
  int64_t seq = 0;
  const char* end = after.data() + after.size();
  auto parsed = std::from_chars(after.data(), end, seq);
  if (parsed.ec != std::errc() || parsed.ptr != end) {
    return invalidArgument("field 'after': expected the position returned with a previous page");
  }
  return seq;
}

// Rows of (key, count) as a map.
template <typename V>
Result<std::map<std::string, V>> countsOf(Query& q) {
  auto rows = collectRows<std::pair<std::string, V>>(
      q, [](const Query& r) { return std::make_pair(r.getText(0), static_cast<V>(r.getInt(1))); });
  if (!rows.isOk()) {
    return rows.status();
  }
  return std::map<std::string, V>(rows->begin(), rows->end());
}

Status expectChanged(SqliteConnection& conn, const std::string& what, const std::string& id) {
  if (conn.changes() == 0) {
    return notFound(what + " '" + id + "' not found");
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------------------------
// pools

constexpr const char* kPoolColumns =
    "id, name, description, pool_type, selection_strategy, required_labels, slots_per_agent, "
    "created_at, updated_at";

Pool poolRow(const Query& q) {
  Pool p;
  p.id = q.getText(0);
  p.name = q.getText(1);
  p.description = q.getText(2);
  p.pool_type = q.getText(3);
  p.selection_strategy = q.getText(4);
  p.required_labels = parseLabels(q.getText(5));
  p.slots_per_agent = static_cast<int>(q.getInt(6));
  p.created_at = q.getInt(7);
  p.updated_at = q.getInt(8);
  return p;
}

class SqlitePoolTable final : public PoolTable {
 public:
  explicit SqlitePoolTable(SqliteConnection& conn) : conn_(conn) {}

  Status insert(const Pool& p) override {
    Status s =
        conn_
            .query(
                std::string("INSERT INTO pools(") + kPoolColumns + ") VALUES (?,?,?,?,?,?,?,?,?)",
                p.id, p.name, p.description, p.pool_type, p.selection_strategy,
                dumpLabels(p.required_labels), p.slots_per_agent, p.created_at, p.updated_at)
            .run();
    if (s.code() == ErrorCode::kConflict) {
      return conflict("a pool named '" + p.name + "' already exists");
    }
    return s;
  }

  Status update(const Pool& p) override {
    Status s = conn_
                   .query(
                       "UPDATE pools SET name=?, description=?, pool_type=?, "
                       "selection_strategy=?, required_labels=?, slots_per_agent=?, "
                       "updated_at=? WHERE id=?",
                       p.name, p.description, p.pool_type, p.selection_strategy,
                       dumpLabels(p.required_labels), p.slots_per_agent, p.updated_at, p.id)
                   .run();
    if (s.code() == ErrorCode::kConflict) {
      return conflict("a pool named '" + p.name + "' already exists");
    }
    CORRAL_RETURN_IF_ERROR(s);
    return expectChanged(conn_, "pool", p.id);
  }

  Status remove(const std::string& id) override {
    CORRAL_RETURN_IF_ERROR(conn_.query("DELETE FROM pools WHERE id=?", id).run());
    return expectChanged(conn_, "pool", id);
  }

  Result<Pool> get(const std::string& id) override {
    auto q = conn_.query(std::string("SELECT ") + kPoolColumns + " FROM pools WHERE id=?", id);
    return requireRow<Pool>(q, poolRow, "pool '" + id + "' not found");
  }

  Result<std::vector<Pool>> list(const Page& page) override {
    auto q = conn_.query(
        std::string("SELECT ") + kPoolColumns + " FROM pools WHERE name > ? ORDER BY name LIMIT ?",
        page.after, page.limit);
    return collectRows<Pool>(q, poolRow);
  }

  Result<int64_t> countAgents(const std::string& pool_id) override {
    auto q = conn_.query("SELECT COUNT(*) FROM agents WHERE pool_id=?", pool_id);
    auto row = q.next();
    if (!row.isOk()) {
      return row.status();
    }
    return q.getInt(0);
  }

 private:
  SqliteConnection& conn_;
};

// ---------------------------------------------------------------------------------------------
// agents

constexpr const char* kAgentColumns =
    "id, pool_id, name, type, status, labels, capabilities, version, hostname, cluster_id, "
    "description, status_message, drain, registered_at, last_heartbeat, slots_total, slots_used, "
    "load, tasks_total, tasks_succeeded, tasks_failed";

Agent agentRow(const Query& q) {
  Agent a;
  a.id = q.getText(0);
  a.pool_id = q.getText(1);
  a.name = q.getText(2);
  a.type = q.getText(3);
  a.status = q.getText(4);
  a.labels = parseLabels(q.getText(5));
  a.capabilities = storedObject(q.getText(6));
  a.version = q.getText(7);
  a.hostname = q.getText(8);
  a.cluster_id = q.getText(9);
  a.description = q.getText(10);
  a.status_message = q.getText(11);
  a.drain = q.getInt(12) != 0;
  a.registered_at = q.getInt(13);
  a.last_heartbeat = q.getInt(14);
  a.slots_total = static_cast<int>(q.getInt(15));
  a.slots_used = static_cast<int>(q.getInt(16));
  a.load = q.getDouble(17);
  a.tasks_total = q.getInt(18);
  a.tasks_succeeded = q.getInt(19);
  a.tasks_failed = q.getInt(20);
  return a;
}

class SqliteAgentTable final : public AgentTable {
 public:
  explicit SqliteAgentTable(SqliteConnection& conn) : conn_(conn) {}

  Status insert(const Agent& a) override {
    Status s =
        conn_
            .query(std::string("INSERT INTO agents(") + kAgentColumns +
                       ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   a.id, a.pool_id, a.name, a.type, a.status, dumpLabels(a.labels),
                   a.capabilities.dump(), a.version, a.hostname, a.cluster_id, a.description,
                   a.status_message, a.drain, a.registered_at, a.last_heartbeat, a.slots_total,
                   a.slots_used, a.load, a.tasks_total, a.tasks_succeeded, a.tasks_failed)
            .run();
    if (s.code() == ErrorCode::kConflict) {
      return conflict("an agent named '" + a.name + "' already exists in this pool");
    }
    return s;
  }

  Status update(const Agent& a) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("UPDATE agents SET pool_id=?, name=?, type=?, status=?, labels=?, "
                   "capabilities=?, version=?, hostname=?, cluster_id=?, description=?, "
                   "status_message=?, drain=?, registered_at=?, last_heartbeat=?, "
                   "slots_total=?, slots_used=?, load=?, tasks_total=?, tasks_succeeded=?, "
                   "tasks_failed=? WHERE id=?",
                   a.pool_id, a.name, a.type, a.status, dumpLabels(a.labels), a.capabilities.dump(),
                   a.version, a.hostname, a.cluster_id, a.description, a.status_message, a.drain,
                   a.registered_at, a.last_heartbeat, a.slots_total, a.slots_used, a.load,
                   a.tasks_total, a.tasks_succeeded, a.tasks_failed, a.id)
            .run());
    return expectChanged(conn_, "agent", a.id);
  }

  Status remove(const std::string& id) override {
    CORRAL_RETURN_IF_ERROR(conn_.query("DELETE FROM agents WHERE id=?", id).run());
    return expectChanged(conn_, "agent", id);
  }

  Result<Agent> get(const std::string& id) override {
    auto q = conn_.query(std::string("SELECT ") + kAgentColumns + " FROM agents WHERE id=?", id);
    return requireRow<Agent>(q, agentRow, "agent '" + id + "' not found");
  }

  Result<std::optional<Agent>> findByName(const std::string& pool_id,
                                          const std::string& name) override {
    auto q = conn_.query(
        std::string("SELECT ") + kAgentColumns + " FROM agents WHERE pool_id=? AND name=?", pool_id,
        name);
    return firstRow<Agent>(q, agentRow);
  }

  Result<std::vector<Agent>> list(const AgentFilter& filter, const Page& page) override {
    // Label filters are applied after the query; read ahead so a page is still full.
    auto q = conn_.query(std::string("SELECT ") + kAgentColumns +
                             " FROM agents WHERE id > ? AND (?='' OR pool_id=?) AND "
                             "(?='' OR status=?) AND (?='' OR cluster_id=?) ORDER BY id",
                         page.after, filter.pool_id, filter.pool_id, filter.status, filter.status,
                         filter.cluster_id, filter.cluster_id);
    std::vector<Agent> out;
    while (static_cast<int>(out.size()) < page.limit) {
      auto more = q.next();
      if (!more.isOk()) {
        return more.status();
      }
      if (!*more) {
        break;
      }
      Agent a = agentRow(q);
      bool match = true;
      for (const auto& [k, v] : filter.labels) {
        auto it = a.labels.find(k);
        match = match && it != a.labels.end() && it->second == v;
      }
      if (match) {
        out.push_back(std::move(a));
      }
    }
    return out;
  }

  Result<std::vector<Agent>> listLive(const std::string& pool_id) override {
    auto q = conn_.query(std::string("SELECT ") + kAgentColumns +
                             " FROM agents WHERE pool_id=? AND status != 'offline' ORDER BY id",
                         pool_id);
    return collectRows<Agent>(q, agentRow);
  }

  Result<std::vector<Agent>> listLiveInCluster(const std::string& cluster_id) override {
    auto q = conn_.query(std::string("SELECT ") + kAgentColumns +
                             " FROM agents WHERE cluster_id=? AND status != 'offline' ORDER BY id",
                         cluster_id);
    return collectRows<Agent>(q, agentRow);
  }

  Result<std::vector<Agent>> listSilentSince(int64_t cutoff) override {
    auto q = conn_.query(std::string("SELECT ") + kAgentColumns +
                             " FROM agents WHERE status != 'offline' AND last_heartbeat < ?",
                         cutoff);
    return collectRows<Agent>(q, agentRow);
  }

  Status touch(const std::string& id, int64_t now) override {
    return conn_
        .query(
            "UPDATE agents SET last_heartbeat=?, status=CASE WHEN status='offline' THEN "
            "'online' ELSE status END WHERE id=?",
            now, id)
        .run();
  }

  Result<std::map<std::string, int>> busyCounts(const std::string& pool_id) override {
    auto q = conn_.query(
        "SELECT c.agent_id, COUNT(*) FROM commands c JOIN agents a ON a.id = c.agent_id "
        "WHERE a.pool_id=? AND c.state IN ('queued','leased','running') GROUP BY c.agent_id",
        pool_id);
    return countsOf<int>(q);
  }

  Result<std::map<std::string, int64_t>> countByStatus() override {
    auto q = conn_.query("SELECT status, COUNT(*) FROM agents GROUP BY status");
    return countsOf<int64_t>(q);
  }

 private:
  SqliteConnection& conn_;
};

// ---------------------------------------------------------------------------------------------
// tokens

constexpr const char* kTokenColumns =
    "id, kind, hash, hint, name, role, pool_id, agent_id, created_at, expires_at, revoked_at, "
    "last_used_at, use_count, max_uses, created_by";

TokenKind parseKind(const std::string& s) {
  if (s == "enrollment") {
    return TokenKind::kEnrollment;
  }
  if (s == "agent") {
    return TokenKind::kAgent;
  }
  return TokenKind::kOperator;
}

Token tokenRow(const Query& q) {
  Token t;
  t.id = q.getText(0);
  t.kind = parseKind(q.getText(1));
  t.hash = q.getText(2);
  t.hint = q.getText(3);
  t.name = q.getText(4);
  t.role = parseRole(q.getText(5)).value_or(Role::kViewer);
  t.pool_id = q.getText(6);
  t.agent_id = q.getText(7);
  t.created_at = q.getInt(8);
  t.expires_at = q.getInt(9);
  t.revoked_at = q.getInt(10);
  t.last_used_at = q.getInt(11);
  t.use_count = q.getInt(12);
  t.max_uses = q.getInt(13);
  t.created_by = q.getText(14);
  return t;
}

class SqliteTokenTable final : public TokenTable {
 public:
  explicit SqliteTokenTable(SqliteConnection& conn) : conn_(conn) {}

  Status insert(const Token& t) override {
    return conn_
        .query(std::string("INSERT INTO tokens(") + kTokenColumns +
                   ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               t.id, tokenKindName(t.kind), t.hash, t.hint, t.name, roleName(t.role), t.pool_id,
               t.agent_id, t.created_at, t.expires_at, t.revoked_at, t.last_used_at, t.use_count,
               t.max_uses, t.created_by)
        .run();
  }

  Result<std::optional<Token>> findByHash(const std::string& hash) override {
    auto q =
        conn_.query(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE hash=?", hash);
    return firstRow<Token>(q, tokenRow);
  }

  Result<Token> get(const std::string& id) override {
    auto q = conn_.query(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id=?", id);
    return requireRow<Token>(q, tokenRow, "token '" + id + "' not found");
  }

  Result<std::vector<Token>> list(TokenKind kind, const std::string& pool_id) override {
    auto q = conn_.query(std::string("SELECT ") + kTokenColumns +
                             " FROM tokens WHERE kind=? AND (?='' OR pool_id=?) "
                             "ORDER BY created_at DESC, id",
                         tokenKindName(kind), pool_id, pool_id);
    return collectRows<Token>(q, tokenRow);
  }

  Status revoke(const std::string& id, int64_t now) override {
    CORRAL_RETURN_IF_ERROR(
        conn_.query("UPDATE tokens SET revoked_at=? WHERE id=? AND revoked_at=0", now, id).run());
    if (conn_.changes() == 0) {
      auto existing = get(id);
      return existing.isOk() ? Status::ok() : existing.status();  // revoking twice is fine
    }
    return Status::ok();
  }

  Status revokeForAgent(const std::string& agent_id, int64_t now) override {
    return conn_
        .query(
            "UPDATE tokens SET revoked_at=? WHERE agent_id=? AND kind='agent' AND "
            "revoked_at=0",
            now, agent_id)
        .run();
  }

  Status recordUse(const std::string& id, int64_t now) override {
    return conn_
        .query("UPDATE tokens SET use_count=use_count+1, last_used_at=? WHERE id=?", now, id)
        .run();
  }

 private:
  SqliteConnection& conn_;
};

// ---------------------------------------------------------------------------------------------
// commands

constexpr const char* kCommandColumns =
    "seq, id, target_type, target_agent_id, target_pool_id, target_labels, target_cluster_id, "
    "agent_id, action, params, state, timeout_s, deadline, idempotency_key, attempts, "
    "max_attempts, lease_expires, cancel_requested, cancel_delivered, created_at, updated_at, "
    "leased_at, started_at, finished_at, result, error, reason, created_by, log_size";

CommandRecord commandRow(const Query& q) {
  CommandRecord c;
  c.seq = q.getInt(0);
  c.id = q.getText(1);
  c.target_type = q.getText(2);
  c.target_agent_id = q.getText(3);
  c.target_pool_id = q.getText(4);
  c.target_labels = parseLabels(q.getText(5));
  c.target_cluster_id = q.getText(6);
  c.agent_id = q.getText(7);
  c.action = q.getText(8);
  c.params = parseStoredJson(q.getText(9));
  c.state = parseCommandState(q.getText(10)).value_or(CommandState::kFailed);
  c.timeout_s = static_cast<int>(q.getInt(11));
  c.deadline = q.getInt(12);
  c.idempotency_key = q.getText(13);
  c.attempts = static_cast<int>(q.getInt(14));
  c.max_attempts = static_cast<int>(q.getInt(15));
  c.lease_expires = q.getInt(16);
  c.cancel_requested = q.getInt(17) != 0;
  c.cancel_delivered = q.getInt(18) != 0;
  c.created_at = q.getInt(19);
  c.updated_at = q.getInt(20);
  c.leased_at = q.getInt(21);
  c.started_at = q.getInt(22);
  c.finished_at = q.getInt(23);
  c.result = q.isNull(24) ? Json(nullptr) : parseStoredJson(q.getText(24));
  c.error = q.getText(25);
  c.reason = q.getText(26);
  c.created_by = q.getText(27);
  c.log_size = q.getInt(28);
  return c;
}

std::optional<std::string> resultText(const Json& result) {
  if (result.is_null()) {
    return std::nullopt;
  }
  return result.dump();
}

class SqliteCommandTable final : public CommandTable {
 public:
  explicit SqliteCommandTable(SqliteConnection& conn) : conn_(conn) {}

  Status insert(CommandRecord& c) override {
    std::optional<std::string> key;
    if (!c.idempotency_key.empty()) {
      key = c.idempotency_key;
    }
    Status s =
        conn_
            .query(
                "INSERT INTO commands(id, target_type, target_agent_id, target_pool_id, "
                "target_labels, target_cluster_id, agent_id, action, params, state, "
                "timeout_s, deadline, idempotency_key, attempts, max_attempts, lease_expires, "
                "cancel_requested, cancel_delivered, created_at, updated_at, leased_at, "
                "started_at, finished_at, result, error, reason, created_by, log_size) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                c.id, c.target_type, c.target_agent_id, c.target_pool_id,
                dumpLabels(c.target_labels), c.target_cluster_id, c.agent_id, c.action,
                c.params.dump(), commandStateName(c.state), c.timeout_s, c.deadline, key,
                c.attempts, c.max_attempts, c.lease_expires, c.cancel_requested, c.cancel_delivered,
                c.created_at, c.updated_at, c.leased_at, c.started_at, c.finished_at,
                resultText(c.result), c.error, c.reason, c.created_by, c.log_size)
            .run();
    if (s.code() == ErrorCode::kConflict) {
      return conflict("a command with idempotency key '" + c.idempotency_key + "' exists");
    }
    CORRAL_RETURN_IF_ERROR(s);
    auto q = conn_.query("SELECT last_insert_rowid()");
    auto row = q.next();
    if (!row.isOk()) {
      return row.status();
    }
    c.seq = q.getInt(0);
    return Status::ok();
  }

  Status update(const CommandRecord& c) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("UPDATE commands SET agent_id=?, state=?, attempts=?, lease_expires=?, "
                   "cancel_requested=?, cancel_delivered=?, updated_at=?, leased_at=?, "
                   "started_at=?, finished_at=?, result=?, error=?, reason=?, log_size=? "
                   "WHERE id=?",
                   c.agent_id, commandStateName(c.state), c.attempts, c.lease_expires,
                   c.cancel_requested, c.cancel_delivered, c.updated_at, c.leased_at, c.started_at,
                   c.finished_at, resultText(c.result), c.error, c.reason, c.log_size, c.id)
            .run());
    return expectChanged(conn_, "command", c.id);
  }

  Result<CommandRecord> get(const std::string& id) override {
    auto q =
        conn_.query(std::string("SELECT ") + kCommandColumns + " FROM commands WHERE id=?", id);
    return requireRow<CommandRecord>(q, commandRow, "command '" + id + "' not found");
  }

  Result<std::optional<CommandRecord>> findByIdempotencyKey(const std::string& key) override {
    auto q = conn_.query(
        std::string("SELECT ") + kCommandColumns + " FROM commands WHERE idempotency_key=?", key);
    return firstRow<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> queuedForAgent(const std::string& agent_id,
                                                    int limit) override {
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE agent_id=? AND state='queued' ORDER BY seq "
                             "LIMIT ?",
                         agent_id, limit);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> queuedUnassigned(const std::string& pool_id,
                                                      const std::string& cluster_id,
                                                      int limit) override {
    auto q = conn_.query(
        std::string("SELECT ") + kCommandColumns +
            " FROM commands WHERE state='queued' AND agent_id='' AND "
            "((target_type='pool' AND target_pool_id=?) OR "
            "(target_type='cluster' AND ?!='' AND target_cluster_id=?)) ORDER BY seq LIMIT ?",
        pool_id, cluster_id, cluster_id, limit);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> activeForAgent(const std::string& agent_id) override {
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE agent_id=? AND state IN ('leased','running') "
                             "ORDER BY seq",
                         agent_id);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> queuedIndirectFor(const std::string& agent_id) override {
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE agent_id=? AND state='queued' AND "
                             "target_type != 'agent' ORDER BY seq",
                         agent_id);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> leasesExpiredAt(int64_t now) override {
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE state IN ('leased','running') AND "
                             "lease_expires <= ? ORDER BY seq",
                         now);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> deadlinesPassedAt(int64_t now) override {
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE state='queued' AND deadline <= ? ORDER BY seq",
                         now);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::vector<CommandRecord>> list(const CommandFilter& f, const Page& page) override {
    auto after = seqCursor(page.after);
    if (!after.isOk()) {
      return after.status();
    }
    auto q = conn_.query(std::string("SELECT ") + kCommandColumns +
                             " FROM commands WHERE seq < ? AND (?='' OR state=?) AND "
                             "(?='' OR agent_id=?) AND (?='' OR target_pool_id=?) AND "
                             "(?='' OR action=?) ORDER BY seq DESC LIMIT ?",
                         *after, f.state, f.state, f.agent_id, f.agent_id, f.pool_id, f.pool_id,
                         f.action, f.action, page.limit);
    return collectRows<CommandRecord>(q, commandRow);
  }

  Result<std::map<std::string, int64_t>> countByState() override {
    auto q = conn_.query("SELECT state, COUNT(*) FROM commands GROUP BY state");
    return countsOf<int64_t>(q);
  }

  Result<int64_t> appendLog(const std::string& id, int64_t offset,
                            const std::string& data) override {
    if (offset < 0) {
      return invalidArgument("field 'offset': expected a byte position in the log, 0 or more");
    }
    auto command = get(id);
    if (!command.isOk()) {
      return command.status();
    }
    int64_t size = command->log_size;
    int64_t end = offset + static_cast<int64_t>(data.size());
    if (offset > size) {
      return conflict("log chunk at offset " + std::to_string(offset) +
                      " leaves a gap: the log has " + std::to_string(size) + " bytes");
    }
    if (end <= size) {
      return size;  // a retried chunk that is already stored
    }
    std::string fresh = data.substr(static_cast<size_t>(size - offset));
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("INSERT INTO command_logs(command_id, offset, data) VALUES (?,?,?)", id, size,
                   fresh)
            .run());
    CORRAL_RETURN_IF_ERROR(conn_.query("UPDATE commands SET log_size=? WHERE id=?", end, id).run());
    return end;
  }

  Result<std::string> readLog(const std::string& id) override {
    auto q = conn_.query("SELECT data FROM command_logs WHERE command_id=? ORDER BY offset", id);
    std::string out;
    CORRAL_RETURN_IF_ERROR(forEachRow(q, [&](const Query& r) { out += r.getText(0); }));
    return out;
  }

 private:
  SqliteConnection& conn_;
};

// ---------------------------------------------------------------------------------------------
// audit

class SqliteAuditTable final : public AuditTable {
 public:
  explicit SqliteAuditTable(SqliteConnection& conn) : conn_(conn) {}

  Status append(const AuditEntry& e) override {
    return conn_
        .query(
            "INSERT INTO audit(at, actor, action, target, details, remote_addr) VALUES "
            "(?,?,?,?,?,?)",
            e.at, e.actor, e.action, e.target, e.details.dump(), e.remote_addr)
        .run();
  }

  Result<std::vector<AuditEntry>> list(const std::string& action_prefix,
                                       const Page& page) override {
    auto after = seqCursor(page.after);
    if (!after.isOk()) {
      return after.status();
    }
    auto q = conn_.query(
        "SELECT seq, at, actor, action, target, details, remote_addr FROM audit WHERE seq < ? "
        "AND (?='' OR substr(action, 1, length(?))=?) ORDER BY seq DESC LIMIT ?",
        *after, action_prefix, action_prefix, action_prefix, page.limit);
    return collectRows<AuditEntry>(q, [](const Query& r) {
      AuditEntry e;
      e.seq = r.getInt(0);
      e.at = r.getInt(1);
      e.actor = r.getText(2);
      e.action = r.getText(3);
      e.target = r.getText(4);
      e.details = parseStoredJson(r.getText(5));
      e.remote_addr = r.getText(6);
      return e;
    });
  }

 private:
  SqliteConnection& conn_;
};

}  // namespace

SqliteTx::SqliteTx(SqliteConnection& conn)
    : pools_(std::make_unique<SqlitePoolTable>(conn)),
      agents_(std::make_unique<SqliteAgentTable>(conn)),
      tokens_(std::make_unique<SqliteTokenTable>(conn)),
      commands_(std::make_unique<SqliteCommandTable>(conn)),
      audit_(std::make_unique<SqliteAuditTable>(conn)),
      snapshots_(makeSqliteSnapshotTable(conn)),
      stats_(makeSqliteStatsTable(conn)),
      alerts_(makeSqliteAlertTable(conn)),
      snapshot_history_(makeSqliteSnapshotHistoryTable(conn)) {}

SqliteTx::~SqliteTx() = default;

PoolTable& SqliteTx::pools() { return *pools_; }
AgentTable& SqliteTx::agents() { return *agents_; }
TokenTable& SqliteTx::tokens() { return *tokens_; }
CommandTable& SqliteTx::commands() { return *commands_; }
AuditTable& SqliteTx::audit() { return *audit_; }
SnapshotTable& SqliteTx::snapshots() { return *snapshots_; }
StatsTable& SqliteTx::stats() { return *stats_; }
AlertTable& SqliteTx::alerts() { return *alerts_; }
SnapshotHistoryTable& SqliteTx::snapshotHistory() { return *snapshot_history_; }

}  // namespace corral::master
