#pragma once

// The master's HTTP API: agent routes under /api/v1/agent, operator routes under /api/v1, health
// checks. Long-polls park their connection's thread on the WaitSet, so the server runs a thread
// per connection (small stacks, a hard cap, a raised listen backlog) and closes every connection
// after one request: an idle keep-alive connection would cost CPU and a thread for nothing. See
// docs/architecture.md. start() and stop() are called from one thread; handlers run on many.

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace corral::metrics {
class Registry;
}  // namespace corral::metrics

namespace corral::master {

class AlertService;
class AssetCatalog;
class ClusterInventory;
class EventBus;
class FleetService;
class HttpObserver;
class CommandQueue;
class SnapshotService;
class TokenService;
class Store;
class WaitSet;

struct ApiOptions {
  std::string host = "127.0.0.1";
  int port = 8420;            // 0: any free port
  std::string tls_cert_file;  // both set: HTTPS only
  std::string tls_key_file;
  size_t max_body_bytes = 1 << 20;                          // every route but the snapshot upload
  size_t snapshot_max_compressed_bytes = size_t(16) << 20;  // the snapshot upload, as sent
  int max_connections = 16'384;  // beyond this, new connections wait in the listen backlog
  int listen_backlog = 4'096;
  size_t thread_stack_bytes = 256 * 1024;
  std::chrono::seconds read_timeout{10};
  int max_poll_wait_s = 60;  // the longest ?wait= an agent or operator may ask for
  int default_poll_wait_s = 30;
  bool metrics_require_token = false;  // GET /metrics asks for a viewer token
  // Event streams open at once; beyond this a new one is answered 503, so that streams never
  // take the connections agents' long-polls need. Must be below max_connections.
  int max_streams = 256;
  std::chrono::milliseconds stream_keepalive{15'000};  // a comment on an idle stream this often
};

struct ApiDependencies {
  FleetService& fleet;
  CommandQueue& queue;
  TokenService& tokens;
  Store& store;
  WaitSet& waits;
  Clock& clock;
  SnapshotService& snapshots;
  // Optional. Without a registry, GET /metrics is not served; without an observer, requests are
  // not counted.
  const metrics::Registry* metrics = nullptr;
  HttpObserver* http_observer = nullptr;
  // Optional. Without a bus, GET /api/v1/stream is not served.
  EventBus* events = nullptr;
  // Optional. Without an inventory, the cluster query routes (overview, objects, details) are
  // not served.
  ClusterInventory* inventory = nullptr;
  // Optional. Without it, the alert routes are not served.
  AlertService* alerts = nullptr;
  // Optional. Without it, the dashboard (GET / and /ui/...) is not served.
  const AssetCatalog* dashboard = nullptr;
};

class ApiServer {
 public:
  ApiServer(ApiOptions options, ApiDependencies deps);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds and starts serving on a background thread; returns the bound port.
  Result<int> start();
  // Ends parked long-polls, stops accepting, and waits for handlers in flight.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::master
