#pragma once

// Values that live elsewhere (in the store, in a service) and are read when Prometheus scrapes,
// rather than kept up to date in a Gauge. The registry calls every collector on each scrape.

#include <vector>

#include "common/status.h"
#include "master/metrics/family_data.h"

namespace corral::metrics {

class Collector {
 public:
  virtual ~Collector() = default;

  // This scrape's families. Called on the scraping thread, possibly by two scrapes at once; may
  // block on reads (a store query) but not for long, since the scrape waits for it. An error
  // fails the whole scrape, which Prometheus shows as the target being down.
  virtual Result<std::vector<FamilyData>> collect() = 0;
};

}  // namespace corral::metrics
