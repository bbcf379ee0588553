#include "master/events/sse_format.h"

#include "common/json.h"
#include "master/events/event_types.h"

namespace corral::master::sse {

void appendEvent(std::string& out, int64_t id, std::string_view type, std::string_view data) {
  out += "id: ";
  out += std::to_string(id);
  out += "\nevent: ";
  out += type;
  out += "\ndata: ";
  out += data;
  out += "\n\n";
}

void appendReset(std::string& out, int64_t id, int64_t last_event_id) {
  Json data = {{"reason", "events_missed"}, {"last_event_id", last_event_id}};
  appendEvent(out, id, event_types::kReset, data.dump());
}

std::string formatBatch(const SubscriptionBatch& batch) {
  std::string out;
  if (batch.reset_id) {
    appendReset(out, *batch.reset_id, batch.missed_after);
  }
  for (const auto& event : batch.events) {
    appendEvent(out, event->id, event->type, event->data);
  }
  return out;
}

std::string comment(std::string_view text) { return ": " + std::string(text) + "\n\n"; }

std::string idOnly(int64_t id) { return "id: " + std::to_string(id) + "\n\n"; }

std::string retry(int64_t milliseconds) {
  return "retry: " + std::to_string(milliseconds) + "\n\n";
}

}  // namespace corral::master::sse
