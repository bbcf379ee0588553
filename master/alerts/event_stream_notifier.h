#pragma once

// The adapter from alert changes to the live event stream: fired and resolved alerts become
// "alert" events through the events component's AlertEventPublisher. Alerts about an agent name
// the agent as their subject; every other alert names its cluster (the object it is about is in
// the labels). Cheap and non-blocking, as the publisher is. Thread-safe.

#include "master/alerts/alert_notifier.h"

namespace corral::master {

class AlertEventPublisher;
struct AlertEvent;

class EventStreamNotifier final : public AlertNotifier {
 public:
  // `publisher` must outlive the notifier.
  explicit EventStreamNotifier(AlertEventPublisher& publisher) : publisher_(publisher) {}

  void alertChanged(const AlertChange& change) override;

 private:
  AlertEventPublisher& publisher_;
};

// The event of an alert, for the notifier and its tests.
AlertEvent alertEventOf(const AlertRecord& alert);

}  // namespace corral::master
