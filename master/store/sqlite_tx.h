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

 private:
  std::unique_ptr<PoolTable> pools_;
  std::unique_ptr<AgentTable> agents_;
  std::unique_ptr<TokenTable> tokens_;
  std::unique_ptr<CommandTable> commands_;
  std::unique_ptr<AuditTable> audit_;
  std::unique_ptr<SnapshotTable> snapshots_;
};

// The SQLite snapshot table (sqlite_snapshot_table.cpp).
std::unique_ptr<SnapshotTable> makeSqliteSnapshotTable(SqliteConnection& conn);

}  // namespace corral::master
