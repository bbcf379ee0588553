#include "master/api/thread_per_connection.h"

#include <pthread.h>

#include "spdlog/spdlog.h"

namespace corral::master {

struct ThreadPerConnection::Task {
  ThreadPerConnection* owner;
  std::function<void()> fn;
};

ThreadPerConnection::ThreadPerConnection(int max_connections, size_t stack_bytes)
    : max_connections_(max_connections), stack_bytes_(stack_bytes) {}

ThreadPerConnection::~ThreadPerConnection() { shutdown(); }

void* ThreadPerConnection::run(void* arg) {
  std::unique_ptr<Task> task(static_cast<Task*>(arg));
  task->fn();
  task->owner->finished();
  return nullptr;
}

void ThreadPerConnection::finished() {
  std::lock_guard lock(mutex_);
  --active_;
  cv_.notify_all();
}

void ThreadPerConnection::enqueue(std::function<void()> fn) {
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return active_ < max_connections_; });
    ++active_;
  }
  auto* task = new Task{this, std::move(fn)};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes_);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, &ThreadPerConnection::run, task);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    // Out of threads: serve this connection on the accept thread rather than drop it.
    spdlog::warn("cannot start a connection thread (error {}); serving inline", rc);
    std::unique_ptr<Task> owned(task);
    owned->fn();
    finished();
  }
}

void ThreadPerConnection::shutdown() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return active_ == 0; });
}

int ThreadPerConnection::active() const {
  std::lock_guard lock(mutex_);
  return active_;
}

}  // namespace corral::master
