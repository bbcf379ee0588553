#pragma once

// ETags and If-None-Match for the read routes answered from cluster snapshots. A tag is derived
// from what the answer is made of (the cluster, its snapshot version, the route and its query),
// so a request whose answer has not changed is answered 304 without building the answer again.
// Internal to the api folder.

#include <httplib.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "common/json.h"

namespace corral::master {

// A strong ETag (a quoted 16-digit hex) over `parts`; the same parts give the same tag in every
// run of the master.
std::string etagOf(std::initializer_list<std::string_view> parts);

// The request's path and query parameters in one canonical string (parameters sorted by name),
// for etagOf().
std::string canonicalRequest(const httplib::Request& req);

// Sets the ETag header. When the request's If-None-Match names `etag` (or is "*"), answers 304
// with no body and returns true; the caller then stops.
bool answeredNotModified(const httplib::Request& req, httplib::Response& res,
                         const std::string& etag);

// Answers 200 with `body` as JSON, tagged with an ETag of the body itself, or 304 when the
// request already has it. For answers that are cheap to build but change over time.
void sendTaggedJson(const httplib::Request& req, httplib::Response& res, std::string body);

}  // namespace corral::master
