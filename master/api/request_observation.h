#pragma once

// Turning a served request into an HttpExchange for the HttpObserver: its method and the pattern
// of the route that answered it, bounded so that no client can create new metric series at will,
// and its duration. Internal to the api folder (it includes httplib.h).

#include <httplib.h>

#include <string>
#include <string_view>

#include "common/clock.h"
#include "master/api/http_observer.h"

namespace corral::master {

// The method as it is reported: one of the standard ones, else "other".
std::string_view methodLabel(std::string_view method);

// The pattern of the route that matched `req`, rebuilt from its match: each captured path
// parameter becomes {id}. "unmatched" when no route matched (404, or a request that could not be
// parsed). cpp-httplib 0.11 keeps no name of the route that matched, but its match results
// still point into the path.
std::string routeLabel(const httplib::Request& req);

// Marks the moment the request's headers were read, for its duration. Called from the request
// gate, the one place that runs then; replaces any copy of the header a client sent.
void stampArrival(httplib::Request& req, const Clock& clock);

// Reports the request answered with `res` to `observer`; the duration runs from stampArrival()
// to now and is unknown when the request was never stamped or was answered with a stream.
void reportExchange(HttpObserver& observer, const httplib::Request& req,
                    const httplib::Response& res, const Clock& clock);

}  // namespace corral::master
