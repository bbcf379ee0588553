#pragma once

// The names of the event types on the stream, and the parsing of a reader's choice of them.

#include <string>
#include <string_view>

#include "common/status.h"
#include "master/events/event_bus.h"

namespace corral::master::event_types {

inline constexpr std::string_view kAgent = "agent";        // an agent's status changed
inline constexpr std::string_view kCommand = "command";    // a command's state changed
inline constexpr std::string_view kAlert = "alert";        // an alert fired or resolved
inline constexpr std::string_view kSnapshot = "snapshot";  // a cluster's snapshot arrived
// Not published: what a stream sends first when the reader's last id is out of the retention
// window, so that it reloads.
inline constexpr std::string_view kReset = "reset";

// Parses a comma-separated list of published types ("agent,command"). Empty text: all types.
// kInvalidArgument naming `name` for an unknown or empty item.
Result<EventTypeFilter> parseFilter(std::string_view text, const std::string& name);

}  // namespace corral::master::event_types
