#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

namespace {

// The first non-empty string among `candidates`.
std::string firstOf(std::initializer_list<std::string> candidates) {
  for (const std::string& c : candidates) {
    if (!c.empty()) {
      return c;
    }
  }
  return {};
}

}  // namespace

Result<model::Event> eventFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Event", item);
  }
  model::Event e;
  e.meta = metaFromJson(item, "Event");
  e.type = fields::str(item, {"type"});
  e.reason = fields::str(item, {"reason"});
  e.message = fields::str(item, {"message"});
  // Events recorded through events.k8s.io count repeats in series.count, or not at all.
  e.count = fields::optInteger(fields::at(item, {"count"}))
                .value_or(fields::optInteger(fields::at(item, {"series", "count"})).value_or(1));
  const Json& involved = fields::at(item, {"involvedObject"});
  e.involved.kind = fields::str(involved, {"kind"});
  e.involved.name = fields::str(involved, {"name"});
  e.involved.ns = fields::str(involved, {"namespace"});
  e.involved.uid = fields::str(involved, {"uid"});
  std::string event_time = fields::str(item, {"eventTime"});
  e.first_timestamp =
      firstOf({fields::str(item, {"firstTimestamp"}), event_time, e.meta.created_at});
  e.last_timestamp =
      firstOf({fields::str(item, {"lastTimestamp"}),
               fields::str(item, {"series", "lastObservedTime"}), event_time, e.meta.created_at});
  e.source_component = firstOf(
      {fields::str(item, {"source", "component"}), fields::str(item, {"reportingComponent"})});
  e.source_host = fields::str(item, {"source", "host"});
  return e;
}

}  // namespace corral::agent
