#include "common/status.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace corral {
namespace {

Status failWhen(bool fail) {
  if (fail) {
    return notFound("no such thing");
  }
  return Status::ok();
}

// Counts how far it got, so a test can see that CORRAL_RETURN_IF_ERROR stopped early.
Status twoSteps(bool fail_first, int& steps) {
  CORRAL_RETURN_IF_ERROR(failWhen(fail_first));
  ++steps;
  CORRAL_RETURN_IF_ERROR(failWhen(false));
  ++steps;
  return Status::ok();
}

Result<int> parsePositive(int n) {
  if (n <= 0) {
    return invalidArgument("must be positive");
  }
  return n;
}

Result<int> doubledPositive(int n) {
  CORRAL_RETURN_IF_ERROR(parsePositive(n).status());
  return 2 * n;
}

}  // namespace

TEST_CASE("A default Status is ok with an empty message", "[status]") {
  Status s;
  CHECK(s.isOk());
  CHECK(s.code() == ErrorCode::kOk);
  CHECK(s.message().empty());
  CHECK(s.toString() == "ok");
  CHECK(Status::ok().isOk());
}

TEST_CASE("An error Status keeps its code and message", "[status]") {
  Status s = conflict("stale fence");
  CHECK_FALSE(s.isOk());
  CHECK(s.code() == ErrorCode::kConflict);
  CHECK(s.message() == "stale fence");
  CHECK(s.toString() == "conflict: stale fence");
}

TEST_CASE("The helper constructors produce their codes", "[status]") {
  CHECK(badRequest("m").code() == ErrorCode::kBadRequest);
  CHECK(unauthenticated("m").code() == ErrorCode::kUnauthenticated);
  CHECK(permissionDenied("m").code() == ErrorCode::kPermissionDenied);
  CHECK(notFound("m").code() == ErrorCode::kNotFound);
  CHECK(conflict("m").code() == ErrorCode::kConflict);
  CHECK(invalidArgument("m").code() == ErrorCode::kInvalidArgument);
  CHECK(unavailable("m").code() == ErrorCode::kUnavailable);
  CHECK(internalError("m").code() == ErrorCode::kInternal);
}

TEST_CASE("errorCodeName gives the snake_case name of every code", "[status]") {
  CHECK(std::string(errorCodeName(ErrorCode::kOk)) == "ok");
  CHECK(std::string(errorCodeName(ErrorCode::kBadRequest)) == "bad_request");
  CHECK(std::string(errorCodeName(ErrorCode::kUnauthenticated)) == "unauthenticated");
  CHECK(std::string(errorCodeName(ErrorCode::kPermissionDenied)) == "permission_denied");
  CHECK(std::string(errorCodeName(ErrorCode::kNotFound)) == "not_found");
  CHECK(std::string(errorCodeName(ErrorCode::kConflict)) == "conflict");
  CHECK(std::string(errorCodeName(ErrorCode::kPayloadTooLarge)) == "payload_too_large");
  CHECK(std::string(errorCodeName(ErrorCode::kUnsupportedMediaType)) == "unsupported_media_type");
  CHECK(std::string(errorCodeName(ErrorCode::kInvalidArgument)) == "invalid_argument");
  CHECK(std::string(errorCodeName(ErrorCode::kResourceExhausted)) == "resource_exhausted");
  CHECK(std::string(errorCodeName(ErrorCode::kUnavailable)) == "unavailable");
  CHECK(std::string(errorCodeName(ErrorCode::kInternal)) == "internal");
}

TEST_CASE("A Result built from a value is ok and gives the value back", "[status]") {
  Result<std::string> r = std::string("hello");
  REQUIRE(r.isOk());
  CHECK(r.status().isOk());
  CHECK(r.value() == "hello");
  CHECK(*r == "hello");
  CHECK(r->size() == 5);

  r.value() += " world";
  CHECK(*r == "hello world");
}

TEST_CASE("A Result built from an error is not ok and carries the error", "[status]") {
  Result<int> r = unavailable("shutting down");
  CHECK_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kUnavailable);
  CHECK(r.status().message() == "shutting down");
}

TEST_CASE("A Result can hold a move-only value and give it up", "[status]") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  REQUIRE(r.isOk());
  std::unique_ptr<int> taken = std::move(r).value();
  REQUIRE(taken != nullptr);
  CHECK(*taken == 7);
}

TEST_CASE("CORRAL_RETURN_IF_ERROR returns the first error and skips the rest", "[status]") {
  int steps = 0;
  Status s = twoSteps(true, steps);
  CHECK(s.code() == ErrorCode::kNotFound);
  CHECK(s.message() == "no such thing");
  CHECK(steps == 0);
}

TEST_CASE("CORRAL_RETURN_IF_ERROR falls through when every step is ok", "[status]") {
  int steps = 0;
  CHECK(twoSteps(false, steps).isOk());
  CHECK(steps == 2);
}

TEST_CASE("CORRAL_RETURN_IF_ERROR works in a function that returns a Result", "[status]") {
  Result<int> good = doubledPositive(21);
  REQUIRE(good.isOk());
  CHECK(*good == 42);

  Result<int> bad = doubledPositive(-1);
  CHECK_FALSE(bad.isOk());
  CHECK(bad.status().code() == ErrorCode::kInvalidArgument);
  CHECK(bad.status().message() == "must be positive");
}

}  // namespace corral
