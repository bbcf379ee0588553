#pragma once

// Helpers shared by the route files: the JSON error shape, body and query parsing, and
// authentication of the caller. Internal to the api folder (it includes httplib.h).

#include <httplib.h>

#include <optional>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "master/api/api_server.h"
#include "master/auth/principal.h"
#include "master/store/store.h"
#include "proto-json/field_reader.h"

namespace corral::master {

struct ApiContext {
  ApiOptions options;
  ApiDependencies deps;
};

int httpStatusFor(ErrorCode code);
void sendError(httplib::Response& res, const Status& status);
void sendJson(httplib::Response& res, int http_status, const Json& body);

// The bearer token of the request, or empty.
std::string bearerToken(const httplib::Request& req);
Actor actorOf(const Principal& principal, const httplib::Request& req);

// Authenticates an operator token and checks that its role is at least `min_role`.
Result<Principal> authorizeOperator(ApiContext& ctx, const httplib::Request& req, Role min_role);
// Authenticates an agent token; the principal's agent_id is the caller.
Result<Principal> authorizeAgent(ApiContext& ctx, const httplib::Request& req);

// 415 unless the request declares a JSON body.
Status checkJsonContentType(const httplib::Request& req);

// The request body as a JSON object: 413 over http.max_body_bytes, 415 unless the content type
// is JSON, 400 when malformed, 422 when not an object. An empty body is an empty object when
// `allow_empty`.
Result<Json> jsonBody(const ApiContext& ctx, const httplib::Request& req, bool allow_empty = false);

// A query parameter as an integer within [min, max]; absent: `fallback`. 422 names it otherwise.
Result<int> queryInt(const httplib::Request& req, const char* name, int fallback, int min, int max);
std::string queryString(const httplib::Request& req, const char* name);
// "limit" (1..500, default 100) and "continue".
Result<Page> queryPage(const httplib::Request& req);
// queryPage for the lists ordered by seq, newest first: "continue" must be a seq this master
// issued (digits only), 422 otherwise.
Result<Page> querySeqPage(const httplib::Request& req);
// Parses "k=v,k2=v2" label selectors; 422 for a malformed one.
Result<Labels> parseLabelSelector(const std::string& text, const char* name);

// Reads fields of an operator's JSON body with `fn(FieldReader&)`; a failed check is 422 naming
// the field.
template <typename Fn>
Status readFields(const Json& body, Fn fn) {
  try {
    proto::FieldReader reader(body, "");
    fn(reader);
    return Status::ok();
  } catch (const proto::FieldError& e) {
    return invalidArgument("field '" + e.field + "': expected " + e.expected);
  }
}

// Runs `fn`, turning any Status error it returns into the JSON error response.
template <typename Fn>
void respond(httplib::Response& res, Fn fn) {
  Status status = fn();
  if (!status.isOk()) {
    sendError(res, status);
  }
}

// The handler of an operator route: authenticates the operator token and checks that its role
// is at least `min_role`, then runs `fn(ctx, req, res, principal) -> Status`. Any error, the
// refusal included, is answered as JSON. `ctx` must outlive the server the handler is given to.
template <typename Fn>
auto operatorRoute(ApiContext& ctx, Role min_role, Fn fn) {
  return [&ctx, min_role, fn](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, min_role);
      if (!principal.isOk()) {
        return principal.status();
      }
      return fn(ctx, req, res, *principal);
    });
  };
}

}  // namespace corral::master
