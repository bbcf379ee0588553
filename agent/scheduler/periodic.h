#pragma once

// A background loop that runs `work` every `interval`, or at once when poke() is called, until
// stop(). The decision of what to do lives in `work`, which tests call directly; this class is
// only the thin timing loop around it.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace corral::agent {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> work);
  ~Periodic();

  void start();
  void poke();
  void stop();

 private:
  void loop();

  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<void()> work_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool poked_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace corral::agent
