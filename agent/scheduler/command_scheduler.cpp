#include "agent/scheduler/command_scheduler.h"

#include <algorithm>
#include "spdlog/spdlog.h"

namespace corral::agent {

CommandScheduler::CommandScheduler(MasterGateway& gateway, Session& session,
                                   CommandExecutor& executor, Clock& clock, Backoff backoff,
                                   CommandSchedulerOptions options, CommandSchedulerHooks hooks)
    : gateway_(gateway),
      session_(session),
      executor_(executor),
      clock_(clock),
      backoff_(std::move(backoff)),
      options_(options),
      hooks_(std::move(hooks)) {}

CommandScheduler::~CommandScheduler() {
  stop();
  if (loop_thread_.joinable()) {
    loop_thread_.join();
  }
  std::vector<Worker> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& w : workers) {
    w.thread.join();
  }
}

void CommandScheduler::start() {
  loop_thread_ = std::thread([this] { loop(); });
}

void CommandScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }
  gateway_.stopPolling();
}

int CommandScheduler::drain(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, grace, [this] { return running_.empty(); });
  return static_cast<int>(running_.size());
}

std::vector<std::string> CommandScheduler::running() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  ids.reserve(running_.size());
  for (const auto& [id, fence] : running_) {
    ids.push_back(id);
  }
  return ids;
}

void CommandScheduler::cancel(const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  for (const auto& id : ids) {
    if (running_.count(id) > 0) {
      cancelled_.insert(id);
    }
  }
}

Status CommandScheduler::pollOnce() {
  int free = 0;
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock,
             [this] { return stopping_ || static_cast<int>(running_.size()) < options_.slots; });
    if (stopping_) {
      return Status::ok();
    }
    free = options_.slots - static_cast<int>(running_.size());
  }
  auto polled = gateway_.poll(options_.poll_wait_s, free);
  if (!polled.isOk()) {
    return polled.status();
  }
  if (!*polled) {
    return Status::ok();
  }
  cancel((*polled)->cancel);
  std::lock_guard lock(mutex_);
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& command : (*polled)->commands) {
    auto [it, inserted] = running_.emplace(command.id, command.fence);
    if (!inserted) {
      // Delivered again while still running here (its lease ran out): one execution is enough,
      // but only the newest fence may report, so the running one reports under it.
      it->second = std::max(it->second, command.fence);
      continue;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers_.push_back({std::thread([this, done, c = std::move(command)]() mutable {
                          runCommand(std::move(c));
                          done->store(true);
                        }),
                        done});
  }
  return Status::ok();
}

void CommandScheduler::loop() {
  int failures = 0;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        return;
      }
    }
    Status polled = pollOnce();
    if (polled.isOk()) {
      failures = 0;
      continue;
    }
    if (polled.code() == ErrorCode::kUnauthenticated) {
      Status recovered = session_.recover();
      if (recovered.code() == ErrorCode::kUnauthenticated) {
        spdlog::critical("{}", recovered.message());
        if (hooks_.credential_lost) {
          hooks_.credential_lost(recovered);
        }
        return;  // nothing this loop can do; the operator must act
      }
    } else {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        return;  // the poll was abandoned for the shutdown
      }
      spdlog::warn("poll failed: {}", polled.message());
    }
    if (!clock_.sleepFor(backoff_.next(failures++))) {
      return;  // interrupted: shutting down
    }
  }
}

void CommandScheduler::runCommand(proto::Command command) {
  spdlog::info("command {} ({}) attempt {}", command.id, command.action, command.attempt);
  CommandOutcome outcome = executor_.execute(command.action, command.params);
  bool cancelled = false;
  proto::ResultRequest report;
  {
    std::lock_guard lock(mutex_);
    cancelled = cancelled_.erase(command.id) > 0;
    report.fence = running_.at(command.id);
  }
  report.success = outcome.success && !cancelled;
  report.data = outcome.data;
  report.error = cancelled ? "cancelled by the operator" : outcome.error;
  report.started_at = outcome.started_at;
  report.finished_at = outcome.finished_at;
  report.duration_ms = outcome.duration_ms;
  Status reported = gateway_.result(command.id, report);
  if (reported.code() == ErrorCode::kConflict) {
    spdlog::warn("result of {} dropped: {}", command.id, reported.message());
  } else if (!reported.isOk()) {
    spdlog::error("cannot report the result of {}: {}", command.id, reported.message());
  }
  if (outcome.changed_cluster && hooks_.cluster_changed) {
    hooks_.cluster_changed();
  }
  std::lock_guard lock(mutex_);
  running_.erase(command.id);
  cv_.notify_all();
}

}  // namespace corral::agent
