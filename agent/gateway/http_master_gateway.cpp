#include "agent/gateway/http_master_gateway.h"

#include <algorithm>

namespace corral::agent {
namespace {

// docs/protocol.md: 429 and every 5xx are worth another try; any other answer is final.
bool transient(int status) { return status == 429 || (status >= 500 && status <= 599); }

ErrorCode codeForStatus(int status) {
  switch (status) {
    case 400:
      return ErrorCode::kBadRequest;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
      return ErrorCode::kConflict;
    case 413:
      return ErrorCode::kPayloadTooLarge;
    case 415:
      return ErrorCode::kUnsupportedMediaType;
    case 422:
      return ErrorCode::kInvalidArgument;
    case 429:
      return ErrorCode::kResourceExhausted;
    default:
      return status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kInternal;
  }
}

template <typename T>
Result<T> decodeResponse(const HttpResponse& response) {
  auto json = parseJson(response.body);
  if (!json.isOk()) {
    return internalError("the master answered " + std::to_string(response.status) +
                         " with a body that is not JSON");
  }
  auto decoded = proto::decode<T>(*json);
  if (!decoded.isOk()) {
    return internalError("the master's answer does not follow the protocol: " +
                         decoded.status().message());
  }
  return decoded;
}

}  // namespace

Status statusFromResponse(const HttpResponse& response) {
  std::string message = "HTTP " + std::to_string(response.status);
  auto json = parseJson(response.body);
  if (json.isOk()) {
    auto body = proto::decode<proto::ErrorBody>(*json);
    if (body.isOk()) {
      message = body->message + " (HTTP " + std::to_string(response.status) + ")";
    }
  }
  return {codeForStatus(response.status), message};
}

HttpMasterGateway::HttpMasterGateway(HttpTransport& transport, Clock& clock, Backoff backoff,
                                     GatewayOptions options)
    : transport_(transport),
      clock_(clock),
      backoff_(std::move(backoff)),
      options_(std::move(options)) {}

void HttpMasterGateway::useAgentToken(const std::string& agent_token) {
  std::lock_guard lock(mutex_);
  agent_token_ = agent_token;
}

std::string HttpMasterGateway::agentToken() const {
  std::lock_guard lock(mutex_);
  return agent_token_;
}

void HttpMasterGateway::stopPolling() { polling_stopped_ = true; }

void HttpMasterGateway::stop() {
  polling_stopped_ = true;
  stopped_ = true;
  clock_.interrupt();
}

Result<HttpResponse> HttpMasterGateway::exchange(HttpRequest request, const std::string& token,
                                                 std::chrono::milliseconds held) {
  request.url = options_.server_url + request.url;
  request.headers.emplace_back("Authorization", "Bearer " + token);
  request.timeout = held + options_.request_timeout;
  Result<HttpResponse> last = unavailable("not sent");
  auto abandoned = [&] { return stopped_ || (request.abandon != nullptr && *request.abandon); };
  for (int attempt = 0; attempt < options_.max_attempts && !abandoned(); ++attempt) {
    last = transport_.send(request);
    if (last.isOk() && !transient(last->status)) {
      return last;
    }
    if (attempt + 1 >= options_.max_attempts || abandoned()) {
      break;  // an abandoned exchange returns at once instead of waiting out a backoff first
    }
    std::chrono::milliseconds wait = backoff_.next(attempt);
    if (last.isOk()) {
      // Retry-After (seconds) from the master is a floor under the jittered wait.
      const std::string retry_after = last->header("retry-after");
      if (!retry_after.empty() &&
          retry_after.find_first_not_of("0123456789") == std::string::npos &&
          retry_after.size() < 6) {
        wait = std::max(wait, std::chrono::milliseconds(std::stoll(retry_after) * 1000));
      }
    }
    if (!clock_.sleepFor(wait)) {
      break;  // stop() interrupted the wait
    }
  }
  if (abandoned()) {
    return unavailable("the agent is stopping");
  }
  return last;
}

Result<HttpResponse> HttpMasterGateway::call(HttpRequest request, const std::string& token,
                                             std::chrono::milliseconds held) {
  auto response = exchange(std::move(request), token, held);
  if (!response.isOk()) {
    return response;
  }
  if (response->status < 200 || response->status > 299) {
    return statusFromResponse(*response);
  }
  return response;
}

namespace {

HttpRequest jsonPost(std::string path, const Json& body) {
  HttpRequest http;
  http.method = "POST";
  http.url = std::move(path);
  http.headers = {{"Content-Type", "application/json"}};
  http.body = body.dump();
  return http;
}

}  // namespace

Result<proto::RegisterResponse> HttpMasterGateway::registerAgent(
    const proto::RegisterRequest& request, const std::string& enrollment_token) {
  auto response = call(jsonPost("/api/v1/agent/register", Json(request)), enrollment_token);
  if (!response.isOk()) {
    return response.status();
  }
  auto registered = decodeResponse<proto::RegisterResponse>(*response);
  if (registered.isOk()) {
    useAgentToken(registered->agent_token);
  }
  return registered;
}

Result<proto::HeartbeatResponse> HttpMasterGateway::heartbeat(
    const proto::HeartbeatRequest& request) {
  auto response = call(jsonPost("/api/v1/agent/heartbeat", Json(request)), agentToken());
  if (!response.isOk()) {
    return response.status();
  }
  return decodeResponse<proto::HeartbeatResponse>(*response);
}

Status HttpMasterGateway::pushSnapshot(std::string gzipped_envelope) {
  HttpRequest http;
  http.method = "POST";
  http.url = "/api/v1/agent/snapshot";
  http.headers = {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}};
  http.body = std::move(gzipped_envelope);
  return call(std::move(http), agentToken()).status();
}

Result<std::optional<proto::PollResponse>> HttpMasterGateway::poll(int wait_s, int max) {
  HttpRequest http;
  http.url =
      "/api/v1/agent/commands?wait=" + std::to_string(wait_s) + "&max=" + std::to_string(max);
  http.abandon = &polling_stopped_;
  auto response = call(std::move(http), agentToken(), std::chrono::seconds(wait_s));
  if (!response.isOk()) {
    return response.status();
  }
  if (response->status == 204) {
    return std::optional<proto::PollResponse>();
  }
  auto decoded = decodeResponse<proto::PollResponse>(*response);
  if (!decoded.isOk()) {
    return decoded.status();
  }
  return std::optional<proto::PollResponse>(std::move(*decoded));
}

Result<proto::ProgressResponse> HttpMasterGateway::progress(const std::string& command_id,
                                                            const proto::ProgressRequest& request) {
  auto response = call(
      jsonPost("/api/v1/agent/commands/" + command_id + "/progress", Json(request)), agentToken());
  if (!response.isOk()) {
    return response.status();
  }
  return decodeResponse<proto::ProgressResponse>(*response);
}

Status HttpMasterGateway::result(const std::string& command_id,
                                 const proto::ResultRequest& request) {
  return call(jsonPost("/api/v1/agent/commands/" + command_id + "/result", Json(request)),
              agentToken())
      .status();
}

}  // namespace corral::agent
