#pragma once

// A Kubernetes Event (core v1): what happened to which object, how often and when. Plain values,
// safe to copy between threads.

#include <cstdint>
#include <string>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

struct InvolvedObject {
  std::string kind;
  std::string name;
  std::string ns;
  std::string uid;
};

struct Event {
  CommonMeta meta;
  std::string type;  // Normal | Warning
  std::string reason;
  std::string message;
  int64_t count = 0;  // occurrences; 1 for an event that does not count them
  InvolvedObject involved;
  // RFC 3339. Events written through events.k8s.io leave firstTimestamp and lastTimestamp empty;
  // then eventTime (or, last, the object's creation time) stands in.
  std::string first_timestamp;
  std::string last_timestamp;
  std::string source_component;  // source.component, else reportingComponent
  std::string source_host;
};

void to_json(Json& j, const InvolvedObject& v);
void to_json(Json& j, const Event& v);

}  // namespace corral::agent::model
