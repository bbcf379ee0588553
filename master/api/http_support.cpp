#include "master/api/http_support.h"

#include "master/auth/token_service.h"
#include "proto-json/messages.h"

namespace corral::master {

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

void sendJson(httplib::Response& res, int http_status, const Json& body) {
  res.status = http_status;
  res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, const Status& status) {
  proto::ErrorBody body{errorCodeName(status.code()), status.message()};
  sendJson(res, httpStatusFor(status.code()), Json(body));
  if (status.code() == ErrorCode::kUnauthenticated) {
    res.set_header("WWW-Authenticate", "Bearer");
  }
}

std::string bearerToken(const httplib::Request& req) {
  const std::string& header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) {
    return {};
  }
  return header.substr(kScheme.size());
}

Actor actorOf(const Principal& principal, const httplib::Request& req) {
  return Actor{principal.token_id, req.remote_addr};
}

Result<Principal> authorizeOperator(ApiContext& ctx, const httplib::Request& req, Role min_role) {
  auto principal = ctx.deps.tokens.authenticate(bearerToken(req), TokenKind::kOperator);
  if (!principal.isOk()) {
    return principal;
  }
  if (static_cast<int>(principal->role) < static_cast<int>(min_role)) {
    return permissionDenied("this call needs the " + std::string(roleName(min_role)) +
                            " role; the token has " + roleName(principal->role));
  }
  return principal;
}

Result<Principal> authorizeAgent(ApiContext& ctx, const httplib::Request& req) {
  return ctx.deps.tokens.authenticate(bearerToken(req), TokenKind::kAgent);
}

Status checkJsonContentType(const httplib::Request& req) {
  const std::string& type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return {ErrorCode::kUnsupportedMediaType,
            "expected Content-Type: application/json, got '" + type + "'"};
  }
  return Status::ok();
}

Result<Json> jsonBody(const ApiContext& ctx, const httplib::Request& req, bool allow_empty) {
  // The request gate refuses a declared Content-Length over the limit before the body is read;
  // a chunked body has none, so it is bounded only by the server's larger limit until here.
  if (req.body.size() > ctx.options.max_body_bytes) {
    return Status(ErrorCode::kPayloadTooLarge, "the request body is over the limit of " +
                                                   std::to_string(ctx.options.max_body_bytes) +
                                                   " bytes (http.max_body_bytes)");
  }
  if (req.body.empty() && allow_empty) {
    return Json::object();
  }
  CORRAL_RETURN_IF_ERROR(checkJsonContentType(req));
  auto parsed = parseJson(req.body);
  if (!parsed.isOk()) {
    return parsed;
  }
  if (!parsed->is_object()) {
    return invalidArgument("field '(body)': expected a JSON object");
  }
  return parsed;
}

Result<int> queryInt(const httplib::Request& req, const char* name, int fallback, int min,
                     int max) {
  if (!req.has_param(name)) {
    return fallback;
  }
  std::string text = req.get_param_value(name);
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < min || value > max) {
    return invalidArgument("query parameter '" + std::string(name) +
                           "': expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + text + "'");
  }
  return static_cast<int>(value);
}

std::string queryString(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

Result<Page> queryPage(const httplib::Request& req) {
  auto limit = queryInt(req, "limit", 100, 1, 500);
  if (!limit.isOk()) {
    return limit.status();
  }
  Page page;
  page.limit = *limit;
  page.after = queryString(req, "continue");
  if (page.after.size() > 256) {
    return invalidArgument("query parameter 'continue': not a token this master issued");
  }
  return page;
}

Result<Page> querySeqPage(const httplib::Request& req) {
  auto page = queryPage(req);
  if (page.isOk() && !page->after.empty() &&
      page->after.find_first_not_of("0123456789") != std::string::npos) {
    return invalidArgument("query parameter 'continue': not a token this master issued");
  }
  return page;
}

Result<Labels> parseLabelSelector(const std::string& text, const char* name) {
  Labels labels;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    std::string part = text.substr(start, end == std::string::npos ? end : end - start);
    size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0) {
      return invalidArgument("query parameter '" + std::string(name) +
                             "': expected key=value[,key=value], got '" + text + "'");
    }
    labels[part.substr(0, eq)] = part.substr(eq + 1);
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return labels;
}

}  // namespace corral::master
