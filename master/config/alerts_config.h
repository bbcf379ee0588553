#pragma once

// The `alerts:` section of the master's YAML file: which rules run, how severe each one's alerts
// are, their thresholds, and where state changes are posted. docs/configuration.md lists every key
// with its default; keep the two in step. Plain values, read once at start.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace corral {
class ConfigSection;
}  // namespace corral

namespace corral::master {

// What every rule has. A condition must hold for `for_duration` before its alert fires (0: at
// the first evaluation that sees it), like a Prometheus rule's `for`.
struct AlertRuleSettings {
  bool enabled = true;
  std::string severity = "warning";  // critical | warning | info
  std::chrono::milliseconds for_duration{0};
};

// A pod's containers keep restarting: the pod's restart count rose by at least `increase` since
// the previous snapshot, or within `window`.
struct PodRestartsSettings : AlertRuleSettings {
  int64_t increase = 3;
  std::chrono::milliseconds window = std::chrono::minutes(15);
};

// A container was killed for running out of memory within `window`.
struct PodOomSettings : AlertRuleSettings {
  std::chrono::milliseconds window = std::chrono::minutes(15);
};

// At least `namespace_threshold` Warning events in one namespace, or `object_threshold` about one
// object, within `window`.
struct WarningEventsSettings : AlertRuleSettings {
  int64_t namespace_threshold = 20;
  int64_t object_threshold = 10;
  std::chrono::milliseconds window = std::chrono::minutes(10);
};

// No snapshot from a cluster for longer than `after`.
struct SnapshotStaleSettings : AlertRuleSettings {
  std::chrono::milliseconds after = std::chrono::minutes(5);
};

struct WebhookSettings {
  std::string url;  // empty: no webhook
  std::string bearer_token;
  std::map<std::string, std::string> headers;  // added to every POST
  std::string ca_file;                         // PEM bundle for an https URL; empty: the system's
  std::chrono::milliseconds timeout =
      std::chrono::seconds(5);  // one delivery attempt, connect included
  int max_attempts = 8;         // then the change is dropped and logged
  std::chrono::milliseconds retry_base =
      std::chrono::seconds(1);  // backoff before the 2nd attempt, doubling ...
  std::chrono::milliseconds retry_cap = std::chrono::minutes(5);  // ... up to this
  int queue_size = 1000;  // changes waiting; beyond it the oldest is dropped
};

struct AlertsConfig {
  bool enabled = true;  // false: no rule is evaluated
  std::chrono::milliseconds retention =
      std::chrono::hours(720);  // resolved alerts are deleted this long after resolving
  AlertRuleSettings pod_crash_loop{};
  AlertRuleSettings pod_image_pull{};
  PodOomSettings pod_oom_killed{};
  PodRestartsSettings pod_restarts{};
  AlertRuleSettings node_not_ready{true, "critical", std::chrono::minutes(1)};
  AlertRuleSettings node_pressure{};
  AlertRuleSettings deployment_unavailable{true, "warning", std::chrono::minutes(10)};
  WarningEventsSettings warning_events{};
  AlertRuleSettings agent_offline{};
  SnapshotStaleSettings snapshot_stale{};
  WebhookSettings webhook;
};

// Reads the keys of the `alerts` section over the defaults in `out`; problems are reported by the
// file's finish(), naming the key.
void readAlertsConfig(ConfigSection alerts, AlertsConfig& out);

// The checks that span keys or need more than a type and a range, after the file was read.
// `file` names the configuration file in the message.
Status checkAlertsConfig(const AlertsConfig& config, const std::string& file);

}  // namespace corral::master
