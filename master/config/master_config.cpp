#include "master/config/master_config.h"

#include <algorithm>

#include "common/config_file.h"

namespace corral::master {

using std::chrono::hours;
using std::chrono::milliseconds;

namespace {

// A tenth of the connections, at most 256: streams are for a few dashboards, and whatever the
// cap leaves is kept for agents' long-polls.
int defaultMaxStreams(int max_connections) { return std::clamp(max_connections / 10, 1, 256); }

}  // namespace

Result<MasterConfig> loadMasterConfig(const std::string& path) {
  MasterConfig c;
  if (path.empty()) {
    c.max_streams = defaultMaxStreams(c.max_connections);
    return c;
  }
  auto file = ConfigFile::load(path);
  if (!file.isOk()) {
    return file.status();
  }
  ConfigSection root = file->root();
  root.get("data_dir", c.data_dir);
  root.get("listen", c.listen);

  ConfigSection log = root.section("log");
  log.getEnum("level", c.log_level, {"trace", "debug", "info", "warn", "error", "critical", "off"});
  log.get("file", c.log_file);

  ConfigSection tls = root.section("tls");
  tls.get("cert_file", c.tls_cert_file);
  tls.get("key_file", c.tls_key_file);

  ConfigSection http = root.section("http");
  http.get("max_body_bytes", c.max_body_bytes, 1024, int64_t(1) << 30);
  http.get("max_connections", c.max_connections, 16, 1'000'000);
  http.get("listen_backlog", c.listen_backlog, 16, 65'535);
  http.getDuration("read_timeout", c.read_timeout, milliseconds(100), hours(1));
  http.getDuration("max_poll_wait", c.max_poll_wait, milliseconds(1000), milliseconds(300'000));
  http.get("max_streams", c.max_streams, 1, 1'000'000);

  ConfigSection agents = root.section("agents");
  agents.getDuration("heartbeat_interval", c.heartbeat_interval, milliseconds(1000), hours(1));
  agents.getDuration("poll_wait", c.poll_wait, milliseconds(0), milliseconds(300'000));
  agents.getDuration("snapshot_interval", c.snapshot_interval, milliseconds(1000), hours(24));
  agents.getDuration("offline_after", c.offline_after, milliseconds(1000), hours(24));

  ConfigSection queue = root.section("queue");
  queue.getDuration("lease_grace", c.lease_grace, milliseconds(0), hours(24));
  queue.getDuration("default_timeout", c.default_timeout, milliseconds(1000), hours(24));
  queue.getDuration("default_deadline", c.default_deadline, milliseconds(1000), hours(24 * 7));
  queue.get("max_attempts", c.max_attempts, 1, 100);

  ConfigSection snapshots = root.section("snapshots");
  snapshots.get("max_bytes", c.snapshot_max_bytes, 1024, int64_t(1) << 30);
  snapshots.get("max_compressed_bytes", c.snapshot_max_compressed_bytes, 1024, int64_t(1) << 30);
  snapshots.getDuration("history_retention", c.snapshot_history_retention, hours(1),
                        hours(24 * 366));

  ConfigSection store = root.section("store");
  store.getEnum("synchronous", c.synchronous, {"full", "normal"});

  ConfigSection monitor = root.section("monitor");
  monitor.getDuration("interval", c.monitor_interval, milliseconds(10), milliseconds(60'000));

  ConfigSection metrics = root.section("metrics");
  metrics.get("require_token", c.metrics_require_token);

  readAlertsConfig(root.section("alerts"), c.alerts);

  ConfigSection events = root.section("events");
  events.get("retain", c.events_retain, 1, 10'000'000);
  events.getDuration("retain_for", c.events_retain_for, milliseconds(1000), hours(24 * 7));
  events.getDuration("keepalive", c.events_keepalive, milliseconds(100), milliseconds(300'000));

  CORRAL_RETURN_IF_ERROR(file->finish());
  if (c.max_streams >= c.max_connections) {
    return invalidArgument(path + ": key 'http.max_streams' (" + std::to_string(c.max_streams) +
                           ") must be below 'http.max_connections' (" +
                           std::to_string(c.max_connections) +
                           "), or event streams could take every connection agents need");
  }
  if (c.poll_wait > c.max_poll_wait) {
    return invalidArgument(path + ": key 'agents.poll_wait' (" +
                           std::to_string(c.poll_wait.count()) +
                           "ms) must not exceed 'http.max_poll_wait'");
  }
  std::string host;
  int port = 0;
  CORRAL_RETURN_IF_ERROR(splitHostPort(c.listen, path + ": key 'listen'", host, port));
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return invalidArgument(path + ": keys 'tls.cert_file' and 'tls.key_file' go together");
  }
  CORRAL_RETURN_IF_ERROR(checkAlertsConfig(c.alerts, path));
  if (c.max_streams == 0) {
    c.max_streams = defaultMaxStreams(c.max_connections);
  }
  return c;
}

Status splitHostPort(const std::string& text, const std::string& what, std::string& host,
                     int& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return invalidArgument(what + ": expected host:port, got '" + text + "'");
  }
  std::string digits = text.substr(colon + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 5 ||
      std::stoi(digits) > 65'535) {
    return invalidArgument(what + ": expected a port from 0 to 65535, got '" + digits + "'");
  }
  host = text.substr(0, colon);
  port = std::stoi(digits);
  return Status::ok();
}

}  // namespace corral::master
