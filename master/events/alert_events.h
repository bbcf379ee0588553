#pragma once

// Where the alerts component reports alerts firing and resolving, for the live event stream.
// The alerts component takes an AlertEventPublisher* (null: report nothing, as in unit tests) and
// calls it after the alert's record is committed; main.cpp passes a BusAlertPublisher. Calls
// must be cheap and never block: the bus takes a short lock and never waits for a reader.
// Thread-safe.

#include <cstdint>
#include <string>

#include "master/events/event_bus.h"
#include "master/model/model.h"

namespace corral::master {

struct AlertEvent {
  std::string alert_id;      // the alert record's id: firing and resolved events share it
  std::string rule;          // the rule's name
  std::string severity;      // as the rule sets it (e.g. critical, warning, info); may be empty
  std::string subject_kind;  // what it is about: agent, cluster, pool, command; may be empty
  std::string subject_id;
  std::string message;  // one line for people
  Labels labels;
  int64_t started_at = 0;   // Unix milliseconds when it began firing
  int64_t resolved_at = 0;  // Unix milliseconds when it resolved; 0 while firing
};

class AlertEventPublisher {
 public:
  virtual ~AlertEventPublisher() = default;
  virtual void alertFiring(const AlertEvent& alert) = 0;
  virtual void alertResolved(const AlertEvent& alert) = 0;
};

// Publishes "alert" events: the fields above with "state": "firing" | "resolved" and times in
// RFC 3339 (docs/api.md).
class BusAlertPublisher final : public AlertEventPublisher {
 public:
  // `bus` must outlive the publisher.
  explicit BusAlertPublisher(EventPublisher& bus) : bus_(bus) {}

  void alertFiring(const AlertEvent& alert) override;
  void alertResolved(const AlertEvent& alert) override;

 private:
  EventPublisher& bus_;
};

// The data of an "alert" event.
Json alertEventData(const AlertEvent& alert, bool firing);

}  // namespace corral::master
