#pragma once

// The embedded store: one SQLite file in WAL mode. Writes from all threads funnel into a single
// writer thread that commits them in groups (one fsync for many callers), which is what lets
// thousands of small durable writes per second through. Reads use a small pool of read-only
// connections and never wait for the writer.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "master/store/store.h"

namespace corral::master {

class SqliteConnection;

struct SqliteOptions {
  std::string path;                  // the database file
  std::string synchronous = "full";  // full: every commit reaches the disk; normal: the OS
  int readers = 4;                   // read connections
  int max_batch = 256;               // writes committed together at most
};

class SqliteStore final : public Store {
 public:
  // Opens the file, applies pending migrations and starts the writer thread.
  static Result<std::unique_ptr<SqliteStore>> open(const SqliteOptions& options);
  ~SqliteStore() override;

  Status write(const std::function<Status(StoreTx&)>& fn) override;
  Status read(const std::function<Status(StoreTx&)>& fn) override;

  // The schema version after migrations.
  int schemaVersion() const { return schema_version_; }

 private:
  struct PendingWrite;
  explicit SqliteStore(SqliteOptions options);
  void writerLoop();

  SqliteOptions options_;
  int schema_version_ = 0;
  std::unique_ptr<SqliteConnection> writer_;  // used only by writer_thread_

  std::mutex write_mutex_;
  std::condition_variable write_cv_;
  std::deque<PendingWrite*> pending_;  // guarded by write_mutex_
  bool stopping_ = false;              // guarded by write_mutex_
  std::thread writer_thread_;

  std::mutex read_mutex_;
  std::condition_variable read_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by read_mutex_
};

// Applies the numbered migrations that `conn` has not seen yet; returns the resulting version.
Result<int> migrate(SqliteConnection& conn, int64_t now_ms);

}  // namespace corral::master
