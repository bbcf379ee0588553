#pragma once

// StoreTx over one SQLite connection. Internal to the store folder.

#include <memory>

#include "master/store/store.h"

namespace corral::master {

class SqliteConnection;

class SqliteTx final : public StoreTx {
 public:
  explicit SqliteTx(SqliteConnection& conn);
  ~SqliteTx() override;

  PoolTable& pools() override;
  AgentTable& agents() override;
  TokenTable& tokens() override;
  CommandTable& commands() override;
  AuditTable& audit() override;
  SnapshotTable& snapshots() override;
  StatsTable& stats() override;
  AlertTable& alerts() override;
  SnapshotHistoryTable& snapshotHistory() override;

 private:
  std::unique_ptr<PoolTable> pools_;
  std::unique_ptr<AgentTable> agents_;
  std::unique_ptr<TokenTable> tokens_;
  std::unique_ptr<CommandTable> commands_;
  std::unique_ptr<AuditTable> audit_;
  std::unique_ptr<SnapshotTable> snapshots_;
  std::unique_ptr<StatsTable> stats_;
  std::unique_ptr<AlertTable> alerts_;
  std::unique_ptr<SnapshotHistoryTable> snapshot_history_;
};

// The SQLite snapshot table (sqlite_snapshot_table.cpp).
std::unique_ptr<SnapshotTable> makeSqliteSnapshotTable(SqliteConnection& conn);
// The SQLite aggregates for metrics (sqlite_stats_table.cpp).
std::unique_ptr<StatsTable> makeSqliteStatsTable(SqliteConnection& conn);
// The SQLite alerts table (sqlite_alert_table.cpp).
std::unique_ptr<AlertTable> makeSqliteAlertTable(SqliteConnection& conn);
// The SQLite snapshot history table (sqlite_snapshot_history_table.cpp).
std::unique_ptr<SnapshotHistoryTable> makeSqliteSnapshotHistoryTable(SqliteConnection& conn);

}  // namespace corral::master
