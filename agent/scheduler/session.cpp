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
  std::lock_guard registering(register_mutex_);
  auto kept = loadAgentState(state_dir_);
  if (!kept.isOk()) {
    return kept.status();
  }
  {
    std::lock_guard lock(mutex_);
    state_ = *kept;
    if (!state_.agent_token.empty()) {
      // A restart is the same agent: no registration, which would spend a use of the enrollment
      // token (or fail once it expired). A credential the master no longer takes is answered 401,
      // and recover() enrols again then.
      gateway_.useAgentToken(state_.agent_token);
      answer_ = proto::RegisterResponse{};
      answer_.agent_id = state_.agent_id;
      answer_.agent_token = state_.agent_token;
      answer_.pool_id = state_.pool_id;
      answer_.heartbeat_interval_s = state_.heartbeat_interval_s;
      answer_.poll_wait_s = state_.poll_wait_s;
      answer_.snapshot_interval_s = state_.snapshot_interval_s;
      answer_.offline_after_s = state_.offline_after_s;
      return Status::ok();
    }
  }
  if (enrollment_token_.empty()) {
    return unauthenticated(
        "no credential: set enrollment_token (or CORRAL_ENROLLMENT_TOKEN) to enrol this agent");
  }
  return registerNow();
}

Status Session::registerNow() {
  proto::RegisterRequest request = identity_;
  {
    std::lock_guard lock(mutex_);
    request.previous_token = state_.agent_token;
  }
  // Not under mutex_: the exchange may retry for minutes, and snapshot versions go on meanwhile.
  auto answer = gateway_.registerAgent(request, enrollment_token_);
  if (!answer.isOk()) {
    return answer.status();
  }
  std::lock_guard lock(mutex_);
  answer_ = *answer;
  state_.agent_id = answer->agent_id;
  state_.agent_token = answer->agent_token;
  state_.pool_id = answer->pool_id;
  state_.heartbeat_interval_s = answer->heartbeat_interval_s;
  state_.poll_wait_s = answer->poll_wait_s;
  state_.snapshot_interval_s = answer->snapshot_interval_s;
  state_.offline_after_s = answer->offline_after_s;
  spdlog::info("registered as agent {} in pool {}", answer->agent_id, answer->pool_id);
  return saveAgentState(state_dir_, state_);
}

Status Session::recover() {
  if (enrollment_token_.empty()) {
    return unauthenticated(
        "the master refused this agent's credential and no enrollment token is configured: "
        "create an enrollment token for the agent's pool and set enrollment_token");
  }
  std::string refused;
  {
    std::lock_guard lock(mutex_);
    refused = state_.agent_token;
  }
  // The loops that share this session may all see the same 401; a second registration presenting
  // the token the first one just replaced would be refused as a stolen name.
  std::lock_guard registering(register_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (state_.agent_token != refused) {
      return Status::ok();  // another loop enrolled again meanwhile
    }
  }
  spdlog::warn("the master refused the agent credential; enrolling again");
  Status registered = registerNow();
  if (registered.code() == ErrorCode::kConflict) {
    // The old token no longer proves the name (it was revoked), so retrying cannot help.
    return unauthenticated("the master will not register this agent again under its name (" +
                           registered.message() +
                           "): an operator must delete the old agent or give this one "
                           "another name");
  }
  return registered;
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
