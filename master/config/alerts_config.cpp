#include "master/config/alerts_config.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "common/config_file.h"

namespace corral::master {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kMaxCount = 1'000'000;

// Reads the keys every rule has, and returns the rule's section for its own keys.
ConfigSection readRule(ConfigSection rules, const std::string& name, AlertRuleSettings& rule) {
  ConfigSection s = rules.section(name);
  s.get("enabled", rule.enabled);
  s.getEnum("severity", rule.severity, {"critical", "warning", "info"});
  s.getDuration("for", rule.for_duration, milliseconds(0), hours(24 * 7));
  return s;
}

bool headerNameOk(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) {
      return false;
    }
  }
  return true;
}

bool hasLineBreak(const std::string& value) {
  return value.find_first_of("\r\n") != std::string::npos;
}

}  // namespace

void readAlertsConfig(ConfigSection alerts, AlertsConfig& c) {
  alerts.get("enabled", c.enabled);
  alerts.getDuration("retention", c.retention, hours(1), hours(24 * 3650));

  ConfigSection rules = alerts.section("rules");
  readRule(rules, "pod_crash_loop", c.pod_crash_loop);
  readRule(rules, "pod_image_pull", c.pod_image_pull);
  ConfigSection oom = readRule(rules, "pod_oom_killed", c.pod_oom_killed);
  oom.getDuration("window", c.pod_oom_killed.window, seconds(1), hours(24));
  ConfigSection restarts = readRule(rules, "pod_restarts", c.pod_restarts);
  restarts.get("increase", c.pod_restarts.increase, 1, kMaxCount);
  restarts.getDuration("window", c.pod_restarts.window, seconds(1), hours(24));
  readRule(rules, "node_not_ready", c.node_not_ready);
  readRule(rules, "node_pressure", c.node_pressure);
  readRule(rules, "deployment_unavailable", c.deployment_unavailable);
  ConfigSection events = readRule(rules, "warning_events", c.warning_events);
  events.get("namespace_threshold", c.warning_events.namespace_threshold, 1, kMaxCount);
  events.get("object_threshold", c.warning_events.object_threshold, 1, kMaxCount);
  events.getDuration("window", c.warning_events.window, seconds(1), hours(24));
  readRule(rules, "agent_offline", c.agent_offline);
  ConfigSection stale = readRule(rules, "snapshot_stale", c.snapshot_stale);
  stale.getDuration("after", c.snapshot_stale.after, seconds(1), hours(24 * 7));

  ConfigSection webhook = alerts.section("webhook");
  WebhookSettings& w = c.webhook;
  webhook.get("url", w.url);
  webhook.get("bearer_token", w.bearer_token);
  webhook.get("headers", w.headers);
  webhook.get("ca_file", w.ca_file);
  webhook.getDuration("timeout", w.timeout, milliseconds(100), minutes(5));
  webhook.get("max_attempts", w.max_attempts, 1, 100);
  webhook.getDuration("retry_base", w.retry_base, milliseconds(10), hours(1));
  webhook.getDuration("retry_cap", w.retry_cap, milliseconds(10), hours(24));
  webhook.get("queue_size", w.queue_size, 1, static_cast<int>(kMaxCount));
}

Status checkAlertsConfig(const AlertsConfig& c, const std::string& file) {
  const WebhookSettings& w = c.webhook;
  auto keyError = [&](const std::string& key, const std::string& expected) {
    return invalidArgument(file + ": key '" + key + "': " + expected);
  };
  if (!w.url.empty()) {
    bool http = w.url.rfind("http://", 0) == 0 && w.url.size() > 7;
    bool https = w.url.rfind("https://", 0) == 0 && w.url.size() > 8;
    if ((!http && !https) || hasLineBreak(w.url) || w.url.find(' ') != std::string::npos) {
      return keyError("alerts.webhook.url",
                      "expected an http:// or https:// URL, got '" + w.url + "'");
    }
  }
  if (hasLineBreak(w.bearer_token)) {
    return keyError("alerts.webhook.bearer_token", "expected a token without line breaks");
  }
  for (const auto& [name, value] : w.headers) {
    if (!headerNameOk(name)) {
      return keyError("alerts.webhook.headers." + name, "expected an HTTP header name");
    }
    if (hasLineBreak(value)) {
      return keyError("alerts.webhook.headers." + name, "expected a value without line breaks");
    }
    bool authorization =
        name.size() == 13 && std::equal(name.begin(), name.end(), "authorization",
                                        [](char a, char b) { return std::tolower(a) == b; });
    if (authorization && !w.bearer_token.empty()) {
      return keyError("alerts.webhook.headers." + name,
                      "set either 'alerts.webhook.bearer_token' or an Authorization header");
    }
  }
  if (w.retry_cap < w.retry_base) {
    return keyError("alerts.webhook.retry_cap", "must not be below 'alerts.webhook.retry_base'");
  }
  return Status::ok();
}

}  // namespace corral::master
