#include "master/events/event_types.h"

#include <algorithm>
#include <array>

namespace corral::master::event_types {

Result<EventTypeFilter> parseFilter(std::string_view text, const std::string& name) {
  static constexpr std::array kPublished = {kAgent, kCommand, kAlert, kSnapshot};
  EventTypeFilter filter;
  if (text.empty()) {
    return filter;
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, end - start);
    if (std::find(kPublished.begin(), kPublished.end(), item) == kPublished.end()) {
      return invalidArgument("query parameter '" + name +
                             "': expected a comma-separated list of agent, command, alert, "
                             "snapshot, got '" +
                             std::string(text) + "'");
    }
    if (std::find(filter.begin(), filter.end(), item) == filter.end()) {
      filter.emplace_back(item);
    }
    start = end + 1;
  }
  return filter;
}

}  // namespace corral::master::event_types
