#include "master/metrics/registry.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "master/metrics/text_format.h"
#include "spdlog/spdlog.h"

namespace corral::metrics {
namespace {

FamilyData shapeOf(std::string name, std::string help, MetricType type,
                   std::vector<std::string> label_names, std::vector<double> bounds = {}) {
  FamilyData shape;
  shape.name = std::move(name);
  shape.help = std::move(help);
  shape.type = type;
  shape.label_names = std::move(label_names);
  shape.bounds = std::move(bounds);
  return shape;
}

}  // namespace

template <typename M>
Family<M>& Registry::add(FamilyData shape, typename Family<M>::Factory make) {
  Status valid = checkFamily(shape);
  if (!valid.isOk() || (shape.type == MetricType::kHistogram && shape.bounds.empty())) {
    spdlog::critical("cannot register {}",
                     valid.isOk() ? shape.name + ": no bucket bounds" : valid.message());
    std::abort();
  }
  bool unlabelled = shape.label_names.empty();
  auto family = std::make_unique<Family<M>>(std::move(shape), std::move(make));
  Family<M>& out = *family;
  {
    std::lock_guard lock(mutex_);
    for (const auto& f : families_) {
      if (f->name() == out.name()) {
        spdlog::critical("metric family '{}' is registered twice", out.name());
        std::abort();
      }
    }
    families_.push_back(std::move(family));
  }
  if (unlabelled) {
    out.labels({});
  }
  return out;
}

CounterFamily& Registry::counter(std::string name, std::string help,
                                 std::vector<std::string> label_names) {
  return add<Counter>(
      shapeOf(std::move(name), std::move(help), MetricType::kCounter, std::move(label_names)),
      [] { return std::make_unique<Counter>(); });
}

GaugeFamily& Registry::gauge(std::string name, std::string help,
                             std::vector<std::string> label_names) {
  return add<Gauge>(
      shapeOf(std::move(name), std::move(help), MetricType::kGauge, std::move(label_names)),
      [] { return std::make_unique<Gauge>(); });
}

HistogramFamily& Registry::histogram(std::string name, std::string help,
                                     const std::vector<double>& bounds,
                                     std::vector<std::string> label_names) {
  return add<Histogram>(shapeOf(std::move(name), std::move(help), MetricType::kHistogram,
                                std::move(label_names), bounds),
                        [bounds] { return std::make_unique<Histogram>(bounds); });
}

void Registry::addCollector(Collector& collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(&collector);
}

Result<std::string> Registry::render() const {
  std::vector<FamilyData> families;
  std::vector<Collector*> collectors;
  {
    std::lock_guard lock(mutex_);
    families.reserve(families_.size());
    for (const auto& f : families_) {
      families.push_back(f->collect());
    }
    collectors = collectors_;
  }
  // Collectors may read the store; they run without the registry's lock.
  for (Collector* collector : collectors) {
    auto collected = collector->collect();
    if (!collected.isOk()) {
      return collected.status();
    }
    for (auto& family : *collected) {
      families.push_back(std::move(family));
    }
  }
  std::stable_sort(families.begin(), families.end(),
                   [](const FamilyData& a, const FamilyData& b) { return a.name < b.name; });
  std::string out;
  std::set<std::string> written;
  for (const auto& family : families) {
    Status valid = checkFamily(family);
    if (!valid.isOk()) {
      spdlog::error("metrics: {}; left out of the scrape", valid.message());
      continue;
    }
    if (!written.insert(family.name).second) {
      spdlog::error("metrics: family '{}' was collected twice; the second is left out",
                    family.name);
      continue;
    }
    appendFamily(out, family);
  }
  return out;
}

}  // namespace corral::metrics
