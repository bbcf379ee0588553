// The SQLite aggregates read at scrape time. Both run on a read connection, so a scrape never
// waits for the writer, nor the writer for a scrape.

#include <memory>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_rows.h"
#include "master/store/sqlite_tx.h"

namespace corral::master {
namespace {

class SqliteStatsTable final : public StatsTable {
 public:
  explicit SqliteStatsTable(SqliteConnection& conn) : conn_(conn) {}

  Result<std::vector<CommandCount>> commandCounts() override {
    auto q = conn_.query(
        "SELECT state, action, COUNT(*) FROM commands GROUP BY state, action "
        "ORDER BY state, action");
    return collectRows<CommandCount>(q, [](const Query& r) {
      return CommandCount{r.getText(0), r.getText(1), r.getInt(2)};
    });
  }

  Result<std::vector<ActiveCommandCount>> activeCommandCounts() override {
    // The state comes first in commands_unassigned, so only commands not ended are visited.
    auto q = conn_.query(
        "SELECT state, target_type, target_pool_id, target_cluster_id, agent_id, COUNT(*) "
        "FROM commands WHERE state IN ('queued','leased','running') "
        "GROUP BY state, target_type, target_pool_id, target_cluster_id, agent_id");
    return collectRows<ActiveCommandCount>(q, [](const Query& r) {
      return ActiveCommandCount{r.getText(0), r.getText(1), r.getText(2),
                                r.getText(3), r.getText(4), r.getInt(5)};
    });
  }

 private:
  SqliteConnection& conn_;
};

}  // namespace

std::unique_ptr<StatsTable> makeSqliteStatsTable(SqliteConnection& conn) {
  return std::make_unique<SqliteStatsTable>(conn);
}

}  // namespace corral::master
