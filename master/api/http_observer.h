#pragma once

// What the API server reports about every request it answers, for metrics. Called once per
// request on its connection's thread after the answer is written; an implementation must be cheap
// and must not block. Implementations are called from many threads at once.

#include <chrono>
#include <optional>
#include <string_view>

namespace corral::master {

struct HttpExchange {
  // GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS; "other" for anything else.
  std::string_view method;
  // The pattern of the route that answered, with each path parameter written as {id}
  // (/api/v1/agents/{id}/commands), never the raw path; "unmatched" when no route matched.
  std::string_view route;
  int status = 0;
  // From the end of the request's headers to the answer written; unknown for a request that
  // could not be read as one, and for an event stream (its lifetime is no response time).
  std::optional<std::chrono::nanoseconds> duration;
};

class HttpObserver {
 public:
  virtual ~HttpObserver() = default;
  virtual void requestServed(const HttpExchange& exchange) = 0;
  // An event stream opened (+1) or ended (-1). Streams stay open for hours, so they are counted
  // while open rather than timed when they end.
  virtual void eventStreamsChanged(int delta) = 0;
};

}  // namespace corral::master
