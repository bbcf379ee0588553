#pragma once

// Runs one command of the master and says how it went; the command scheduler depends on this,
// not on what the commands do (Kubernetes operations here, Terraform-style jobs on runner hosts).

#include <string>

#include "common/json.h"

namespace corral::agent {

struct CommandOutcome {
  bool success = false;
  Json data = Json::object();
  std::string error;
  std::string started_at;   // RFC 3339
  std::string finished_at;  // RFC 3339
  int64_t duration_ms = 0;
  bool changed_cluster = false;  // a fresh snapshot is worth pushing
};

class CommandExecutor {
 public:
  virtual ~CommandExecutor() = default;
  // Blocks until the command ends. Thread-safe: the scheduler runs one call per busy slot.
  virtual CommandOutcome execute(const std::string& action, const Json& params) = 0;
};

}  // namespace corral::agent
