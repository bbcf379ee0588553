#pragma once

// httplib's TaskQueue with one thread per accepted connection instead of a fixed pool: a parked
// long-poll holds its thread, so a pool of N threads would stop the server at N parked agents.
// Threads get small stacks; at most `max_connections` run at once, and enqueue() blocks the
// accept loop beyond that, leaving further connections in the kernel's listen backlog.

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

namespace corral::master {

class ThreadPerConnection final : public httplib::TaskQueue {
 public:
  ThreadPerConnection(int max_connections, size_t stack_bytes);
  ~ThreadPerConnection() override;

  void enqueue(std::function<void()> fn) override;
  // Waits for running connections to finish.
  void shutdown() override;

  int active() const;

 private:
  struct Task;
  static void* run(void* arg);
  void finished();

  int max_connections_;
  size_t stack_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  int active_ = 0;  // guarded by mutex_
};

}  // namespace corral::master
