#pragma once

// Finding one sample in collected families, for the tests of the master's metrics.

#include <catch2/catch.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "master/metrics/family_data.h"

namespace corral::testing {

// The family named `name`; fails the test when there is none.
inline const metrics::FamilyData& family(const std::vector<metrics::FamilyData>& families,
                                         const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) {
      return f;
    }
  }
  FAIL("no family " << name);
  throw std::logic_error("unreachable");
}

// The value of the sample of `name` with exactly these label values, or nullopt.
inline std::optional<double> sampleValue(const std::vector<metrics::FamilyData>& families,
                                         const std::string& name,
                                         const metrics::LabelValues& labels) {
  for (const auto& s : family(families, name).samples) {
    if (s.labels == labels) {
      return s.value;
    }
  }
  return std::nullopt;
}

}  // namespace corral::testing
