#include "master/store/sqlite_connection.h"

#include <sqlite3.h>

#include <cstdlib>

#include "spdlog/spdlog.h"

namespace corral::master {

Query::Query(SqliteConnection& conn, sqlite3_stmt* stmt) : conn_(&conn), stmt_(stmt) {}

Query::Query(Query&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Query::~Query() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Query& Query::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Query& Query::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Query& Query::bind(int index, Blob value) {
  // A null pointer would bind NULL; an empty blob is still a value.
  const char* data = value.data.empty() ? "" : value.data.data();
  sqlite3_bind_blob64(stmt_, index, data, value.data.size(), SQLITE_TRANSIENT);
  return *this;
}

Query& Query::bind(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Query::next() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  std::string message = conn_->lastError();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return conflict(message);
  }
  return internalError("database: " + message);
}

Status Query::run() {
  while (true) {
    auto row = next();
    if (!row.isOk()) {
      return row.status();
    }
    if (!*row) {
      return Status::ok();
    }
  }
}

int64_t Query::getInt(int col) const { return sqlite3_column_int64(stmt_, col); }

double Query::getDouble(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Query::getText(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string Query::getBlob(int col) const {
  const auto* data = sqlite3_column_blob(stmt_, col);
  if (data == nullptr) {
    return {};
  }
  return {static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

bool Query::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 const std::string& synchronous) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return internalError("cannot open database '" + path + "': " + message);
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_busy_timeout(db, 10'000);
  CORRAL_RETURN_IF_ERROR(conn->exec("PRAGMA journal_mode=WAL"));
  CORRAL_RETURN_IF_ERROR(conn->exec("PRAGMA synchronous=" + synchronous));
  CORRAL_RETURN_IF_ERROR(conn->exec("PRAGMA foreign_keys=ON"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db_);
}

Status SqliteConnection::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return internalError("database: " + message + " (in: " + sql.substr(0, 80) + ")");
  }
  return Status::ok();
}

Query SqliteConnection::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      // Every statement is a literal in this folder: failing to prepare one is a bug.
      spdlog::critical("cannot prepare SQL '{}': {}", sql, sqlite3_errmsg(db_));
      std::abort();
    }
    it = statements_.emplace(sql, stmt).first;
  }
  return {*this, it->second};
}

int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

std::string SqliteConnection::lastError() const { return sqlite3_errmsg(db_); }

}  // namespace corral::master
