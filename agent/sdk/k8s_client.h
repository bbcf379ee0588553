#pragma once

// The Kubernetes API as the agent sees it: REST calls with pagination, retries and Status errors
// handled. The implementation over HttpTransport (rest_k8s_client.cpp) is made by makeK8sClient();
// tests run it against the Kubernetes API emulator in tests/k8s_emulator. Thread-safe.
//
// Errors: an API Status body becomes a Status whose code follows the HTTP status (401
// kUnauthenticated, 403 kPermissionDenied, 404 kNotFound, 409 kConflict, 410 kConflict, 422
// kInvalidArgument, 429 kResourceExhausted, 5xx kUnavailable) and whose message keeps the
// Status's reason and message: "NotFound: pods \"x\" not found (HTTP 404)".

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::agent {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int page_size = 500;  // `limit` of each page; `continue` is followed to the end
  // Members of each item the caller never reads, as paths of member names from the item down;
  // arrays on the way are entered without a step ({"spec", "containers", "env"}: every
  // container's env). They are skipped while parsing, so they cost neither memory nor time. An
  // implementation may still return them.
  std::vector<std::vector<std::string>> omit;
};

struct LogOptions {
  std::string container;
  std::optional<int64_t> tail_lines;
  std::optional<int64_t> since_seconds;
  std::optional<int64_t> limit_bytes;
  bool previous = false;
};

enum class PatchType { kMerge, kStrategicMerge, kJson };

class K8sClient {
 public:
  virtual ~K8sClient() = default;

  // LISTs the collection at `path` ("/api/v1/pods", "/apis/apps/v1/namespaces/x/deployments"),
  // following `continue` tokens. A 410 Expired restarts the list from the beginning (a bounded
  // number of times); 429 and 503 are retried after Retry-After (capped). Returns every item, each
  // with apiVersion and kind filled in from the list.
  virtual Result<std::vector<Json>> list(const std::string& path, const ListOptions& options) = 0;
  // The same LIST without holding the collection: `visit` gets every item (kind and apiVersion
  // filled in) as soon as it is read and may move from it; the client keeps nothing of it. When a
  // 410 Expired restarts the list, `restarted` is called before the first item of the new pass:
  // the caller drops what it kept of the items before. Same errors and retries as list(); on an
  // error some items may have been visited. This default calls list() and visits its result.
  virtual Status listEach(const std::string& path, const ListOptions& options,
                          const std::function<void(Json& item)>& visit,
                          const std::function<void()>& restarted) {
    (void)restarted;  // list() has restarted by itself
    Result<std::vector<Json>> items = list(path, options);
    if (!items.isOk()) {
      return items.status();
    }
    for (Json& item : *items) {
      visit(item);
    }
    return Status::ok();
  }
  virtual Result<Json> get(const std::string& path) = 0;
  virtual Result<Json> patch(const std::string& path, const Json& body, PatchType type) = 0;
  // DELETE; `grace_period_s` sets gracePeriodSeconds when present.
  virtual Result<Json> remove(const std::string& path, std::optional<int> grace_period_s) = 0;
  virtual Result<std::string> logs(const std::string& ns, const std::string& pod,
                                   const LogOptions& options) = 0;
  // Any method and path, for the allow-listed `dynamic` action. The body is JSON or empty.
  virtual Result<Json> request(const std::string& method, const std::string& path,
                               const std::string& body) = 0;
};

}  // namespace corral::agent
