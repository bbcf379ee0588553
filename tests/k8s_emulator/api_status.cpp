#include "tests/k8s_emulator/api_status.h"

#include <string>

namespace corral::testing::k8s {

namespace {

struct GenericReason {
  int code;
  std::string_view reason;
  std::string_view message;
};

// The messages client-go and the API server use when a status has nothing more specific
// (k8s.io/apimachinery/pkg/api/errors NewGenericServerResponse); 401 and 410 use the wording of
// the recorded 401 body and of the etcd3 store's "too old" error.
constexpr GenericReason kGenericReasons[] = {
    {400, "BadRequest", "the server rejected our request for an unknown reason"},
    {401, "Unauthorized", "Unauthorized"},
    {403, "Forbidden", "forbidden"},
    {404, "NotFound", "the server could not find the requested resource"},
    {405, "MethodNotAllowed", "the server does not allow this method on the requested resource"},
    {409, "Conflict", "the server reported a conflict"},
    {410, "Expired", "The resourceVersion for the provided list is too old."},
    {422, "Invalid", "the server rejected our request due to an error in our request"},
    {429, "TooManyRequests",
     "the server has received too many requests and has asked us to try again later"},
    {500, "InternalError",
     "an error on the server (\"\") has prevented the request from succeeding"},
    {503, "ServiceUnavailable", "the server is currently unable to handle the request"},
    {504, "Timeout",
     "the server was unable to return a response in the time allotted, but may still be "
     "processing the request"},
};

}  // namespace

ApiError statusError(int code, std::string_view reason, std::string_view message,
                     const Object& details, const Object& metadata) {
  Object status = Object::object();
  status["kind"] = "Status";
  status["apiVersion"] = "v1";
  status["metadata"] = metadata;
  status["status"] = "Failure";
  status["message"] = message;
  if (!reason.empty()) {
    status["reason"] = reason;
  }
  if (!details.is_null()) {
    status["details"] = details;
  }
  status["code"] = code;
  ApiError error;
  error.code = code;
  error.body = status.dump() + "\n";
  return error;
}

Object statusDetails(const ResourceType& type, std::string_view name) {
  Object details = Object::object();
  if (!name.empty()) {
    details["name"] = name;
  }
  if (!type.group.empty()) {
    details["group"] = type.group;
  }
  details["kind"] = type.name;
  return details;
}

ApiError badRequest(std::string_view message) { return statusError(400, "BadRequest", message); }

ApiError notFound(const ResourceType& type, std::string_view name) {
  return statusError(404, "NotFound",
                     type.groupResource() + " \"" + std::string(name) + "\" not found",
                     statusDetails(type, name));
}

ApiError alreadyExists(const ResourceType& type, std::string_view name) {
  return statusError(409, "AlreadyExists",
                     type.groupResource() + " \"" + std::string(name) + "\" already exists",
                     statusDetails(type, name));
}

ApiError invalidField(std::string_view group_kind, std::string_view name, std::string_view field,
                      std::string_view value, std::string_view detail) {
  std::string cause = "Invalid value: " + std::string(value) + ": " + std::string(detail);
  Object details = Object::object();
  details["name"] = name;
  auto dot = group_kind.find('.');
  if (dot != std::string_view::npos) {
    details["group"] = group_kind.substr(dot + 1);
  }
  details["kind"] = group_kind.substr(0, dot);
  Object one = Object::object();
  one["reason"] = "FieldValueInvalid";
  one["message"] = cause;
  one["field"] = field;
  details["causes"] = Object::array({one});
  return statusError(422, "Invalid",
                     std::string(group_kind) + " \"" + std::string(name) +
                         "\" is invalid: " + std::string(field) + ": " + cause,
                     details);
}

ApiError methodNotAllowed() {
  return statusError(405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource",
                     Object::object());
}

ApiError unsupportedPatchType() {
  return statusError(415, "UnsupportedMediaType",
                     "the body of the request was in an unknown format - accepted media types "
                     "include: application/json-patch+json, application/merge-patch+json, "
                     "application/apply-patch+yaml, application/strategic-merge-patch+json");
}

ApiError unsupportedBodyType() {
  return statusError(415, "UnsupportedMediaType",
                     "the body of the request was in an unknown format - accepted media types "
                     "include: application/json, application/yaml");
}

ApiError continueExpired(const std::string& new_token) {
  // Wording from kubernetes/apiserver pkg/storage/etcd3 (see tests/fixtures/k8s/SOURCES.md).
  Object metadata = Object::object();
  metadata["continue"] = new_token;
  return statusError(
      410, "Expired",
      "The provided continue parameter is too old to display a consistent list result. You can "
      "start a new list without the continue parameter, or use the continue token in this "
      "response to retrieve the remainder of the results. Continuing with the provided token "
      "results in an inconsistent list - objects that were created, modified, or deleted between "
      "the time the first chunk was returned and now may show up in the list.",
      nullptr, metadata);
}

ApiError faultStatus(int code, int retry_after_s) {
  std::string_view reason = "InternalError";
  std::string message = "the server responded with the status code " + std::to_string(code) +
                        " but did not return more information";
  for (const GenericReason& generic : kGenericReasons) {
    if (generic.code == code) {
      reason = generic.reason;
      message = generic.message;
    }
  }
  Object details = nullptr;
  if (retry_after_s > 0 && (code == 429 || code == 503 || code == 504)) {
    details = Object::object();
    details["retryAfterSeconds"] = retry_after_s;
  }
  ApiError error = statusError(code, reason, message, details);
  error.retry_after_s = retry_after_s;
  return error;
}

}  // namespace corral::testing::k8s
