// The `alerts:` section of the master's configuration: defaults, overrides, and refusals that
// name the key.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "master/alerts/rule_set.h"
#include "master/config/master_config.h"
#include "tests/support/temp_dir.h"

namespace corral::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

Result<master::MasterConfig> load(const std::string& yaml, TempDir& dir) {
  std::string path = dir.file("master.yaml");
  std::ofstream(path) << yaml;
  return master::loadMasterConfig(path);
}

void checkRefused(const std::string& yaml, const std::string& key) {
  TempDir dir;
  auto config = load(yaml, dir);
  INFO(yaml);
  REQUIRE_FALSE(config.isOk());
  INFO(config.status().message());
  CHECK(config.status().message().find("master.yaml") != std::string::npos);
  CHECK(config.status().message().find("'" + key + "'") != std::string::npos);
}

}  // namespace

TEST_CASE("every alert rule is on by default with its documented thresholds", "[alerts][config]") {
  master::AlertsConfig c;
  CHECK(c.enabled);
  CHECK(c.retention == std::chrono::hours(720));
  CHECK(c.pod_crash_loop.severity == "warning");
  CHECK(c.pod_crash_loop.for_duration == milliseconds(0));
  CHECK(c.pod_oom_killed.window == minutes(15));
  CHECK(c.pod_restarts.increase == 3);
  CHECK(c.pod_restarts.window == minutes(15));
  CHECK(c.node_not_ready.severity == "critical");
  CHECK(c.node_not_ready.for_duration == minutes(1));
  CHECK(c.deployment_unavailable.for_duration == minutes(10));
  CHECK(c.warning_events.namespace_threshold == 20);
  CHECK(c.warning_events.object_threshold == 10);
  CHECK(c.warning_events.window == minutes(10));
  CHECK(c.snapshot_stale.after == minutes(5));
  CHECK(c.webhook.url.empty());
  CHECK(c.webhook.max_attempts == 8);
  CHECK(c.webhook.queue_size == 1000);
  auto rules = master::makeAlertRules(c);
  CHECK(rules.snapshot.size() == 8);
  CHECK(rules.liveness.size() == 2);
  CHECK(master::allAlertRuleNames().size() == 10);
}

