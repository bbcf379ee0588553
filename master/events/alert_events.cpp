#include "master/events/alert_events.h"

#include "master/events/event_json.h"
#include "master/events/event_types.h"

namespace corral::master {

Json alertEventData(const AlertEvent& alert, bool firing) {
  return {{"alert_id", alert.alert_id},
          {"state", firing ? "firing" : "resolved"},
          {"rule", alert.rule},
          {"severity", alert.severity},
          {"subject", {{"kind", alert.subject_kind}, {"id", alert.subject_id}}},
          {"message", alert.message},
          {"labels", alert.labels},
          {"started_at", eventTime(alert.started_at)},
          {"resolved_at", eventTime(alert.resolved_at)}};
}

void BusAlertPublisher::alertFiring(const AlertEvent& alert) {
  bus_.publish(event_types::kAlert, alertEventData(alert, true));
}

void BusAlertPublisher::alertResolved(const AlertEvent& alert) {
  bus_.publish(event_types::kAlert, alertEventData(alert, false));
}

}  // namespace corral::master
