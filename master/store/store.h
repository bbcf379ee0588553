#pragma once

// The master's persistent state behind small interfaces, so that a PostgreSQL backend can stand
// beside the embedded SQLite one. Work happens in transactions: write() runs a function with a
// StoreTx and commits everything it did atomically and durably before returning, or nothing at
// all; read() gives a consistent snapshot. Store methods are thread-safe; a StoreTx is valid only
// inside the function it was passed to.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "master/model/model.h"
#include "master/store/alert_table.h"
#include "master/store/snapshot_history_table.h"

namespace corral::master {

struct Page {
  std::string after;  // opaque position from the previous page, empty for the first
  int limit = 100;
};

class PoolTable {
 public:
  virtual ~PoolTable() = default;
  // kConflict when the name is taken.
  virtual Status insert(const Pool& pool) = 0;
  virtual Status update(const Pool& pool) = 0;
  virtual Status remove(const std::string& id) = 0;
  virtual Result<Pool> get(const std::string& id) = 0;
  // Ordered by name; Page::after is the last name seen.
  virtual Result<std::vector<Pool>> list(const Page& page) = 0;
  virtual Result<int64_t> countAgents(const std::string& pool_id) = 0;
};

struct AgentFilter {
  std::string pool_id;
  std::string status;
  std::string cluster_id;
  Labels labels;  // every label must match
};

class AgentTable {
 public:
  virtual ~AgentTable() = default;
  virtual Status insert(const Agent& agent) = 0;
  virtual Status update(const Agent& agent) = 0;
  virtual Status remove(const std::string& id) = 0;
  virtual Result<Agent> get(const std::string& id) = 0;
  virtual Result<std::optional<Agent>> findByName(const std::string& pool_id,
                                                  const std::string& name) = 0;
  // Ordered by id; Page::after is the last id seen.
  virtual Result<std::vector<Agent>> list(const AgentFilter& filter, const Page& page) = 0;
  // Agents of a pool, or serving a cluster, that are not offline.
  virtual Result<std::vector<Agent>> listLive(const std::string& pool_id) = 0;
  virtual Result<std::vector<Agent>> listLiveInCluster(const std::string& cluster_id) = 0;
  // Agents not offline whose last heartbeat is older than `cutoff`.
  virtual Result<std::vector<Agent>> listSilentSince(int64_t cutoff) = 0;
  // Records a sign of life: last heartbeat = now, and an offline agent becomes online.
  virtual Status touch(const std::string& id, int64_t now) = 0;
  // agent id -> commands assigned, leased or running on it, for the agents of a pool.
  virtual Result<std::map<std::string, int>> busyCounts(const std::string& pool_id) = 0;
  virtual Result<std::map<std::string, int64_t>> countByStatus() = 0;
};

class TokenTable {
 public:
  virtual ~TokenTable() = default;
  virtual Status insert(const Token& token) = 0;
  virtual Result<std::optional<Token>> findByHash(const std::string& hash) = 0;
  virtual Result<Token> get(const std::string& id) = 0;
  // Tokens of a kind, optionally of one pool, newest first.
  virtual Result<std::vector<Token>> list(TokenKind kind, const std::string& pool_id) = 0;
  virtual Status revoke(const std::string& id, int64_t now) = 0;
  virtual Status revokeForAgent(const std::string& agent_id, int64_t now) = 0;
  virtual Status recordUse(const std::string& id, int64_t now) = 0;
};

struct CommandFilter {
  std::string state;
  std::string agent_id;
  std::string pool_id;
  std::string action;
};

class CommandTable {
 public:
  virtual ~CommandTable() = default;
  // kConflict when the idempotency key is taken. Fills in seq.
  virtual Status insert(CommandRecord& command) = 0;
  virtual Status update(const CommandRecord& command) = 0;
  virtual Result<CommandRecord> get(const std::string& id) = 0;
  virtual Result<std::optional<CommandRecord>> findByIdempotencyKey(const std::string& key) = 0;
  // Queued commands assigned to the agent, oldest first.
  virtual Result<std::vector<CommandRecord>> queuedForAgent(const std::string& agent_id,
                                                            int limit) = 0;
  // Queued commands nobody holds yet, aimed at the pool or the cluster, oldest first.
  virtual Result<std::vector<CommandRecord>> queuedUnassigned(const std::string& pool_id,
                                                              const std::string& cluster_id,
                                                              int limit) = 0;
  // Leased or running commands of the agent.
  virtual Result<std::vector<CommandRecord>> activeForAgent(const std::string& agent_id) = 0;
  // Queued commands assigned to the agent through a pool or cluster target.
  virtual Result<std::vector<CommandRecord>> queuedIndirectFor(const std::string& agent_id) = 0;
  virtual Result<std::vector<CommandRecord>> leasesExpiredAt(int64_t now) = 0;
  virtual Result<std::vector<CommandRecord>> deadlinesPassedAt(int64_t now) = 0;
  // Newest first; Page::after is the last seq seen.
  virtual Result<std::vector<CommandRecord>> list(const CommandFilter& filter,
                                                  const Page& page) = 0;
  virtual Result<std::map<std::string, int64_t>> countByState() = 0;
  // Appends a log chunk at `offset`; a chunk that starts below the stored length is trimmed to
  // what is new, so retried chunks are not stored twice. Returns the new log size.
  virtual Result<int64_t> appendLog(const std::string& id, int64_t offset,
                                    const std::string& data) = 0;
  virtual Result<std::string> readLog(const std::string& id) = 0;
};

class AuditTable {
 public:
  virtual ~AuditTable() = default;
  virtual Status append(const AuditEntry& entry) = 0;
  // Newest first; Page::after is the last seq seen.
  virtual Result<std::vector<AuditEntry>> list(const std::string& action_prefix,
                                               const Page& page) = 0;
};

class SnapshotTable {
 public:
  virtual ~SnapshotTable() = default;
  // The cluster's latest snapshot without its body, or nullopt when it has none.
  virtual Result<std::optional<ClusterSnapshot>> find(const std::string& cluster_id) = 0;
  // The cluster's latest snapshot with its body; kNotFound when it has none.
  virtual Result<ClusterSnapshot> getWithBody(const std::string& cluster_id) = 0;
  // Stores `snapshot` as its cluster's latest, replacing the one before.
  virtual Status put(const ClusterSnapshot& snapshot) = 0;
  // Latest snapshots without bodies, ordered by cluster id; Page::after is the last id seen.
  virtual Result<std::vector<ClusterSnapshot>> list(const Page& page) = 0;
};

// Commands counted by state and action.
struct CommandCount {
  std::string state;
  std::string action;
  int64_t count = 0;
};

// Commands not ended yet (queued, leased or running), counted by where they are bound:
// `target_pool_id` for a pool target, `agent_id` for the agent they are assigned or leased to
// (empty when nobody holds them yet).
struct ActiveCommandCount {
  std::string state;
  std::string target_type;  // agent | pool | cluster
  std::string target_pool_id;
  std::string target_cluster_id;
  std::string agent_id;
  int64_t count = 0;
};

// Whole-table aggregates, read when Prometheus scrapes the master. Each is one grouped scan:
// commandCounts() reads every command ever kept, activeCommandCounts() only those not ended.
class StatsTable {
 public:
  virtual ~StatsTable() = default;
  virtual Result<std::vector<CommandCount>> commandCounts() = 0;
  virtual Result<std::vector<ActiveCommandCount>> activeCommandCounts() = 0;
};

class StoreTx {
 public:
  virtual ~StoreTx() = default;
  virtual PoolTable& pools() = 0;
  virtual AgentTable& agents() = 0;
  virtual TokenTable& tokens() = 0;
  virtual CommandTable& commands() = 0;
  virtual AuditTable& audit() = 0;
  virtual SnapshotTable& snapshots() = 0;
  virtual StatsTable& stats() = 0;
  virtual AlertTable& alerts() = 0;
  virtual SnapshotHistoryTable& snapshotHistory() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in a write transaction. When fn returns ok, everything it wrote is committed and
  // on disk before write() returns; otherwise none of it is. Blocks the caller; fn must not
  // block on other threads.
  virtual Status write(const std::function<Status(StoreTx&)>& fn) = 0;
  // Runs `fn` against a consistent snapshot; writes inside it fail.
  virtual Status read(const std::function<Status(StoreTx&)>& fn) = 0;
};

// Runs `fn(tx) -> Result<T>` in the transaction that `transact` (Store::read or Store::write)
// opens, and returns its value or error; a value is returned only once the transaction ended
// well.
template <typename T, typename Fn>
Result<T> transactValue(Store& store,
                        Status (Store::*transact)(const std::function<Status(StoreTx&)>&), Fn fn) {
  std::optional<T> out;
  Status status = (store.*transact)([&](StoreTx& tx) -> Status {
    auto r = fn(tx);
    if (!r.isOk()) {
      return r.status();
    }
    out = std::move(*r);
    return Status::ok();
  });
  if (!status.isOk()) {
    return status;
  }
  return std::move(*out);
}

// Runs `fn(tx) -> Result<T>` in a read transaction and returns its value or error.
template <typename T, typename Fn>
Result<T> readValue(Store& store, Fn fn) {
  return transactValue<T>(store, &Store::read, std::move(fn));
}

// Runs `fn(tx) -> Result<T>` in a write transaction; the value is returned once committed.
template <typename T, typename Fn>
Result<T> writeValue(Store& store, Fn fn) {
  return transactValue<T>(store, &Store::write, std::move(fn));
}

}  // namespace corral::master
