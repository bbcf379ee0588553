#pragma once

// MasterGateway over HTTP. Transient failures (no answer, 429, any 5xx) are retried with
// capped exponential backoff and full jitter, honouring Retry-After, sleeping through the injected
// Clock so that stop() interrupts them; everything else is returned to the caller as the Status
// the master's error body describes.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "agent/gateway/master_gateway.h"
#include "common/backoff.h"
#include "common/clock.h"
#include "common/http_transport.h"

namespace corral::agent {

struct GatewayOptions {
  std::string server_url;                             // "https://master:8420", no trailing slash
  int max_attempts = 8;                               // per call, for transient failures
  std::chrono::milliseconds request_timeout{30'000};  // per attempt; a poll adds its wait
};

class HttpMasterGateway final : public MasterGateway {
 public:
  HttpMasterGateway(HttpTransport& transport, Clock& clock, Backoff backoff,
                    GatewayOptions options);

  Result<proto::RegisterResponse> registerAgent(const proto::RegisterRequest& request,
                                                const std::string& enrollment_token) override;
  void useAgentToken(const std::string& agent_token) override;
  Result<proto::HeartbeatResponse> heartbeat(const proto::HeartbeatRequest& request) override;
  Status pushSnapshot(std::string gzipped_envelope) override;
  Result<std::optional<proto::PollResponse>> poll(int wait_s, int max) override;
  Result<proto::ProgressResponse> progress(const std::string& command_id,
                                           const proto::ProgressRequest& request) override;
  Status result(const std::string& command_id, const proto::ResultRequest& request) override;
  void stopPolling() override;
  void stop() override;

 private:
  // Sends with retries; returns the final response (any status) or the last transport error.
  // Each attempt may take `held` (how long the master may hold the request, a long-poll's wait)
  // plus the request timeout of the options.
  Result<HttpResponse> exchange(HttpRequest request, const std::string& token,
                                std::chrono::milliseconds held);
  // exchange(), with any status outside 2xx turned into the error it stands for.
  Result<HttpResponse> call(HttpRequest request, const std::string& token,
                            std::chrono::milliseconds held = std::chrono::milliseconds(0));
  std::string agentToken() const;

  HttpTransport& transport_;
  Clock& clock_;
  Backoff backoff_;
  GatewayOptions options_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> polling_stopped_{false};
  mutable std::mutex mutex_;
  std::string agent_token_;  // guarded by mutex_
};

// The Status an error response of the master stands for, with its message.
Status statusFromResponse(const HttpResponse& response);

}  // namespace corral::agent
