#include "master/store/sqlite_store.h"

#include <chrono>
#include <exception>
#include <future>

#include "master/store/sqlite_connection.h"
#include "master/store/sqlite_tx.h"
#include "spdlog/spdlog.h"

namespace corral::master {

struct SqliteStore::PendingWrite {
  const std::function<Status(StoreTx&)>* fn;
  std::promise<Status> done;
};

namespace {

Status runGuarded(const std::function<Status(StoreTx&)>& fn, StoreTx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return internalError(std::string("unexpected error in a store transaction: ") + e.what());
  }
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  auto writer = SqliteConnection::open(options.path, options.synchronous);
  if (!writer.isOk()) {
    return writer.status();
  }
  store->writer_ = std::move(*writer);
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto version = migrate(*store->writer_, now);
  if (!version.isOk()) {
    return version.status();
  }
  store->schema_version_ = *version;
  for (int i = 0; i < options.readers; ++i) {
    auto reader = SqliteConnection::open(options.path, options.synchronous);
    if (!reader.isOk()) {
      return reader.status();
    }
    CORRAL_RETURN_IF_ERROR((*reader)->exec("PRAGMA query_only=ON"));
    store->idle_readers_.push_back(std::move(*reader));
  }
  store->writer_thread_ = std::thread([s = store.get()] { s->writerLoop(); });
  return store;
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(write_mutex_);
    stopping_ = true;
  }
  write_cv_.notify_all();
  if (writer_thread_.joinable()) {
    writer_thread_.join();
  }
}

Status SqliteStore::write(const std::function<Status(StoreTx&)>& fn) {
  PendingWrite pending{&fn, {}};
  auto future = pending.done.get_future();
  {
    std::lock_guard lock(write_mutex_);
    if (stopping_) {
      return unavailable("the store is shutting down");
    }
    pending_.push_back(&pending);
  }
  write_cv_.notify_one();
  return future.get();
}

void SqliteStore::writerLoop() {
  SqliteTx tx(*writer_);
  std::vector<PendingWrite*> batch;
  while (true) {
    {
      std::unique_lock lock(write_mutex_);
      write_cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) {
        return;  // stopping, and every accepted write has been answered
      }
      while (!pending_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(pending_.front());
        pending_.pop_front();
      }
    }
    // Each caller's function runs inside its own savepoint, so a failing one rolls back alone
    // while the rest of the group still commits.
    std::vector<Status> results;
    results.reserve(batch.size());
    Status begun = writer_->exec("BEGIN IMMEDIATE");
    for (auto* pending : batch) {
      if (!begun.isOk()) {
        results.push_back(begun);
        continue;
      }
      Status saved = writer_->exec("SAVEPOINT w");
      if (!saved.isOk()) {
        results.push_back(saved);
        continue;
      }
      Status status = runGuarded(*pending->fn, tx);
      if (!status.isOk()) {
        (void)writer_->exec("ROLLBACK TO w");
      }
      (void)writer_->exec("RELEASE w");
      results.push_back(status);
    }
    if (begun.isOk()) {
      Status committed = writer_->exec("COMMIT");
      if (!committed.isOk()) {
        spdlog::error("store: commit failed: {}", committed.message());
        (void)writer_->exec("ROLLBACK");
        for (auto& r : results) {
          if (r.isOk()) {
            r = committed;
          }
        }
      }
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->done.set_value(results[i]);
    }
    batch.clear();
  }
}

Status SqliteStore::read(const std::function<Status(StoreTx&)>& fn) {
  std::unique_ptr<SqliteConnection> conn;
  {
    std::unique_lock lock(read_mutex_);
    read_cv_.wait(lock, [this] { return !idle_readers_.empty(); });
    conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
  }
  Status status = conn->exec("BEGIN");
  if (status.isOk()) {
    SqliteTx tx(*conn);
    status = runGuarded(fn, tx);
    (void)conn->exec("COMMIT");
  }
  {
    std::lock_guard lock(read_mutex_);
    idle_readers_.push_back(std::move(conn));
  }
  read_cv_.notify_one();
  return status;
}

}  // namespace corral::master
