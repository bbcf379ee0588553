#pragma once

// Failures as a real API server writes them: a metav1.Status object in the member order and
// wording of the recorded bodies under tests/fixtures/k8s/errors/, ended by the newline the
// server's encoder adds. ApiResult carries either a value or such an answer.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tests/k8s_emulator/object_util.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

struct ApiError {
  int code = 500;
  std::string body;  // the exact bytes of the answer
  std::string content_type = "application/json";
  int retry_after_s = 0;  // > 0: a Retry-After header goes with the answer
};

template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const ApiError& error() const { return *error_; }

 private:
  std::optional<T> value_;
  std::optional<ApiError> error_;
};

// A Failure Status. `details` null leaves the member out (as NewBadRequest does); `metadata` is
// the ListMeta, empty but for an expired continue.
ApiError statusError(int code, std::string_view reason, std::string_view message,
                     const Object& details = nullptr, const Object& metadata = Object::object());
// {"name", "group" (when not core), "kind": the resource}: the details of NotFound and friends.
Object statusDetails(const ResourceType& type, std::string_view name);

ApiError badRequest(std::string_view message);
// `pods "x" not found`, `deployments.apps "x" not found`.
ApiError notFound(const ResourceType& type, std::string_view name);
ApiError alreadyExists(const ResourceType& type, std::string_view name);
// 422 for one bad field: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: ...`.
ApiError invalidField(std::string_view group_kind, std::string_view name, std::string_view field,
                      std::string_view value, std::string_view detail);
ApiError methodNotAllowed();
// 415 for a PATCH whose Content-Type is none of the patch types.
ApiError unsupportedPatchType();
// 415 for a POST or PUT body that is not JSON.
ApiError unsupportedBodyType();
// 410 for a continue token older than the last compaction; `new_token` continues at the latest
// version, as the modern server offers.
ApiError continueExpired(const std::string& new_token);
// An answer for an injected fault with `code` (429, 503, 504, ...), worded as client-go's generic
// messages; 429 and 503 carry retryAfterSeconds when `retry_after_s` > 0.
ApiError faultStatus(int code, int retry_after_s);

}  // namespace corral::testing::k8s
