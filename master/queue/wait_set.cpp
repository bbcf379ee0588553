#include "master/queue/wait_set.h"

#include <algorithm>

namespace corral::master {

void WaitSet::Waiter::reset() {
  std::lock_guard lock(owner_->mutex_);
  notified_ = false;
}

WaitSet::Ticket::Ticket(WaitSet& set, std::string key, std::shared_ptr<Waiter> waiter)
    : set_(set), key_(std::move(key)), waiter_(std::move(waiter)) {}

WaitSet::Ticket::~Ticket() { set_.disarm(key_, waiter_.get()); }

std::unique_ptr<WaitSet::Ticket> WaitSet::arm(const std::string& key, bool exclusive) {
  auto waiter = std::make_shared<Waiter>();
  waiter->owner_ = this;
  std::lock_guard lock(mutex_);
  auto& list = waiters_[key];
  if (exclusive) {
    for (auto& old : list) {
      old->superseded_ = true;
      old->cv_.notify_all();
    }
  }
  list.push_back(waiter);
  ++count_;
  return std::make_unique<Ticket>(*this, key, waiter);
}

WaitSet::Wake WaitSet::wait(Ticket& ticket, std::chrono::milliseconds timeout) {
  Waiter& w = ticket.waiter();
  std::unique_lock lock(mutex_);
  bool woken =
      w.cv_.wait_for(lock, timeout, [&] { return w.notified_ || w.superseded_ || shutdown_; });
  if (shutdown_) {
    return Wake::kShutdown;
  }
  if (w.superseded_) {
    return Wake::kSuperseded;
  }
  return woken ? Wake::kNotified : Wake::kTimeout;
}

void WaitSet::notify(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) {
    return;
  }
  for (auto& w : it->second) {
    w->notified_ = true;
    w->cv_.notify_all();
  }
}

void WaitSet::notifyAll() {
  std::lock_guard lock(mutex_);
  for (auto& [key, list] : waiters_) {
    for (auto& w : list) {
      w->notified_ = true;
      w->cv_.notify_all();
    }
  }
}

void WaitSet::shutdown() {
  std::lock_guard lock(mutex_);
  shutdown_ = true;
  for (auto& [key, list] : waiters_) {
    for (auto& w : list) {
      w->cv_.notify_all();
    }
  }
}

bool WaitSet::isWaiting(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = waiters_.find(key);
  return it != waiters_.end() && !it->second.empty();
}

size_t WaitSet::parked() const {
  std::lock_guard lock(mutex_);
  return count_;
}

void WaitSet::disarm(const std::string& key, const Waiter* waiter) {
  std::lock_guard lock(mutex_);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) {
    return;
  }
  auto& list = it->second;
  list.erase(
      std::remove_if(list.begin(), list.end(), [&](const auto& w) { return w.get() == waiter; }),
      list.end());
  --count_;
  if (list.empty()) {
    waiters_.erase(it);
  }
}

}  // namespace corral::master
