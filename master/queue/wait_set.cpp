#include "master/queue/wait_set.h"

#include <algorithm>

namespace corral::master {

void WaitSet::Waiter::reset() {
  std::lock_guard lock(owner_->mutex_);
  notified_ = false;
}

std::vector<CommandRecord> WaitSet::Waiter::takeHandedOff() {
  std::lock_guard lock(owner_->mutex_);
  handed_off_ = false;
  return std::move(handed_);
}

namespace {

struct WaiterReservation final : Notifier::Reservation {
  explicit WaiterReservation(std::shared_ptr<WaitSet::Waiter> w) : waiter(std::move(w)) {}
  std::shared_ptr<WaitSet::Waiter> waiter;
};

}  // namespace

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
  auto ready = [&] { return w.handed_off_ || w.notified_ || w.superseded_ || shutdown_; };
  w.in_wait_ = true;
  bool woken = w.cv_.wait_for(lock, timeout, ready);
  // A reserved waiter has a command on its way: its lease is being committed for this poll.
  w.cv_.wait(lock, [&] { return !w.reserved_; });
  w.in_wait_ = false;
  if (w.handed_off_) {
    return Wake::kHandedOff;
  }
  if (shutdown_) {
    return Wake::kShutdown;
  }
  if (w.superseded_) {
    return Wake::kSuperseded;
  }
  return woken || w.notified_ ? Wake::kNotified : Wake::kTimeout;
}

std::unique_ptr<Notifier::Reservation> WaitSet::reserve(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = waiters_.find(key);
  if (it == waiters_.end() || shutdown_) {
    return nullptr;
  }
  for (auto& w : it->second) {
    if (w->in_wait_ && !w->reserved_ && !w->superseded_ && !w->handed_off_ && !w->notified_) {
      w->reserved_ = true;
      return std::make_unique<WaiterReservation>(w);
    }
  }
  return nullptr;
}

void WaitSet::handOff(std::unique_ptr<Reservation> reservation,
                      std::vector<CommandRecord> commands) {
  auto& w = *static_cast<WaiterReservation&>(*reservation).waiter;
  std::lock_guard lock(mutex_);
  w.handed_ = std::move(commands);
  w.handed_off_ = true;
  w.reserved_ = false;
  w.cv_.notify_all();
}

void WaitSet::release(std::unique_ptr<Reservation> reservation) {
  auto& w = *static_cast<WaiterReservation&>(*reservation).waiter;
  std::lock_guard lock(mutex_);
  w.reserved_ = false;
  w.notified_ = true;
  w.cv_.notify_all();
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

bool WaitSet::isBlocked(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) {
    return false;
  }
  return std::any_of(it->second.begin(), it->second.end(),
                     [](const auto& w) { return w->in_wait_; });
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
