#pragma once

// The values of one metric family at one scrape, as plain data: what the registry's own metrics
// and the collectors hand to the text format. Not thread-safe; built and read by one thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace corral::metrics {

// Label values in the order of their family's label names.
using LabelValues = std::vector<std::string>;

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge" or "histogram", as written on a TYPE line.
const char* metricTypeName(MetricType type);

// One series of a counter or a gauge.
struct Sample {
  LabelValues labels;
  double value = 0;
};

// One series of a histogram. The counts are per bucket, not cumulative: bucket i counts the
// observations above bound i-1 and at most bound i; the last one counts those above every bound.
struct HistogramSeries {
  LabelValues labels;
  std::vector<uint64_t> bucket_counts;  // one more than the family's bounds
  double sum = 0;
};

struct FamilyData {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::vector<std::string> label_names;
  std::vector<double> bounds;           // histograms: the upper bounds, strictly increasing
  std::vector<Sample> samples;          // counters and gauges
  std::vector<HistogramSeries> series;  // histograms

  // Adds a counter or gauge sample.
  void add(LabelValues labels, double value) { samples.push_back({std::move(labels), value}); }
};

// A gauge family with no samples yet.
inline FamilyData gaugeFamily(std::string name, std::string help,
                              std::vector<std::string> label_names = {}) {
  FamilyData family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = MetricType::kGauge;
  family.label_names = std::move(label_names);
  return family;
}

}  // namespace corral::metrics
