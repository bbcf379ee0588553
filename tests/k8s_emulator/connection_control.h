#pragma once

// What the HTTP library does not expose: the threads that serve connections, and a way to drop
// the connection a request arrived on.

#include <httplib.h>

#include <condition_variable>
#include <functional>
#include <mutex>

namespace corral::testing::k8s {

// One thread per connection: a connection kept alive holds its thread, so the library's fixed
// pool of 8 would stall a ninth client (an agent plus a benchmark easily have more).
class ThreadPerConnection final : public httplib::TaskQueue {
 public:
  ~ThreadPerConnection() override;
  void enqueue(std::function<void()> fn) override;
  // Waits for every connection thread to finish.
  void shutdown() override;

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int active_ = 0;  // guarded by mutex_
};

// Shuts down the socket `request` arrived on, so that the client sees the connection close
// without an answer. Returns false when the socket cannot be found.
bool dropConnection(const httplib::Request& request);

}  // namespace corral::testing::k8s
