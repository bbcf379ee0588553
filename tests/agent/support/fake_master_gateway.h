#pragma once

// A MasterGateway for scheduler tests: it records every call and answers from queues set by the
// test, in order. With nothing queued, registerAgent() issues a fresh credential, poll() parks
// like a long-poll until an answer is queued or stopPolling()/stop() is called, and the other
// calls succeed. Tests wait for calls with the waitFor...() methods, which block on the fake's own
// signal with a deadline instead of sleeping. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/gateway/master_gateway.h"
#include "common/status.h"
#include "proto-json/messages.h"

namespace corral::agent::testing {

// How long a test waits for something that should happen soon; it only runs out when it fails.
inline constexpr std::chrono::seconds kWaitDeadline{10};

class FakeMasterGateway final : public MasterGateway {
 public:
  struct Registration {
    proto::RegisterRequest request;
    std::string enrollment_token;
  };
  struct Poll {
    int wait_s = 0;
    int max = 0;
    std::string token;  // the agent token the call carried
  };
  struct Report {
    std::string command_id;
    proto::ResultRequest request;
  };

  // ---- answers ----
  void queueRegister(Result<proto::RegisterResponse> answer) {
    std::lock_guard lock(mutex_);
    registers_.push_back(std::move(answer));
  }
  // nullopt stands for a 204: nothing to do.
  void queuePoll(Result<std::optional<proto::PollResponse>> answer) {
    std::lock_guard lock(mutex_);
    polls_.push_back(std::move(answer));
    cv_.notify_all();
  }
  void queuePoll(proto::PollResponse answer) {
    queuePoll(Result<std::optional<proto::PollResponse>>(std::optional(std::move(answer))));
  }
  void queueResult(Status answer) {
    std::lock_guard lock(mutex_);
    results_.push_back(std::move(answer));
  }

  // ---- MasterGateway ----
  Result<proto::RegisterResponse> registerAgent(const proto::RegisterRequest& request,
                                                const std::string& enrollment_token) override {
    std::lock_guard lock(mutex_);
    registrations_.push_back({request, enrollment_token});
    calls_.push_back("register");
    cv_.notify_all();
    Result<proto::RegisterResponse> answer = freshCredential();
    if (!registers_.empty()) {
      answer = std::move(registers_.front());
      registers_.pop_front();
    }
    if (answer.isOk()) {
      token_ = answer->agent_token;
    }
    return answer;
  }

  void useAgentToken(const std::string& agent_token) override {
    std::lock_guard lock(mutex_);
    kept_tokens_.push_back(agent_token);
    token_ = agent_token;
  }

  Result<proto::HeartbeatResponse> heartbeat(const proto::HeartbeatRequest& /*request*/) override {
    return proto::HeartbeatResponse{};
  }

  Status pushSnapshot(std::string /*gzipped_envelope*/) override { return Status::ok(); }

  Result<std::optional<proto::PollResponse>> poll(int wait_s, int max) override {
    std::unique_lock lock(mutex_);
    if (polling_stopped_) {
      return unavailable("the agent is stopping");
    }
    polled_.push_back({wait_s, max, token_});
    calls_.push_back("poll");
    cv_.notify_all();
    cv_.wait(lock, [this] { return polling_stopped_ || !polls_.empty(); });
    if (polling_stopped_) {
      return unavailable("the agent is stopping");
    }
    auto answer = std::move(polls_.front());
    polls_.pop_front();
    return answer;
  }

  Result<proto::ProgressResponse> progress(const std::string& /*command_id*/,
                                           const proto::ProgressRequest& /*request*/) override {
    return proto::ProgressResponse{};
  }

  Status result(const std::string& command_id, const proto::ResultRequest& request) override {
    std::lock_guard lock(mutex_);
    reports_.push_back({command_id, request});
    calls_.push_back("result " + command_id);
    cv_.notify_all();
    if (results_.empty()) {
      return Status::ok();
    }
    Status answer = std::move(results_.front());
    results_.pop_front();
    return answer;
  }

  void stopPolling() override {
    std::lock_guard lock(mutex_);
    polling_stopped_ = true;
    ++stop_polling_calls_;
    cv_.notify_all();
  }

  void stop() override {
    std::lock_guard lock(mutex_);
    polling_stopped_ = true;
    stopped_ = true;
    cv_.notify_all();
  }

  // ---- what happened ----
  std::vector<Registration> registrations() const {
    std::lock_guard lock(mutex_);
    return registrations_;
  }
  // Tokens handed over by useAgentToken(), in order.
  std::vector<std::string> keptTokens() const {
    std::lock_guard lock(mutex_);
    return kept_tokens_;
  }
  // The agent token later calls carry.
  std::string token() const {
    std::lock_guard lock(mutex_);
    return token_;
  }
  std::vector<Poll> polls() const {
    std::lock_guard lock(mutex_);
    return polled_;
  }
  std::vector<Report> reports() const {
    std::lock_guard lock(mutex_);
    return reports_;
  }
  // "register", "poll" and "result <id>", in the order the calls came.
  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  int stopPollingCalls() const {
    std::lock_guard lock(mutex_);
    return stop_polling_calls_;
  }
  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  // Each blocks until at least `n` such calls came, or kWaitDeadline passes (false).
  bool waitForRegistrations(size_t n) const {
    return waitUntil([&] { return registrations_.size() >= n; });
  }
  bool waitForPolls(size_t n) const {
    return waitUntil([&] { return polled_.size() >= n; });
  }
  bool waitForReports(size_t n) const {
    return waitUntil([&] { return reports_.size() >= n; });
  }

 private:
  // Called with mutex_ held.
  proto::RegisterResponse freshCredential() const {
    proto::RegisterResponse answer;
    answer.agent_id = "agt_fake";
    answer.agent_token = "crl_agt_" + std::to_string(registrations_.size());
    answer.pool_id = "pool_fake";
    answer.protocol_version = proto::kProtocolVersion;
    answer.heartbeat_interval_s = 20;
    answer.poll_wait_s = 25;
    answer.snapshot_interval_s = 40;
    answer.offline_after_s = 60;
    return answer;
  }

  template <typename Predicate>
  bool waitUntil(Predicate done) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kWaitDeadline, done);
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  // All guarded by mutex_.
  std::deque<Result<proto::RegisterResponse>> registers_;
  std::deque<Result<std::optional<proto::PollResponse>>> polls_;
  std::deque<Status> results_;
  std::vector<Registration> registrations_;
  std::vector<std::string> kept_tokens_;
  std::string token_;
  std::vector<Poll> polled_;
  std::vector<Report> reports_;
  std::vector<std::string> calls_;
  int stop_polling_calls_ = 0;
  bool polling_stopped_ = false;
  bool stopped_ = false;
};

}  // namespace corral::agent::testing
