#pragma once

// A metric with labels: one child (a Counter, Gauge or Histogram) per combination of label
// values, made on first use. Thread-safe. Finding a child takes the family's mutex, so a hot path
// looks its child up once and keeps the reference; children live as long as the family.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "master/metrics/counter.h"
#include "master/metrics/family_data.h"
#include "master/metrics/gauge.h"
#include "master/metrics/histogram.h"

namespace corral::metrics {

class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return shape_.name; }
  // Every child's current value.
  virtual FamilyData collect() const = 0;

 protected:
  explicit FamilyBase(FamilyData shape) : shape_(std::move(shape)) {}
  // Name, help, type, label names and bounds; never any values.
  const FamilyData shape_;
};

// The current value of a child, added to `out` under `labels`.
void addSeries(FamilyData& out, const LabelValues& labels, const Counter& counter);
void addSeries(FamilyData& out, const LabelValues& labels, const Gauge& gauge);
void addSeries(FamilyData& out, const LabelValues& labels, const Histogram& histogram);

// A broken belief of the caller: label values that do not match the family's label names.
[[noreturn]] void abortOnLabelCount(const std::string& family, size_t got, size_t want);

template <typename M>
class Family final : public FamilyBase {
 public:
  using Factory = std::function<std::unique_ptr<M>()>;

  Family(FamilyData shape, Factory make) : FamilyBase(std::move(shape)), make_(std::move(make)) {}

  // The child for `values`, in the order of the family's label names. Aborts when their number is
  // not the number of label names: the caller was written against another family.
  M& labels(LabelValues values) {
    if (values.size() != shape_.label_names.size()) {
      abortOnLabelCount(shape_.name, values.size(), shape_.label_names.size());
    }
    std::lock_guard lock(mutex_);
    auto it = children_.find(values);
    if (it == children_.end()) {
      it = children_.emplace(std::move(values), make_()).first;
    }
    return *it->second;
  }

  FamilyData collect() const override {
    FamilyData out = shape_;
    std::lock_guard lock(mutex_);
    for (const auto& [labels, child] : children_) {
      addSeries(out, labels, *child);
    }
    return out;
  }

 private:
  Factory make_;
  mutable std::mutex mutex_;
  std::map<LabelValues, std::unique_ptr<M>> children_;  // guarded by mutex_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace corral::metrics
