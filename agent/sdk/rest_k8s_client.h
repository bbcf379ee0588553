#pragma once

// K8sClient over the Kubernetes REST API, through an injected HttpTransport (libcurl in
// production, a fake in tests) and Clock (every wait before a retry is a clock.sleepFor, so tests
// assert the waits). Thread-safe: calls may run concurrently; the cached service-account token is
// the only shared mutable state.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "agent/sdk/k8s_client.h"
#include "common/backoff.h"
#include "common/clock.h"
#include "common/http_transport.h"

namespace corral::agent {

struct K8sEndpoint {
  std::string server;  // "https://10.96.0.1:443"; a trailing slash is ignored
  std::string bearer_token;
  // Read before each request whenever the file has changed (size, time or inode), and at least
  // once a minute, so rotated service-account tokens are picked up. Wins over bearer_token.
  std::string token_file;
  std::chrono::milliseconds timeout{30'000};  // of each HTTP exchange
};

struct K8sRetryPolicy {
  int max_expired_restarts = 3;  // 410 Expired during a paginated list
  int max_retries = 5;           // 429 and 503, per HTTP request
  std::chrono::milliseconds backoff_base{1'000};
  // Also caps a Retry-After, so one answer cannot park the agent for long.
  std::chrono::milliseconds backoff_cap{30'000};
  // The jitter source for the backoff (uniform 64-bit values); empty: a per-client generator.
  std::function<uint64_t()> random;
};

class RestK8sClient final : public K8sClient {
 public:
  // `transport` and `clock` must outlive the client.
  RestK8sClient(HttpTransport& transport, Clock& clock, K8sEndpoint endpoint,
                K8sRetryPolicy policy = {});
  // Owns the transport (makeK8sClient builds one of these).
  RestK8sClient(std::unique_ptr<HttpTransport> transport, Clock& clock, K8sEndpoint endpoint,
                K8sRetryPolicy policy = {});
  ~RestK8sClient() override;

  RestK8sClient(const RestK8sClient&) = delete;
  RestK8sClient& operator=(const RestK8sClient&) = delete;

  Result<std::vector<Json>> list(const std::string& path, const ListOptions& options) override;
  // Reads each page as it arrives and asks for the next one on another thread as soon as the
  // page's continue token is read (before its items), so the server prepares a page while the
  // previous one is parsed. Holds at most two pages' text and one item at a time.
  Status listEach(const std::string& path, const ListOptions& options,
                  const std::function<void(Json& item)>& visit,
                  const std::function<void()>& restarted) override;
  Result<Json> get(const std::string& path) override;
  Result<Json> patch(const std::string& path, const Json& body, PatchType type) override;
  Result<Json> remove(const std::string& path, std::optional<int> grace_period_s) override;
  Result<std::string> logs(const std::string& ns, const std::string& pod,
                           const LogOptions& options) override;
  Result<Json> request(const std::string& method, const std::string& path,
                       const std::string& body) override;

 private:
  struct TokenCache;

  // Sends, then waits and resends while the answer is 429 or 503 (policy_.max_retries times).
  // Returns the last answer, whatever its status; an error only when no answer came.
  Result<HttpResponse> exchange(const std::string& method, const std::string& path_and_query,
                                const std::string& body, const std::string& content_type);
  // exchange(), with any answer but 2xx turned into a Status.
  Result<HttpResponse> call(const std::string& method, const std::string& path_and_query,
                            const std::string& body, const std::string& content_type);
  // The wait before retry number `attempt` (from 0) after `response`.
  std::chrono::milliseconds retryDelay(const HttpResponse& response, int attempt);
  Result<std::string> bearerToken();

  std::unique_ptr<HttpTransport> owned_transport_;
  HttpTransport& transport_;
  Clock& clock_;
  const K8sEndpoint endpoint_;
  const K8sRetryPolicy policy_;
  std::unique_ptr<TokenCache> token_;
  std::mutex random_mutex_;  // serialises calls of policy_.random
  Backoff backoff_;
};

// "a b/c" -> "a%20b%2Fc": everything but RFC 3986 unreserved characters is escaped.
std::string urlEncode(const std::string& value);

}  // namespace corral::agent
