#pragma once

// corral_alerts_firing{rule, severity}: the alerts firing now, as the alerts component counts
// them. This is where that component plugs in: main.cpp gives it (or a lambda over it) to
// setSource(). Until a source is set the family is exposed with no series. Thread-safe.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "master/metrics/collector.h"

namespace corral::master {

struct FiringAlerts {
  std::string rule;      // the alert rule's name
  std::string severity;  // as the rule sets it; may be empty
  int64_t count = 0;     // alerts of this rule and severity firing now
};

class AlertsFiring final : public metrics::Collector {
 public:
  // Called on every scrape, on the scraping thread; must be thread-safe and quick. An error fails
  // the scrape.
  using Source = std::function<Result<std::vector<FiringAlerts>>()>;

  // Replaces the source; an empty function removes it. Returns only once no scrape is calling the
  // old one, so whatever it refers to may then be destroyed.
  void setSource(Source source);

  Result<std::vector<metrics::FamilyData>> collect() override;

 private:
  std::mutex mutex_;
  Source source_;  // guarded by mutex_, which is held while it runs
};

}  // namespace corral::master
