#include "master/alerts/event_stream_notifier.h"

#include "master/alerts/liveness_rules.h"
#include "master/events/alert_events.h"

namespace corral::master {

AlertEvent alertEventOf(const AlertRecord& alert) {
  AlertEvent e;
  e.alert_id = alert.id;
  e.rule = alert.rule;
  e.severity = alert.severity;
  if (alert.rule == kRuleAgentOffline) {
    e.subject_kind = "agent";
    auto agent = alert.labels.find("agent_id");
    e.subject_id = agent == alert.labels.end() ? std::string() : agent->second;
  } else if (!alert.cluster_id.empty()) {
    e.subject_kind = "cluster";
    e.subject_id = alert.cluster_id;
  }
  e.message = alert.summary;
  e.labels = alert.labels;
  e.started_at = alert.first_seen;
  e.resolved_at = alert.resolved_at;
  return e;
}

void EventStreamNotifier::alertChanged(const AlertChange& change) {
  if (change.kind == AlertChange::Kind::kFired) {
    publisher_.alertFiring(alertEventOf(change.alert));
  } else if (change.kind == AlertChange::Kind::kResolved) {
    publisher_.alertResolved(alertEventOf(change.alert));
  }
}

}  // namespace corral::master
