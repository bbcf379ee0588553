#pragma once

// Running one rule in a test: its findings on an observation, by identity.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "master/alerts/alert_rule.h"
#include "tests/support/fake_clock.h"

namespace corral::testing {

inline int64_t nowMs(const FakeClock& clock) { return toUnixMillis(clock.wallNow()); }

// The rule's findings on `cluster` at the clock's time, by identity; fails the test when the rule
// declines to judge.
inline std::map<std::string, master::Finding> findings(master::SnapshotRule& rule,
                                                       const master::ClusterObservation& cluster,
                                                       const FakeClock& clock) {
  std::vector<master::Finding> out;
  REQUIRE(rule.evaluate(cluster, nowMs(clock), out));
  std::map<std::string, master::Finding> by_identity;
  for (auto& f : out) {
    by_identity.emplace(f.identity, std::move(f));
  }
  return by_identity;
}

inline std::map<std::string, master::Finding> findings(master::LivenessRule& rule,
                                                       const master::FleetObservation& fleet,
                                                       const FakeClock& clock) {
  std::vector<master::Finding> out;
  rule.evaluate(fleet, nowMs(clock), out);
  std::map<std::string, master::Finding> by_identity;
  for (auto& f : out) {
    by_identity.emplace(f.identity, std::move(f));
  }
  return by_identity;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace corral::testing