TEST_CASE("the complete master file documented in docs/configuration.md loads as the defaults",
          "[alerts][config]") {
  std::ifstream in(std::string(CORRAL_DOCS_DIR) + "/configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string docs = text.str();
  size_t master = docs.find("## corral-master");
  size_t begin = docs.find("```yaml\n", master);
  size_t end = docs.find("```\n", begin + 8);
  REQUIRE(master != std::string::npos);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  TempDir dir;
  auto config = load(docs.substr(begin + 8, end - begin - 8), dir);
  INFO(config.status().message());
  REQUIRE(config.isOk());
  const master::AlertsConfig& c = config->alerts;
  master::AlertsConfig defaults;
  CHECK(c.enabled == defaults.enabled);
  CHECK(c.retention == defaults.retention);
  CHECK(c.node_not_ready.severity == defaults.node_not_ready.severity);
  CHECK(c.node_not_ready.for_duration == defaults.node_not_ready.for_duration);
  CHECK(c.deployment_unavailable.for_duration == defaults.deployment_unavailable.for_duration);
  CHECK(c.pod_restarts.increase == defaults.pod_restarts.increase);
  CHECK(c.warning_events.object_threshold == defaults.warning_events.object_threshold);
  CHECK(c.snapshot_stale.after == defaults.snapshot_stale.after);
  CHECK(c.webhook.url.empty());
  CHECK(c.webhook.retry_cap == defaults.webhook.retry_cap);
  CHECK(c.webhook.queue_size == defaults.webhook.queue_size);
}

TEST_CASE("the alerts section overrides rules and the webhook", "[alerts][config]") {
  TempDir dir;
  auto config = load(R"(
alerts:
  retention: 48h
  rules:
    pod_crash_loop: {severity: critical, for: 2m}
    pod_restarts: {increase: 5, window: 30m}
    node_pressure: {enabled: false}
    warning_events: {namespace_threshold: 50, object_threshold: 15, window: 5m}
    snapshot_stale: {after: 10m, severity: critical}
  webhook:
    url: https://hooks.example.com/corral
    bearer_token: s3cret
    headers: {X-Team: sre}
    timeout: 3s
    max_attempts: 4
    retry_base: 2s
    retry_cap: 1m
    queue_size: 50
)",
                     dir);
  REQUIRE(config.isOk());
  const master::AlertsConfig& c = config->alerts;
  CHECK(c.retention == std::chrono::hours(48));
  CHECK(c.pod_crash_loop.severity == "critical");
  CHECK(c.pod_crash_loop.for_duration == minutes(2));
  CHECK(c.pod_restarts.increase == 5);
  CHECK(c.pod_restarts.window == minutes(30));
  CHECK_FALSE(c.node_pressure.enabled);
  CHECK(c.warning_events.namespace_threshold == 50);
  CHECK(c.warning_events.object_threshold == 15);
  CHECK(c.warning_events.window == minutes(5));
  CHECK(c.snapshot_stale.after == minutes(10));
  CHECK(c.snapshot_stale.severity == "critical");
  CHECK(c.webhook.url == "https://hooks.example.com/corral");
  CHECK(c.webhook.bearer_token == "s3cret");
  CHECK(c.webhook.headers == std::map<std::string, std::string>{{"X-Team", "sre"}});
  CHECK(c.webhook.timeout == std::chrono::seconds(3));
  CHECK(c.webhook.max_attempts == 4);
  CHECK(c.webhook.retry_base == std::chrono::seconds(2));
  CHECK(c.webhook.retry_cap == minutes(1));
  CHECK(c.webhook.queue_size == 50);
  CHECK(master::makeAlertRules(c).snapshot.size() == 7);

  auto off = load("alerts: {enabled: false}\n", dir);
  REQUIRE(off.isOk());
  auto none = master::makeAlertRules(off->alerts);
  CHECK(none.snapshot.empty());
  CHECK(none.liveness.empty());
}

TEST_CASE("bad alert settings stop the start naming the key", "[alerts][config]") {
  checkRefused("alerts: {rules: {pod_crash_loop: {severity: urgent}}}\n",
               "alerts.rules.pod_crash_loop.severity");
  checkRefused("alerts: {rules: {pod_restarts: {increase: 0}}}\n",
               "alerts.rules.pod_restarts.increase");
  checkRefused("alerts: {rules: {deployment_unavailable: {for: soon}}}\n",
               "alerts.rules.deployment_unavailable.for");
  checkRefused("alerts: {rules: {warning_events: {window: 0s}}}\n",
               "alerts.rules.warning_events.window");
  checkRefused("alerts: {rules: {pod_crash_loops: {}}}\n", "alerts.rules.pod_crash_loops");
  checkRefused("alerts: {rules: {node_not_ready: {enabled: maybe}}}\n",
               "alerts.rules.node_not_ready.enabled");
  checkRefused("alerts: {webhook: {url: 'ftp://example.com/'}}\n", "alerts.webhook.url");
  checkRefused("alerts: {webhook: {url: 'https://x', max_attempts: 0}}\n",
               "alerts.webhook.max_attempts");
  checkRefused("alerts: {webhook: {url: 'https://x', retry_base: 10s, retry_cap: 1s}}\n",
               "alerts.webhook.retry_cap");
  checkRefused("alerts: {webhook: {url: 'https://x', headers: {'Bad Name': x}}}\n",
               "alerts.webhook.headers.Bad Name");
  checkRefused(
      "alerts: {webhook: {url: 'https://x', bearer_token: t, headers: {authorization: y}}}\n",
      "alerts.webhook.headers.authorization");
}

}  // namespace corral::testing
