#pragma once

// The metrics of one process and how they are scraped: families registered at start (counters,
// gauges and histograms that components update as things happen) and collectors (values read
// from elsewhere at scrape time), rendered together in the Prometheus text format. Thread-safe:
// families may be registered, updated and rendered from any thread.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "master/metrics/collector.h"
#include "master/metrics/family.h"

namespace corral::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Register a family; the reference lives as long as the registry. Families are registered from
  // constants at start, so an invalid name or label name, a name taken twice, or bad histogram
  // bounds abort with a log line. A family without labels gets its single series at once, so it
  // is exposed (as 0) before its first update.
  CounterFamily& counter(std::string name, std::string help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // `bounds`: the buckets' upper bounds, finite and strictly increasing (+Inf is implied).
  HistogramFamily& histogram(std::string name, std::string help, const std::vector<double>& bounds,
                             std::vector<std::string> label_names = {});

  // Calls `collector` on every scrape. Not owned: it must outlive the last render().
  void addCollector(Collector& collector);

  // Every family in the text exposition format, ordered by name. A collector's error fails the
  // scrape. A collected family that is malformed or repeats a name is left out, with an error in
  // the log, so that one mistake does not make the whole scrape unreadable.
  Result<std::string> render() const;

 private:
  template <typename M>
  Family<M>& add(FamilyData shape, typename Family<M>::Factory make);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<FamilyBase>> families_;  // guarded by mutex_
  std::vector<Collector*> collectors_;                 // guarded by mutex_
};

}  // namespace corral::metrics
