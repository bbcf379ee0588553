#pragma once

// Route registration, one function per route file. Internal to the api folder.

#include <httplib.h>

#include "master/api/http_support.h"

namespace corral::master {

void addAgentRoutes(httplib::Server& server, ApiContext& ctx);
void addPoolRoutes(httplib::Server& server, ApiContext& ctx);
void addAgentAdminRoutes(httplib::Server& server, ApiContext& ctx);
void addCommandRoutes(httplib::Server& server, ApiContext& ctx);
void addTokenAndAuditRoutes(httplib::Server& server, ApiContext& ctx);
void addHealthRoutes(httplib::Server& server, ApiContext& ctx);

// Answers a page of commands matching `filter` (plus the request's "state" and "action").
Status listCommands(ApiContext& ctx, const httplib::Request& req, CommandFilter filter,
                    httplib::Response& res);

// Reads an optional "expires_at" (RFC 3339) or "expires_in_s" from a token request body.
Status readTokenExpiry(const Json& body, Clock& clock, int64_t& expires_at);

}  // namespace corral::master
