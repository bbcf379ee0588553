#pragma once

// Everything corral-agent reads from its YAML file and from CORRAL_* environment variables (the
// environment wins, so a Kubernetes Deployment can set any key from a Secret or the downward
// API). docs/configuration.md lists every key with its variable and default.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::agent {

struct KubernetesConfig {
  bool in_cluster = true;                       // false: use `kubeconfig`
  std::string kubeconfig;                       // path; used when in_cluster is false
  std::string context;                          // empty: the kubeconfig's current-context
  std::vector<std::string> namespaces_include;  // empty: all
  std::vector<std::string> namespaces_exclude;
  std::vector<std::string> kinds;  // names as model::parseResourceKind reads; empty: all
  int max_in_flight = 4;           // concurrent LIST requests while collecting a snapshot
  // "METHOD /path-prefix" entries the `dynamic` action may call.
  std::vector<std::string> dynamic_allow = {"GET /api/", "GET /apis/"};
};

struct AgentConfig {
  std::string name;  // default: the host name
  std::string type = "k8s";
  std::string server_url = "http://127.0.0.1:8420";
  std::string ca_file;
  // Configure one of the two; after loading, enrollment_token also holds a token read from the
  // file.
  std::string enrollment_token;
  std::string enrollment_token_file;
  std::map<std::string, std::string> labels;
  Json capabilities = Json::object();
  std::string cluster_id;
  std::chrono::milliseconds heartbeat_interval{15'000};
  std::chrono::milliseconds snapshot_interval{30'000};
  std::chrono::milliseconds poll_wait{30'000};
  int slots = 3;
  std::chrono::milliseconds shutdown_grace{30'000};
  std::string log_level = "info";
  std::string log_file;
  std::string state_dir = "/var/lib/corral-agent";
  std::string health_listen = "0.0.0.0:8421";  // empty: no health endpoint
  KubernetesConfig kubernetes;
};

// Reads `path` (empty: defaults only) and then `environment` (name -> value, normally the
// process environment; an empty value counts as unset), then the enrollment token file. Errors
// name the file or variable, the key and what was expected.
Result<AgentConfig> loadAgentConfig(const std::string& path,
                                    const std::map<std::string, std::string>& environment);

// The process environment as a map, for loadAgentConfig.
std::map<std::string, std::string> processEnvironment();

}  // namespace corral::agent
