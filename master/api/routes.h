#pragma once

// Route registration, one function per route file. Internal to the api folder.

#include <httplib.h>

#include "master/api/http_support.h"

namespace corral::master {

struct TokenSpec;

// The snapshot upload: it has a body limit of its own and may send its body gzip-compressed.
inline constexpr const char* kSnapshotPath = "/api/v1/agent/snapshot";
// Set by the request gate to the Content-Encoding of a snapshot body it kept cpp-httplib from
// inflating; absent when the body came unencoded.
inline constexpr const char* kBodyEncodingHeader = "Corral-Body-Encoding";

// Checks every request before its body is read: body limits, encodings, and the credential of a
// snapshot upload (request_gate.cpp).
void installRequestGate(httplib::Server& server, ApiContext& ctx);

void addAgentRoutes(httplib::Server& server, ApiContext& ctx);
void addPoolRoutes(httplib::Server& server, ApiContext& ctx);
void addAgentAdminRoutes(httplib::Server& server, ApiContext& ctx);
void addCommandRoutes(httplib::Server& server, ApiContext& ctx);
void addTokenAndAuditRoutes(httplib::Server& server, ApiContext& ctx);
void addHealthRoutes(httplib::Server& server, ApiContext& ctx);
void addSnapshotRoutes(httplib::Server& server, ApiContext& ctx);
// After addSnapshotRoutes: the cluster record, history, object lists and details.
void addClusterQueryRoutes(httplib::Server& server, ApiContext& ctx);
void addOverviewRoutes(httplib::Server& server, ApiContext& ctx);
void addMetricsRoutes(httplib::Server& server, ApiContext& ctx);
// GET /api/v1/stream, when the context has an event bus (stream_routes.cpp).
void addStreamRoutes(httplib::Server& server, ApiContext& ctx);
// The alert routes, when the context has an alert service (alert_routes.cpp).
void addAlertRoutes(httplib::Server& server, ApiContext& ctx);
// GET / and /ui/<file>, when the context has the dashboard's files (dashboard_routes.cpp).
void addDashboardRoutes(httplib::Server& server, ApiContext& ctx);

// Answers a page of commands matching `filter` (plus the request's "state" and "action").
Status listCommands(ApiContext& ctx, const httplib::Request& req, CommandFilter filter,
                    httplib::Response& res);

// Completes `spec` with the optional "expires_at" (RFC 3339) or "expires_in_s" of the request
// `body`, creates the token of `kind` for `principal`, and answers 201 with its view and, this
// once, its secret as "token".
Status issueToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal& principal, TokenKind kind, const Json& body, TokenSpec& spec);

}  // namespace corral::master
