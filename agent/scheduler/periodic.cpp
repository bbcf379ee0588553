#include "agent/scheduler/periodic.h"

namespace corral::agent {

Periodic::Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> work)
    : name_(std::move(name)), interval_(interval), work_(std::move(work)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
  thread_ = std::thread([this] { loop(); });
}

void Periodic::poke() {
  std::lock_guard lock(mutex_);
  poked_ = true;
  cv_.notify_all();
}

void Periodic::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Periodic::loop() {
  while (true) {
    work_();
    std::unique_lock lock(mutex_);
    // Blocked in the kernel between runs: an idle agent uses no CPU.
    cv_.wait_for(lock, interval_, [this] { return poked_ || stopping_; });
    if (stopping_) {
      return;
    }
    poked_ = false;
  }
}

}  // namespace corral::agent
