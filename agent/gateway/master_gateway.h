#pragma once

// The master, as the agent's upper layers see it: one call per route of docs/protocol.md, with
// retries of transient failures inside. The HTTP implementation (http_master_gateway.cpp) is
// hidden behind this interface; scheduler tests use a fake. Thread-safe.

#include <optional>
#include <string>

#include "common/status.h"
#include "proto-json/messages.h"

namespace corral::agent {

class MasterGateway {
 public:
  virtual ~MasterGateway() = default;

  // Registers with `enrollment_token`; on success later calls use the returned agent token.
  virtual Result<proto::RegisterResponse> registerAgent(const proto::RegisterRequest& request,
                                                        const std::string& enrollment_token) = 0;
  // Uses this agent token from now on (a credential kept from an earlier registration).
  virtual void useAgentToken(const std::string& agent_token) = 0;

  virtual Result<proto::HeartbeatResponse> heartbeat(const proto::HeartbeatRequest& request) = 0;
  // Uploads a snapshot given as the gzip of a proto::SnapshotEnvelope's JSON. It comes compressed
  // so that a large cluster's snapshot never has to exist as one JSON text or tree (see
  // model::gzipEnvelope). kConflict when the master holds a newer version.
  virtual Status pushSnapshot(std::string gzipped_envelope) = 0;
  // Long-polls for up to `wait_s` seconds; nullopt when nothing came (204).
  virtual Result<std::optional<proto::PollResponse>> poll(int wait_s, int max) = 0;
  virtual Result<proto::ProgressResponse> progress(const std::string& command_id,
                                                   const proto::ProgressRequest& request) = 0;
  // kConflict when the fence is stale: the command was redelivered and this result is dropped.
  virtual Status result(const std::string& command_id, const proto::ResultRequest& request) = 0;

  // Abandons a long-poll in progress and makes later polls fail at once; other calls go on, so
  // commands still running can report (first step of a shutdown).
  virtual void stopPolling() = 0;
  // Ends retries in progress and makes later ones give up at once (shutdown); implies
  // stopPolling().
  virtual void stop() = 0;
};

}  // namespace corral::agent
