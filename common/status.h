#pragma once

// Errors as values. A Status is a code plus a message a person can act on; Result<T> holds either
// a value or a non-ok Status. Libraries that throw are wrapped at the edge so that nothing above
// them needs try/catch. Both types are cheap to move and safe to use from any thread.

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace corral {

// The codes mirror the refusals of the HTTP API (see docs/protocol.md); the API layer maps each
// code to exactly one status.
enum class ErrorCode {
  kOk,
  kBadRequest,            // 400: the request cannot be parsed (malformed JSON, bad query)
  kUnauthenticated,       // 401: missing, unknown, expired or revoked token
  kPermissionDenied,      // 403: the token's role may not do this
  kNotFound,              // 404: unknown id or route
  kConflict,              // 409: state forbids it (stale fence, duplicate name, ...)
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kInvalidArgument,       // 422: a field of the wrong type or out of range
  kResourceExhausted,     // 429
  kUnavailable,           // 503: shutting down, store not ready
  kInternal,              // 500: a bug or an environmental failure (disk)
};

const char* errorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }

  bool isOk() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string toString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status badRequest(std::string m) { return {ErrorCode::kBadRequest, std::move(m)}; }
inline Status unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
inline Status permissionDenied(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Status notFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Status invalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Status internalError(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.isOk()) {
      // A Result built from a Status must carry an error; an ok Status without a value is a bug.
      std::abort();
    }
  }

  bool isOk() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace corral

// Returns early with the error of an expression that yields a Status. The local's name carries
// the line number so that uses nest (a lambda inside the expression may use the macro too).
#define CORRAL_STATUS_CONCAT_INNER(a, b) a##b
#define CORRAL_STATUS_CONCAT(a, b) CORRAL_STATUS_CONCAT_INNER(a, b)
#define CORRAL_RETURN_IF_ERROR(expr) \
  CORRAL_RETURN_IF_ERROR_IMPL(CORRAL_STATUS_CONCAT(corral_status_, __LINE__), expr)
#define CORRAL_RETURN_IF_ERROR_IMPL(var, expr) \
  do {                                         \
    ::corral::Status var = (expr);             \
    if (!var.isOk()) {                         \
      return var;                              \
    }                                          \
  } while (false)
