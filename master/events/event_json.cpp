#include "master/events/event_json.h"

#include "common/time_format.h"

namespace corral::master {

Json eventTime(int64_t unix_ms) {
  if (unix_ms == 0) {
    return nullptr;
  }
  return formatRfc3339(fromUnixMillis(unix_ms));
}

}  // namespace corral::master
