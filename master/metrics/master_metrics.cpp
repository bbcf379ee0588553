#include "master/metrics/master_metrics.h"

namespace corral::master {

MasterMetrics::MasterMetrics(Store& store, const WaitSet& waits, const Clock& clock,
                             const std::string& version)
    : dispatch_(registry_), snapshots_(registry_), http_(registry_), fleet_(store, waits, clock) {
  registry_.gauge("corral_build_info", "Always 1; the version of the running master.", {"version"})
      .labels({version})
      .set(1);
  registry_.addCollector(fleet_);
  registry_.addCollector(alerts_);
}

}  // namespace corral::master
