#include "master/metrics/alerts_firing.h"

#include <utility>

namespace corral::master {

void AlertsFiring::setSource(Source source) {
  std::lock_guard lock(mutex_);
  source_ = std::move(source);
}

Result<std::vector<metrics::FamilyData>> AlertsFiring::collect() {
  metrics::FamilyData family = metrics::gaugeFamily(
      "corral_alerts_firing", "Alerts firing now, by rule and severity.", {"rule", "severity"});
  {
    // Held while the source runs, so that setSource() cannot destroy it mid-call. Scrapes are
    // rare; serialising them here costs nothing.
    std::lock_guard lock(mutex_);
    if (source_) {
      auto firing = source_();
      if (!firing.isOk()) {
        return firing.status();
      }
      for (const auto& f : *firing) {
        family.add({f.rule, f.severity}, static_cast<double>(f.count));
      }
    }
  }
  std::vector<metrics::FamilyData> out;
  out.push_back(std::move(family));
  return out;
}

}  // namespace corral::master
