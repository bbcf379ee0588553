#pragma once

// Carries out one command of the master in the cluster: scale, restart, delete_pod, get_logs and
// dynamic (an allow-listed raw API request). Parameters are checked first, with errors that name
// the parameter; a Kubernetes refusal comes back as the command's error with the API's reason
// and message. Thread-safe: commands run concurrently, one per slot.

#include <string>
#include <vector>

#include "agent/sdk/k8s_client.h"
#include "agent/service/command_executor.h"
#include "common/clock.h"
#include "common/json.h"

namespace corral::agent {

class ExecuteService final : public CommandExecutor {
 public:
  // `dynamic_allow` holds "METHOD /path-prefix" entries; a dynamic request must match one, its
  // method exactly and the prefix over whole path segments. An entry of another shape matches
  // nothing.
  ExecuteService(K8sClient& k8s, Clock& clock, std::vector<std::string> dynamic_allow);

  CommandOutcome execute(const std::string& action, const Json& params) override;

  static const std::vector<std::string>& actions();

 private:
  Result<Json> scale(const Json& params);
  Result<Json> restart(const Json& params);
  Result<Json> deletePod(const Json& params);
  Result<Json> getLogs(const Json& params);
  Result<Json> dynamic(const Json& params);

  K8sClient& k8s_;
  Clock& clock_;
  std::vector<std::string> dynamic_allow_;
};

}  // namespace corral::agent
