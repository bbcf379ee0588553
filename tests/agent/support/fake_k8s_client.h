#pragma once

// A K8sClient for repository and service tests: list() answers from items or errors set per path,
// and counts how many lists run at once. Also loads the recorded List responses in
// tests/fixtures/k8s (the test target defines CORRAL_K8S_FIXTURES as that folder). Thread-safe.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
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

  Result<Json> get(const std::string& path) override { return unsupported(path); }
  Result<Json> patch(const std::string& path, const Json& /*body*/, PatchType /*type*/) override {
    return unsupported(path);
  }
  Result<Json> remove(const std::string& path, std::optional<int> /*grace_period_s*/) override {
    return unsupported(path);
  }
  Result<std::string> logs(const std::string& ns, const std::string& pod,
                           const LogOptions& /*options*/) override {
    return unavailable("FakeK8sClient: logs of " + ns + "/" + pod + " are not faked");
  }
  Result<Json> request(const std::string& /*method*/, const std::string& path,
                       const std::string& /*body*/) override {
    return unsupported(path);
  }

 private:
  static Status unsupported(const std::string& path) {
    return unavailable("FakeK8sClient: only list() is faked (" + path + ")");
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
};

}  // namespace corral::agent::testing
