// The SQLite alerts table. A partial unique index keeps at most one firing row per fingerprint,
// so two evaluations racing on one condition cannot open it twice.

#include <charconv>
#include <climits>
#include <memory>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_rows.h"
#include "master/store/sqlite_tx.h"

namespace corral::master {
namespace {

constexpr const char* kAlertColumns =
    "seq, id, fingerprint, rule, severity, state, cluster_id, summary, description, labels, "
    "first_seen, last_seen, resolved_at, count, acknowledged_by, acknowledged_at, ack_comment";

AlertRecord alertRow(const Query& q) {
  AlertRecord a;
  a.seq = q.getInt(0);
  a.id = q.getText(1);
  a.fingerprint = q.getText(2);
  a.rule = q.getText(3);
  a.severity = q.getText(4);
  a.state = q.getText(5);
  a.cluster_id = q.getText(6);
  a.summary = q.getText(7);
  a.description = q.getText(8);
  Json labels = storedObject(q.getText(9));  // kept alive for the loop below
  for (const auto& [key, value] : labels.items()) {
    if (value.is_string()) {
      a.labels[key] = value.get<std::string>();
    }
  }
  a.first_seen = q.getInt(10);
  a.last_seen = q.getInt(11);
  a.resolved_at = q.getInt(12);
  a.count = q.getInt(13);
  a.acknowledged_by = q.getText(14);
  a.acknowledged_at = q.getInt(15);
  a.ack_comment = q.getText(16);
  return a;
}

// The seq to continue below; the first page starts above every seq.
Result<int64_t> seqBelow(const std::string& after) {
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

class SqliteAlertTable final : public AlertTable {
 public:
  explicit SqliteAlertTable(SqliteConnection& conn) : conn_(conn) {}

  Status insert(AlertRecord& a) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query(
                "INSERT INTO alerts(id, fingerprint, rule, severity, state, cluster_id, summary, "
                "description, labels, first_seen, last_seen, resolved_at, count, "
                "acknowledged_by, acknowledged_at, ack_comment) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                a.id, a.fingerprint, a.rule, a.severity, a.state, a.cluster_id, a.summary,
                a.description, Json(a.labels).dump(), a.first_seen, a.last_seen, a.resolved_at,
                a.count, a.acknowledged_by, a.acknowledged_at, a.ack_comment)
            .run());
    auto q = conn_.query("SELECT last_insert_rowid()");
    auto row = q.next();
    if (!row.isOk()) {
      return row.status();
    }
    a.seq = q.getInt(0);
    return Status::ok();
  }

  Status updateObservation(const AlertRecord& a) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("UPDATE alerts SET state=?, severity=?, summary=?, description=?, labels=?, "
                   "last_seen=?, resolved_at=?, count=? WHERE id=?",
                   a.state, a.severity, a.summary, a.description, Json(a.labels).dump(),
                   a.last_seen, a.resolved_at, a.count, a.id)
            .run());
    return changedOne(a.id);
  }

  Status acknowledge(const std::string& id, const std::string& by, int64_t at,
                     const std::string& comment) override {
    CORRAL_RETURN_IF_ERROR(
        conn_
            .query("UPDATE alerts SET acknowledged_by=?, acknowledged_at=?, ack_comment=? "
                   "WHERE id=?",
                   by, at, comment, id)
            .run());
    return changedOne(id);
  }

  Result<AlertRecord> get(const std::string& id) override {
    auto q = conn_.query(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id=?", id);
    return requireRow<AlertRecord>(q, alertRow, "no alert with id '" + id + "'");
  }

  Result<std::vector<AlertRecord>> listFiring() override {
    auto q = conn_.query(std::string("SELECT ") + kAlertColumns +
                         " FROM alerts WHERE state='firing' ORDER BY seq");
    return collectRows<AlertRecord>(q, alertRow);
  }

  Result<std::vector<AlertRecord>> list(const AlertFilter& f, const Page& page) override {
    auto below = seqBelow(page.after);
    if (!below.isOk()) {
      return below.status();
    }
    int64_t acknowledged = f.acknowledged ? (*f.acknowledged ? 1 : 0) : -1;
    auto q = conn_.query(
        std::string("SELECT ") + kAlertColumns +
            " FROM alerts WHERE seq < ? AND (?='' OR state=?) AND (?='' OR severity=?) AND "
            "(?='' OR cluster_id=?) AND (?='' OR rule=?) AND (?='' OR fingerprint=?) AND "
            "(?=-1 OR (acknowledged_at<>0)=?) AND last_seen >= ? ORDER BY seq DESC LIMIT ?",
        *below, f.state, f.state, f.severity, f.severity, f.cluster_id, f.cluster_id, f.rule,
        f.rule, f.fingerprint, f.fingerprint, acknowledged, acknowledged, f.since, page.limit);
    return collectRows<AlertRecord>(q, alertRow);
  }

  Result<int64_t> deleteResolvedBefore(int64_t cutoff) override {
    CORRAL_RETURN_IF_ERROR(
        conn_.query("DELETE FROM alerts WHERE state='resolved' AND resolved_at < ?", cutoff).run());
    return conn_.changes();
  }

 private:
  Status changedOne(const std::string& id) {
    if (conn_.changes() == 0) {
      return notFound("no alert with id '" + id + "'");
    }
    return Status::ok();
  }

  SqliteConnection& conn_;
};

}  // namespace

std::unique_ptr<AlertTable> makeSqliteAlertTable(SqliteConnection& conn) {
  return std::make_unique<SqliteAlertTable>(conn);
}

}  // namespace corral::master
