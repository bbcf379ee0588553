#pragma once

// GET /healthz (the process runs) and GET /readyz (registered with the master) for Kubernetes
// probes. Hides cpp-httplib.

#include <atomic>
#include <memory>
#include <string>

#include "common/status.h"

namespace corral::agent {

class HealthServer {
 public:
  explicit HealthServer(const std::atomic<bool>& ready);
  ~HealthServer();
  // `listen` is "host:port"; returns the bound port.
  Result<int> start(const std::string& listen);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::agent
