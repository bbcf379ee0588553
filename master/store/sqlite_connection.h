#pragma once

// A thin RAII layer over one sqlite3 connection: cached prepared statements and typed binding.
// A connection is used by one thread at a time; the store hands connections out accordingly.
// Only this folder includes sqlite3.h.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace corral::master {

class SqliteConnection;

// Bytes bound as a BLOB rather than TEXT: SQL text functions would stop at a NUL byte.
struct Blob {
  std::string_view data;
};

// A prepared statement in use: bound, stepped, and reset when the Query dies so the cached
// statement can be reused.
class Query {
 public:
  Query(SqliteConnection& conn, sqlite3_stmt* stmt);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;

  Query& bind(int index, int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, std::nullopt_t);
  Query& bind(int index, Blob value);
  template <typename T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }

  // Steps once: true when a row is available, false when done. A constraint violation is
  // kConflict; any other failure kInternal.
  Result<bool> next();
  // Steps to completion for statements that return no rows.
  Status run();

  int64_t getInt(int col) const;
  double getDouble(int col) const;
  std::string getText(int col) const;
  std::string getBlob(int col) const;
  bool isNull(int col) const;

 private:
  SqliteConnection* conn_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  // Opens (creating if needed) the database file at `path` with WAL journaling, a busy timeout
  // and foreign keys on. `synchronous` is "full" or "normal".
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                        const std::string& synchronous);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Status exec(const std::string& sql);
  // Prepares `sql` once per connection and hands out the cached statement, bound to `args`.
  Query prepare(const std::string& sql);
  template <typename... Args>
  Query query(const std::string& sql, const Args&... args) {
    Query q = prepare(sql);
    int index = 1;
    (q.bind(index++, args), ...);
    return q;
  }

  int64_t changes() const;
  std::string lastError() const;
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace corral::master
