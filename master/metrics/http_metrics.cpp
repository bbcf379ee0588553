#include "master/metrics/http_metrics.h"

#include <string>

namespace corral::master {

HttpMetrics::HttpMetrics(metrics::Registry& registry)
    : requests_(registry.counter("corral_http_requests_total",
                                 "HTTP requests answered, by method, route pattern and status "
                                 "code. Requests no route matched have route=\"unmatched\".",
                                 {"method", "route", "code"})),
      duration_(registry.histogram(
          "corral_http_request_duration_seconds",
          "Time from a request's headers read to its answer written, by method and route "
          "pattern. Agents' long-polls last up to their wait by design.",
          {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
          {"method", "route"})),
      streams_open_(registry
                        .gauge("corral_event_streams_open",
                               "Event streams (GET /api/v1/stream) open now; they are capped by "
                               "http.max_streams.")
                        .labels({})) {}

void HttpMetrics::requestServed(const HttpExchange& exchange) {
  std::string method(exchange.method);
  std::string route(exchange.route);
  requests_.labels({method, route, std::to_string(exchange.status)}).inc();
  if (exchange.duration) {
    duration_.labels({std::move(method), std::move(route)})
        .observe(std::chrono::duration<double>(*exchange.duration).count());
  }
}

void HttpMetrics::eventStreamsChanged(int delta) { streams_open_.inc(delta); }

}  // namespace corral::master
