// The request gate: cpp-httplib's pre-routing handler, which runs after a request's headers are
// read and before its body is.
//
// cpp-httplib has one body limit for the whole server. The server's limit is therefore the larger
// of http.max_body_bytes and snapshots.max_compressed_bytes, and the gate holds each route to its
// own limit by the declared Content-Length.
//
// The packaged cpp-httplib (built with zlib) also inflates a gzip or deflate body by itself, with
// no bound on the inflated size: 100 KiB of gzip would become 100 MiB in memory before any
// handler runs. The gate takes Content-Encoding away before the body is read, so the snapshot
// route receives the bytes as sent and inflates them within snapshots.max_bytes; every other
// route refuses an encoded body.
//
// A refusal cannot be answered from here: the master closes each connection after its answer,
// and closing a socket that still holds unread body bytes resets it, so the client would lose the
// answer. The gate instead sends a refused request to an internal route that reads the body into
// nothing and then answers.

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "master/api/request_observation.h"
#include "master/api/routes.h"

namespace corral::master {
namespace {

constexpr const char* kRefusedPath = "/__corral/refused";
constexpr const char* kRefusalCodeHeader = "Corral-Refusal-Code";
constexpr const char* kRefusalMessageHeader = "Corral-Refusal-Message";

// cpp-httplib passes the pre-routing handler the server's own Request object, which is not const:
// the signature only says that handlers normally leave it alone. The gate's changes must be made
// before the body is read, and this is the one place that runs then.
httplib::Request& beforeBody(const httplib::Request& req) {
  return const_cast<httplib::Request&>(req);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

bool readsBody(const httplib::Request& req) {
  return req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
         req.method == "DELETE";
}

std::string normalizedEncoding(std::string value) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  value.erase(value.begin(), std::find_if_not(value.begin(), value.end(), space));
  value.erase(std::find_if_not(value.rbegin(), value.rend(), space).base(), value.end());
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value;
}

Status checkLength(uint64_t length, size_t limit, const char* key) {
  if (length <= limit) {
    return Status::ok();
  }
  return {ErrorCode::kPayloadTooLarge, "the request body of " + std::to_string(length) +
                                           " bytes is over the limit of " + std::to_string(limit) +
                                           " bytes (" + key + ")"};
}

httplib::Server::HandlerResponse refuse(httplib::Request& req, const Status& status) {
  req.path = kRefusedPath;
  req.headers.emplace(kRefusalCodeHeader, errorCodeName(status.code()));
  req.headers.emplace(kRefusalMessageHeader, status.message());
  return httplib::Server::HandlerResponse::Unhandled;
}

httplib::Server::HandlerResponse gate(ApiContext& ctx, const httplib::Request& request) {
  httplib::Request& req = beforeBody(request);
  // Only the gate may set these; a client's copies would be taken for the gate's.
  req.headers.erase(kBodyEncodingHeader);
  req.headers.erase(kRefusalCodeHeader);
  req.headers.erase(kRefusalMessageHeader);
  if (ctx.deps.http_observer != nullptr) {
    stampArrival(req, ctx.deps.clock);  // the request's duration starts here
  }
  if (!readsBody(req)) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  bool snapshot = req.method == "POST" && req.path == kSnapshotPath;
  std::string encoding = normalizedEncoding(req.get_header_value("Content-Encoding"));
  req.headers.erase("Content-Encoding");

  if (snapshot) {
    // An upload without a valid agent credential is refused before its megabytes are read.
    auto principal = authorizeAgent(ctx, req);
    if (!principal.isOk()) {
      return refuse(req, principal.status());
    }
  }
  if (req.has_header("Content-Length")) {
    auto length = req.get_header_value<uint64_t>("Content-Length");
    Status limit = snapshot
                       ? checkLength(length, ctx.options.snapshot_max_compressed_bytes,
                                     "snapshots.max_compressed_bytes")
                       : checkLength(length, ctx.options.max_body_bytes, "http.max_body_bytes");
    if (!limit.isOk()) {
      return refuse(req, limit);
    }
  }
  if (encoding.empty() || encoding == "identity") {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (snapshot && (encoding == "gzip" || encoding == "x-gzip")) {
    req.headers.emplace(kBodyEncodingHeader, "gzip");
    return httplib::Server::HandlerResponse::Unhandled;
  }
  return refuse(req, Status(ErrorCode::kUnsupportedMediaType,
                            "Content-Encoding '" + encoding + "' is not accepted here: " +
                                (snapshot ? "send gzip or an unencoded body"
                                          : "only the snapshot upload may be compressed")));
}

ErrorCode refusalCode(const std::string& name) {
  static constexpr std::array kCodes = {ErrorCode::kUnauthenticated, ErrorCode::kPayloadTooLarge,
                                        ErrorCode::kUnsupportedMediaType};
  for (ErrorCode code : kCodes) {
    if (name == errorCodeName(code)) {
      return code;
    }
  }
  return ErrorCode::kBadRequest;
}

void answerRefused(const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& read) {
  (void)read([](const char*, size_t) { return true; });
  if (!req.has_header(kRefusalCodeHeader)) {
    sendError(res, notFound("no route for " + req.method + " " + req.path));
    return;
  }
  sendError(res, Status(refusalCode(req.get_header_value(kRefusalCodeHeader)),
                        req.get_header_value(kRefusalMessageHeader)));
}

}  // namespace

void installRequestGate(httplib::Server& server, ApiContext& ctx) {
  server.set_pre_routing_handler(
      [&ctx](const httplib::Request& req, httplib::Response&) { return gate(ctx, req); });
  server.Post(kRefusedPath, answerRefused);
  server.Put(kRefusedPath, answerRefused);
  server.Patch(kRefusedPath, answerRefused);
  server.Delete(kRefusedPath, answerRefused);
}

}  // namespace corral::master
