#include "agent/scheduler/session.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace corral::agent {

Session::Session(MasterGateway& gateway, proto::RegisterRequest identity,
                 std::string enrollment_token, std::string state_dir)
    : gateway_(gateway),
      identity_(std::move(identity)),
      enrollment_token_(std::move(enrollment_token)),
      state_dir_(std::move(state_dir)) {}

Status Session::start() {
  auto kept = loadAgentState(state_dir_);
  if (!kept.isOk()) {
    return kept.status();
  }
  {
    std::lock_guard lock(mutex_);
    state_ = *kept;
  }
  if (enrollment_token_.empty() && kept->agent_token.empty()) {
    return unauthenticated(
        "no credential: set enrollment_token (or CORRAL_ENROLLMENT_TOKEN) to enrol this agent");
  }
  if (enrollment_token_.empty()) {
    // No way to register; trust the kept credential until the master says otherwise.
    gateway_.useAgentToken(kept->agent_token);
    std::lock_guard lock(mutex_);
    answer_.agent_id = kept->agent_id;
    return Status::ok();
  }
  // Registering again with the kept credential re-uses the record and refreshes the intervals.
  return registerNow();
}

Status Session::registerNow() {
  proto::RegisterRequest request = identity_;
  {
    std::lock_guard lock(mutex_);
    request.previous_token = state_.agent_token;
  }
  auto answer = gateway_.registerAgent(request, enrollment_token_);
  if (!answer.isOk()) {
    return answer.status();
  }
  std::lock_guard lock(mutex_);
  answer_ = *answer;
  state_.agent_id = answer->agent_id;
  state_.agent_token = answer->agent_token;
  state_.pool_id = answer->pool_id;
  spdlog::info("registered as agent {} in pool {}", answer->agent_id, answer->pool_id);
  return saveAgentState(state_dir_, state_);
}

Status Session::recover() {
  if (enrollment_token_.empty()) {
    return unauthenticated(
        "the master refused this agent's credential and no enrollment token is configured: "
        "create an enrollment token for the agent's pool and set enrollment_token");
  }
  spdlog::warn("the master refused the agent credential; enrolling again");
  return registerNow();
}

Result<int64_t> Session::nextSnapshotVersion(int64_t now_ms) {
  std::lock_guard lock(mutex_);
  state_.snapshot_version = std::max(state_.snapshot_version + 1, now_ms);
  CORRAL_RETURN_IF_ERROR(saveAgentState(state_dir_, state_));
  return state_.snapshot_version;
}

proto::RegisterResponse Session::intervals() const {
  std::lock_guard lock(mutex_);
  return answer_;
}

std::string Session::agentId() const {
  std::lock_guard lock(mutex_);
  return state_.agent_id;
}

}  // namespace corral::agent
