#pragma once

// A K8sClient for repository and service tests: list() answers from items or errors set per path,
// and counts how many lists run at once; get(), patch(), remove(), logs() and request() are
// recorded and answer what a test set for their method and path. Also loads the recorded List
// responses in tests/fixtures/k8s (the test target defines CORRAL_K8S_FIXTURES as that folder).
// Thread-safe.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/sdk/k8s_client.h"
#include "common/json.h"
#include "common/status.h"

namespace corral::agent::testing {

// The whole JSON file at `relative_path` under tests/fixtures/k8s/troubleshoot/. Throws
// std::runtime_error when it is missing or not JSON, which fails the calling test case.
inline Json fixtureFile(const std::string& relative_path) {
  std::string path = std::string(CORRAL_K8S_FIXTURES) + "/troubleshoot/" + relative_path;
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot open fixture " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  Result<Json> parsed = parseJson(text.str());
  if (!parsed.isOk()) {
    throw std::runtime_error(path + ": " + parsed.status().message());
  }
  return std::move(parsed).value();
}

// The items of the List in `relative_path`, each with kind and apiVersion filled in from the
// List as the real client does ("PodList" -> "Pod").
inline std::vector<Json> fixtureItems(const std::string& relative_path) {
  Json list = fixtureFile(relative_path);
  std::string kind = list.value("kind", "");
  if (kind.size() > 4 && kind.ends_with("List")) {
    kind.resize(kind.size() - 4);
  }
  std::vector<Json> items;
  for (Json& item : list["items"]) {
    if (item.is_object()) {
      if (!item.contains("kind")) {
        item["kind"] = kind;
      }
      if (!item.contains("apiVersion")) {
        item["apiVersion"] = list.value("apiVersion", "");
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

// The items of several fixture files, one after the other.
inline std::vector<Json> fixtureItems(const std::vector<std::string>& relative_paths) {
  std::vector<Json> all;
  for (const std::string& path : relative_paths) {
    for (Json& item : fixtureItems(path)) {
      all.push_back(std::move(item));
    }
  }
  return all;
}

// One call to FakeK8sClient other than list(), as it arrived.
struct RecordedCall {
  std::string method;  // GET for get() and logs(), PATCH, DELETE, or request()'s method
  std::string path;    // logs(): "/api/v1/namespaces/<ns>/pods/<pod>/log", without a query
  Json body;           // patch(): the patch; request(): the body parsed, null when empty
  PatchType patch_type = PatchType::kMerge;  // patch() only
  std::optional<int> grace_period_s;         // remove() only
  LogOptions log_options;                    // logs() only
};

class FakeK8sClient final : public K8sClient {
 public:
  // list(path) returns `items`. A namespaced path (".../namespaces/<ns>/<resource>") that has no
  // entry of its own answers with the items of its cluster-wide path in namespace <ns>.
  void setItems(const std::string& path, std::vector<Json> items) {
    std::lock_guard lock(mutex_);
    errors_.erase(path);
    items_[path] = std::move(items);
  }

  // list(path), and the namespaced paths below it, fail with `status`.
  void setError(const std::string& path, Status status) {
    std::lock_guard lock(mutex_);
    items_.erase(path);
    errors_.insert_or_assign(path, std::move(status));
  }

  // Each list() waits until `n` lists are in flight at once before it answers, so that a test
  // sees the parallelism a caller reaches. Once reached, lists answer at once. A caller that never
  // reaches `n` would wait forever; the wait gives up after a generous bound and holdTimedOut()
  // tells.
  void holdUntilInFlight(int n) {
    std::lock_guard lock(mutex_);
    hold_until_ = n;
    hold_reached_ = false;
  }

  int maxInFlight() const {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
  }
  bool holdTimedOut() const {
    std::lock_guard lock(mutex_);
    return hold_timed_out_;
  }
  // Every path list() was called with, in call order.
  std::vector<std::string> listedPaths() const {
    std::lock_guard lock(mutex_);
    return listed_;
  }

  Result<std::vector<Json>> list(const std::string& path, const ListOptions& /*options*/) override {
    std::unique_lock lock(mutex_);
    listed_.push_back(path);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    if (in_flight_ >= hold_until_) {
      hold_reached_ = true;
    }
    cv_.notify_all();
    if (!cv_.wait_for(lock, std::chrono::seconds(60), [&] { return hold_reached_; })) {
      hold_timed_out_ = true;
      hold_reached_ = true;
      cv_.notify_all();
    }
    --in_flight_;
    return answer(path);
  }

  // get(), patch(), remove() and request() with `method` on `path` answer `response`; logs()
  // answers a JSON string as the log text (method GET, path as in RecordedCall). A call with no
  // answer set fails with kNotFound, as the API does for an unknown path.
  void setResponse(const std::string& method, const std::string& path, Result<Json> response) {
    std::lock_guard lock(mutex_);
    responses_.insert_or_assign(method + " " + path, std::move(response));
  }

  // Runs `action` in every call but list(), before it answers and without the client's lock held,
  // e.g. to advance a fake clock while a request is in flight.
  void setOnCall(std::function<void()> action) {
    std::lock_guard lock(mutex_);
    on_call_ = std::move(action);
  }

  // Every call but list(), in call order.
  std::vector<RecordedCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  Result<Json> get(const std::string& path) override { return record(callOf("GET", path)); }
  Result<Json> patch(const std::string& path, const Json& body, PatchType type) override {
    RecordedCall call = callOf("PATCH", path);
    call.body = body;
    call.patch_type = type;
    return record(std::move(call));
  }
  Result<Json> remove(const std::string& path, std::optional<int> grace_period_s) override {
    RecordedCall call = callOf("DELETE", path);
    call.grace_period_s = grace_period_s;
    return record(std::move(call));
  }
  Result<std::string> logs(const std::string& ns, const std::string& pod,
                           const LogOptions& options) override {
    RecordedCall call = callOf("GET", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/log");
    call.log_options = options;
    Result<Json> answer = record(std::move(call));
    if (!answer.isOk()) {
      return answer.status();
    }
    if (!answer->is_string()) {
      throw std::logic_error("FakeK8sClient: the answer to logs() must be a JSON string");
    }
    return answer->get<std::string>();
  }
  Result<Json> request(const std::string& method, const std::string& path,
                       const std::string& body) override {
    RecordedCall call = callOf(method, path);
    if (!body.empty()) {
      Result<Json> json = parseJson(body);
      if (!json.isOk()) {
        return invalidArgument("FakeK8sClient: request body is not JSON: " + body);
      }
      call.body = std::move(json).value();
    }
    return record(std::move(call));
  }

 private:
  static RecordedCall callOf(std::string method, std::string path) {
    RecordedCall call;
    call.method = std::move(method);
    call.path = std::move(path);
    return call;
  }

  Result<Json> record(RecordedCall call) {
    std::function<void()> on_call;
    {
      std::lock_guard lock(mutex_);
      on_call = on_call_;
    }
    if (on_call) {
      on_call();
    }
    std::lock_guard lock(mutex_);
    std::string key = call.method + " " + call.path;
    calls_.push_back(std::move(call));
    if (auto it = responses_.find(key); it != responses_.end()) {
      return it->second;
    }
    return notFound("FakeK8sClient: no answer set for " + key + " (HTTP 404)");
  }

  // Called with mutex_ held.
  Result<std::vector<Json>> answer(const std::string& path) const {
    if (auto it = errors_.find(path); it != errors_.end()) {
      return it->second;
    }
    if (auto it = items_.find(path); it != items_.end()) {
      return it->second;
    }
    // ".../namespaces/<ns>/<resource>" -> ".../<resource>", items of namespace <ns>.
    constexpr std::string_view kMarker = "/namespaces/";
    size_t marker = path.find(kMarker);
    size_t slash = marker == std::string::npos ? marker : path.find('/', marker + kMarker.size());
    if (slash != std::string::npos) {
      std::string ns = path.substr(marker + kMarker.size(), slash - marker - kMarker.size());
      std::string cluster_path = path.substr(0, marker) + path.substr(slash);
      if (auto it = errors_.find(cluster_path); it != errors_.end()) {
        return it->second;
      }
      if (auto it = items_.find(cluster_path); it != items_.end()) {
        std::vector<Json> in_namespace;
        for (const Json& item : it->second) {
          const Json* metadata =
              item.is_object() && item.contains("metadata") ? &item["metadata"] : nullptr;
          if (metadata != nullptr && metadata->value("namespace", "") == ns) {
            in_namespace.push_back(item);
          }
        }
        return in_namespace;
      }
    }
    return notFound("NotFound: the server could not find the requested resource (HTTP 404)");
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<Json>> items_;  // guarded by mutex_
  std::map<std::string, Status> errors_;            // guarded by mutex_
  std::vector<std::string> listed_;                 // guarded by mutex_
  int in_flight_ = 0;                               // guarded by mutex_
  int max_in_flight_ = 0;                           // guarded by mutex_
  int hold_until_ = 0;                              // guarded by mutex_
  bool hold_reached_ = false;                       // guarded by mutex_
  bool hold_timed_out_ = false;                     // guarded by mutex_
  std::map<std::string, Result<Json>> responses_;   // "METHOD path"; guarded by mutex_
  std::vector<RecordedCall> calls_;                 // guarded by mutex_
  std::function<void()> on_call_;                   // guarded by mutex_
};

}  // namespace corral::agent::testing
