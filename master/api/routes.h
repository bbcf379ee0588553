#pragma once

// Route registration, one function per route file. Internal to the api folder.

#include <httplib.h>

#include "master/api/http_support.h"

namespace corral::master {

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

// Answers a page of commands matching `filter` (plus the request's "state" and "action").
Status listCommands(ApiContext& ctx, const httplib::Request& req, CommandFilter filter,
                    httplib::Response& res);

// Reads an optional "expires_at" (RFC 3339) or "expires_in_s" from a token request body.
Status readTokenExpiry(const Json& body, Clock& clock, int64_t& expires_at);

}  // namespace corral::master
