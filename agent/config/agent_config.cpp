#include "agent/config/agent_config.h"

#include <unistd.h>

#include <fstream>

#include "common/config_file.h"

extern char** environ;

namespace corral::agent {

using std::chrono::hours;
using std::chrono::milliseconds;

namespace {

Status applyEnvironment(AgentConfig& c, const std::map<std::string, std::string>& env) {
  auto text = [&](const char* name, std::string& out) {
    auto it = env.find(name);
    if (it != env.end() && !it->second.empty()) {
      out = it->second;
    }
  };
  auto duration = [&](const char* name, milliseconds& out) -> Status {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) {
      return Status::ok();
    }
    auto parsed = parseDuration(it->second);
    if (!parsed.isOk()) {
      return invalidArgument("environment variable " + std::string(name) + ": " +
                             parsed.status().message());
    }
    out = *parsed;
    return Status::ok();
  };
  text("CORRAL_NAME", c.name);
  text("CORRAL_SERVER_URL", c.server_url);
  text("CORRAL_CA_FILE", c.ca_file);
  text("CORRAL_ENROLLMENT_TOKEN", c.enrollment_token);
  text("CORRAL_ENROLLMENT_TOKEN_FILE", c.enrollment_token_file);
  text("CORRAL_CLUSTER_ID", c.cluster_id);
  text("CORRAL_STATE_DIR", c.state_dir);
  text("CORRAL_LOG_LEVEL", c.log_level);
  text("CORRAL_LOG_FILE", c.log_file);
  text("CORRAL_HEALTH_LISTEN", c.health_listen);
  text("CORRAL_KUBECONFIG", c.kubernetes.kubeconfig);
  text("CORRAL_KUBE_CONTEXT", c.kubernetes.context);
  CORRAL_RETURN_IF_ERROR(duration("CORRAL_HEARTBEAT_INTERVAL", c.heartbeat_interval));
  CORRAL_RETURN_IF_ERROR(duration("CORRAL_SNAPSHOT_INTERVAL", c.snapshot_interval));
  CORRAL_RETURN_IF_ERROR(duration("CORRAL_POLL_WAIT", c.poll_wait));
  if (auto it = env.find("CORRAL_IN_CLUSTER"); it != env.end() && !it->second.empty()) {
    if (it->second != "true" && it->second != "false") {
      return invalidArgument(
          "environment variable CORRAL_IN_CLUSTER: expected true or false, got '" + it->second +
          "'");
    }
    c.kubernetes.in_cluster = it->second == "true";
  }
  if (auto it = env.find("CORRAL_SLOTS"); it != env.end() && !it->second.empty()) {
    const std::string& v = it->second;
    if (v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(v) < 1 || std::stoi(v) > 64) {
      return invalidArgument("environment variable CORRAL_SLOTS: expected 1 to 64, got '" + v +
                             "'");
    }
    c.slots = std::stoi(v);
  }
  if (auto it = env.find("CORRAL_LABELS"); it != env.end() && !it->second.empty()) {
    // "key=value,key2=value2"
    const std::string& v = it->second;
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      std::string part = v.substr(start, end == std::string::npos ? end : end - start);
      size_t eq = part.find('=');
      if (eq == std::string::npos || eq == 0) {
        return invalidArgument(
            "environment variable CORRAL_LABELS: expected key=value[,...], got '" + v + "'");
      }
      c.labels[part.substr(0, eq)] = part.substr(eq + 1);
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
  }
  return Status::ok();
}

}  // namespace

std::map<std::string, std::string> processEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos && entry.rfind("CORRAL_", 0) == 0) {
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  return env;
}

Result<AgentConfig> loadAgentConfig(const std::string& path,
                                    const std::map<std::string, std::string>& environment) {
  AgentConfig c;
  if (!path.empty()) {
    auto file = ConfigFile::load(path);
    if (!file.isOk()) {
      return file.status();
    }
    ConfigSection root = file->root();
    root.get("name", c.name);
    root.getEnum("type", c.type, {"k8s", "host"});
    root.get("server_url", c.server_url);
    root.get("ca_file", c.ca_file);
    root.get("enrollment_token", c.enrollment_token);
    root.get("enrollment_token_file", c.enrollment_token_file);
    root.get("labels", c.labels);
    std::map<std::string, std::string> capabilities;
    root.get("capabilities", capabilities);
    for (const auto& [k, v] : capabilities) {
      c.capabilities[k] = v;
    }
    root.get("cluster_id", c.cluster_id);
    root.getDuration("heartbeat_interval", c.heartbeat_interval, milliseconds(1000), hours(1));
    root.getDuration("snapshot_interval", c.snapshot_interval, milliseconds(1000), hours(24));
    root.getDuration("poll_wait", c.poll_wait, milliseconds(0), milliseconds(60'000));
    root.get("slots", c.slots, 1, 64);
    root.getDuration("shutdown_grace", c.shutdown_grace, milliseconds(0), hours(1));
    root.get("state_dir", c.state_dir);
    root.get("health_listen", c.health_listen);
    ConfigSection log = root.section("log");
    log.getEnum("level", c.log_level,
                {"trace", "debug", "info", "warn", "error", "critical", "off"});
    log.get("file", c.log_file);
    ConfigSection k8s = root.section("kubernetes");
    k8s.get("in_cluster", c.kubernetes.in_cluster);
    k8s.get("kubeconfig", c.kubernetes.kubeconfig);
    k8s.get("context", c.kubernetes.context);
    k8s.get("namespaces_include", c.kubernetes.namespaces_include);
    k8s.get("namespaces_exclude", c.kubernetes.namespaces_exclude);
    k8s.get("kinds", c.kubernetes.kinds);
    k8s.get("max_in_flight", c.kubernetes.max_in_flight, 1, 32);
    k8s.get("dynamic_allow", c.kubernetes.dynamic_allow);
    CORRAL_RETURN_IF_ERROR(file->finish());
  }
  CORRAL_RETURN_IF_ERROR(applyEnvironment(c, environment));
  if (c.name.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    c.name = host;
  }
  if (c.server_url.rfind("http://", 0) != 0 && c.server_url.rfind("https://", 0) != 0) {
    return invalidArgument("server_url: expected an http:// or https:// URL, got '" + c.server_url +
                           "'");
  }
  while (!c.server_url.empty() && c.server_url.back() == '/') {
    c.server_url.pop_back();
  }
  if (!c.enrollment_token_file.empty() && c.enrollment_token.empty()) {
    std::ifstream in(c.enrollment_token_file);
    if (!in) {
      return invalidArgument("enrollment_token_file: cannot read '" + c.enrollment_token_file +
                             "'");
    }
    std::getline(in, c.enrollment_token);
  }
  if (!c.kubernetes.in_cluster && c.type == "k8s" && c.kubernetes.kubeconfig.empty()) {
    return invalidArgument(
        "kubernetes.kubeconfig: needed when kubernetes.in_cluster is false (or set "
        "CORRAL_KUBECONFIG)");
  }
  return c;
}

}  // namespace corral::agent
