// The SQLite table of the latest snapshot per cluster. Lists never read the bodies, which may be
// megabytes each.

#include <memory>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_rows.h"
#include "master/store/sqlite_tx.h"

namespace corral::master {
namespace {

constexpr const char* kSnapshotColumns =
    "cluster_id, agent_id, version, kind, fetched_at, received_at, summary, errors, size_bytes, "
    "stored_bytes";

ClusterSnapshot snapshotRow(const Query& q) {
  ClusterSnapshot s;
  s.cluster_id = q.getText(0);
  s.agent_id = q.getText(1);
  s.version = q.getInt(2);
  s.kind = q.getText(3);
  s.fetched_at = q.getInt(4);
  s.received_at = q.getInt(5);
  s.summary = storedObject(q.getText(6));
  s.errors = storedObject(q.getText(7));
  s.size_bytes = q.getInt(8);
  s.stored_bytes = q.getInt(9);
  return s;
}

class SqliteSnapshotTable final : public SnapshotTable {
 public:
  explicit SqliteSnapshotTable(SqliteConnection& conn) : conn_(conn) {}

  Result<std::optional<ClusterSnapshot>> find(const std::string& cluster_id) override {
    auto q = conn_.query(
        std::string("SELECT ") + kSnapshotColumns + " FROM cluster_snapshots WHERE cluster_id=?",
        cluster_id);
    return firstRow<ClusterSnapshot>(q, snapshotRow);
  }

  Result<ClusterSnapshot> getWithBody(const std::string& cluster_id) override {
    auto q = conn_.query(std::string("SELECT ") + kSnapshotColumns +
                             ", body FROM cluster_snapshots WHERE cluster_id=?",
                         cluster_id);
    return requireRow<ClusterSnapshot>(
        q,
        [](const Query& r) {
          ClusterSnapshot s = snapshotRow(r);
          s.body = r.getBlob(10);
          return s;
        },
        "cluster '" + cluster_id + "' has no snapshot");
  }

  Status put(const ClusterSnapshot& s) override {
    return conn_
        .query(std::string("INSERT OR REPLACE INTO cluster_snapshots(") + kSnapshotColumns +
                   ", body) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               s.cluster_id, s.agent_id, s.version, s.kind, s.fetched_at, s.received_at,
               s.summary.dump(), s.errors.dump(), s.size_bytes, s.stored_bytes, Blob{s.body})
        .run();
  }

  Result<std::vector<ClusterSnapshot>> list(const Page& page) override {
    auto q = conn_.query(std::string("SELECT ") + kSnapshotColumns +
                             " FROM cluster_snapshots WHERE cluster_id > ? ORDER BY cluster_id "
                             "LIMIT ?",
                         page.after, page.limit);
    return collectRows<ClusterSnapshot>(q, snapshotRow);
  }

 private:
  SqliteConnection& conn_;
};

}  // namespace

std::unique_ptr<SnapshotTable> makeSqliteSnapshotTable(SqliteConnection& conn) {
  return std::make_unique<SqliteSnapshotTable>(conn);
}

}  // namespace corral::master
