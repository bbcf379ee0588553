#pragma once

// Everything the master reads from its YAML file, with the defaults it uses when a key is
// absent. docs/configuration.md lists every key; keep the two in step.

#include <chrono>
#include <string>

#include "common/status.h"
#include "master/config/alerts_config.h"

namespace corral::master {

struct MasterConfig {
  std::string data_dir = "./var/corral";
  std::string listen = "127.0.0.1:8420";
  std::string log_level = "info";
  std::string log_file;
  std::string tls_cert_file;
  std::string tls_key_file;

  int64_t max_body_bytes = 1 << 20;
  int max_connections = 16'384;
  int listen_backlog = 4'096;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds max_poll_wait{60'000};
  // Event streams open at once. 0 until resolved: loadMasterConfig() sets the smaller of 256 and
  // a tenth of max_connections when the file does not say.
  int max_streams = 0;

  std::chrono::milliseconds heartbeat_interval{15'000};
  std::chrono::milliseconds poll_wait{30'000};
  std::chrono::milliseconds snapshot_interval{30'000};
  std::chrono::milliseconds offline_after{45'000};

  std::chrono::milliseconds lease_grace{30'000};
  std::chrono::milliseconds default_timeout{300'000};
  std::chrono::milliseconds default_deadline{3'600'000};
  int max_attempts = 3;

  int64_t snapshot_max_bytes = int64_t(64) << 20;
  int64_t snapshot_max_compressed_bytes = int64_t(16) << 20;
  std::chrono::milliseconds snapshot_history_retention{std::chrono::hours(24 * 7)};

  std::string synchronous = "full";
  std::chrono::milliseconds monitor_interval{1'000};

  bool metrics_require_token = false;  // GET /metrics asks for an operator token

  AlertsConfig alerts;

  int64_t events_retain = 10'000;                        // events kept for streams to resume from
  std::chrono::milliseconds events_retain_for{600'000};  // and none older than this
  std::chrono::milliseconds events_keepalive{15'000};    // comment on an idle stream this often
};

// Reads `path` over the defaults. An empty path gives the defaults. Unknown keys, wrong types and
// values out of range are errors that name the file and the key.
Result<MasterConfig> loadMasterConfig(const std::string& path);

// Splits "host:port"; kInvalidArgument naming `what` when malformed.
Status splitHostPort(const std::string& text, const std::string& what, std::string& host,
                     int& port);

}  // namespace corral::master
