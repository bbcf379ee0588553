#pragma once

// The rule about Kubernetes events: a burst of Warning events in one namespace, or about one
// object, within a window.
//
// A snapshot holds events as they stand, each with a count that grows as it recurs. The rule
// counts occurrences: for an event it saw before, how much its count grew; for an event seen for
// the first time, its whole count when it first happened within the window, else 1 when it last
// happened within it, else nothing. Occurrences are placed at the event's last time and forgotten
// once they leave the window, so a burst resolves on its own when the events stop.

#include <memory>

#include "master/alerts/alert_rule.h"

namespace corral::master {

inline constexpr const char* kRuleWarningEvents = "warning_events";

std::unique_ptr<SnapshotRule> makeWarningEventsRule(const WarningEventsSettings& settings);

}  // namespace corral::master
