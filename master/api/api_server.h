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

namespace corral::master {

class FleetService;
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
};

struct ApiDependencies {
  FleetService& fleet;
  CommandQueue& queue;
  TokenService& tokens;
  Store& store;
  WaitSet& waits;
  Clock& clock;
  SnapshotService& snapshots;
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
