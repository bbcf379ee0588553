// The SQLite table of snapshot summaries over time. Rows are small (two JSON objects of counts),
// keyed by cluster and version, with an index by time for pruning and ranges.

#include <memory>

#include "master/store/snapshot_history_table.h"
#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_rows.h"
#include "master/store/sqlite_tx.h"

namespace corral::master {
namespace {

SnapshotHistoryEntry historyRow(const Query& q) {
  SnapshotHistoryEntry e;
  e.cluster_id = q.getText(0);
  e.version = q.getInt(1);
  e.fetched_at = q.getInt(2);
  e.received_at = q.getInt(3);
  e.summary = storedObject(q.getText(4));
  e.counts = storedObject(q.getText(5));
  return e;
}

class SqliteSnapshotHistoryTable final : public SnapshotHistoryTable {
 public:
  explicit SqliteSnapshotHistoryTable(SqliteConnection& conn) : conn_(conn) {}

  Status append(const SnapshotHistoryEntry& e) override {
    return conn_
        .query(
            "INSERT OR REPLACE INTO cluster_history(cluster_id, version, fetched_at, "
            "received_at, summary, counts) VALUES (?,?,?,?,?,?)",
            e.cluster_id, e.version, e.fetched_at, e.received_at, e.summary.dump(), e.counts.dump())
        .run();
  }

  Result<int64_t> pruneBefore(const std::string& cluster_id, int64_t cutoff) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("DELETE FROM cluster_history WHERE cluster_id=? AND received_at<?", cluster_id,
                   cutoff)
            .run());
    return conn_.changes();
  }

  Result<std::vector<SnapshotHistoryEntry>> list(const std::string& cluster_id, int64_t since,
                                                 int64_t until, int64_t after_version,
                                                 int limit) override {
    auto q = conn_.query(
        "SELECT cluster_id, version, fetched_at, received_at, summary, counts FROM "
        "cluster_history WHERE cluster_id=? AND received_at>=? AND received_at<=? AND version>? "
        "ORDER BY version LIMIT ?",
        cluster_id, since, until, after_version, limit);
    return collectRows<SnapshotHistoryEntry>(q, historyRow);
  }

 private:
  SqliteConnection& conn_;
};

}  // namespace

std::unique_ptr<SnapshotHistoryTable> makeSqliteSnapshotHistoryTable(SqliteConnection& conn) {
  return std::make_unique<SqliteSnapshotHistoryTable>(conn);
}

}  // namespace corral::master
