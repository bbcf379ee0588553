#pragma once

// HTTP requests as metrics: a counter by method, route pattern and status code, and a duration
// histogram by method and route. Each request looks its series up under the families' mutexes
// (two short map lookups); thread-safe.

#include "master/api/http_observer.h"
#include "master/metrics/registry.h"

namespace corral::master {

class HttpMetrics final : public HttpObserver {
 public:
  // Registers its families in `registry`, which must outlive this object.
  explicit HttpMetrics(metrics::Registry& registry);

  void requestServed(const HttpExchange& exchange) override;
  void eventStreamsChanged(int delta) override;

 private:
  metrics::CounterFamily& requests_;
  metrics::HistogramFamily& duration_;
  metrics::Gauge& streams_open_;
};

}  // namespace corral::master
