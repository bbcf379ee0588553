#pragma once

// Where alert changes go once they are stored: the webhook, the live event stream, anything that
// wants to hear of them. AlertService calls every notifier after each commit, on the evaluating
// thread, with the changes in the order they were stored. An implementation must not block that
// thread (queue the work) and must not throw; it picks the kinds of change it cares about.

#include "master/alerts/alert_engine.h"

namespace corral::master {

class AlertNotifier {
 public:
  virtual ~AlertNotifier() = default;
  virtual void alertChanged(const AlertChange& change) = 0;
};

}  // namespace corral::master
