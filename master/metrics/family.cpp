#include "master/metrics/family.h"

#include <cstdlib>

#include "spdlog/spdlog.h"

namespace corral::metrics {

void addSeries(FamilyData& out, const LabelValues& labels, const Counter& counter) {
  out.add(labels, counter.value());
}

void addSeries(FamilyData& out, const LabelValues& labels, const Gauge& gauge) {
  out.add(labels, gauge.value());
}

void addSeries(FamilyData& out, const LabelValues& labels, const Histogram& histogram) {
  out.series.push_back({labels, histogram.bucketCounts(), histogram.sum()});
}

void abortOnLabelCount(const std::string& family, size_t got, size_t want) {
  spdlog::critical("metric family '{}' was given {} label values for its {} label names", family,
                   got, want);
  std::abort();
}

}  // namespace corral::metrics
