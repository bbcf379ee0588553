#pragma once

// The Server-Sent Events wire format of the stream (text/event-stream, one event per block of
// "field: value" lines ended by a blank line). Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "master/events/event_subscription.h"

namespace corral::master::sse {

// "id: <id>\nevent: <type>\ndata: <data>\n\n". `data` must be one line (JSON text is).
void appendEvent(std::string& out, int64_t id, std::string_view type, std::string_view data);
// The reset event: the reader's events after `last_event_id` are gone and it must reload.
void appendReset(std::string& out, int64_t id, int64_t last_event_id);
// A batch as the stream sends it: the reset first when there is one, then the events.
std::string formatBatch(const SubscriptionBatch& batch);
// ": <text>\n\n", a comment that clients ignore; it keeps proxies from closing an idle stream.
std::string comment(std::string_view text);
// An id without an event: a client takes it as its last event id and dispatches nothing, so a
// reconnect resumes past events it did not ask for.
std::string idOnly(int64_t id);
// "retry: <ms>\n\n": how long a browser waits before it reconnects.
std::string retry(int64_t milliseconds);

}  // namespace corral::master::sse
