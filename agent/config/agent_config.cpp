#include "agent/config/agent_config.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "agent/model/resource_kind.h"
#include "common/config_file.h"

extern char** environ;

namespace corral::agent {

using std::chrono::hours;
using std::chrono::milliseconds;

namespace {

// A duration setting: its key, its variable (nullptr: file only) and the range both must respect.
struct DurationSetting {
  const char* key;
  const char* variable;
  milliseconds AgentConfig::*field;
  milliseconds min;
  milliseconds max;
};

const std::vector<DurationSetting>& durationSettings() {
  static const std::vector<DurationSetting> kSettings = {
      {"heartbeat_interval", "CORRAL_HEARTBEAT_INTERVAL", &AgentConfig::heartbeat_interval,
       milliseconds(1000), hours(1)},
      {"snapshot_interval", "CORRAL_SNAPSHOT_INTERVAL", &AgentConfig::snapshot_interval,
       milliseconds(1000), hours(24)},
      {"poll_wait", "CORRAL_POLL_WAIT", &AgentConfig::poll_wait, milliseconds(0),
       milliseconds(60'000)},
      {"shutdown_grace", nullptr, &AgentConfig::shutdown_grace, milliseconds(0), hours(1)},
  };
  return kSettings;
}

const std::vector<std::string>& logLevels() {
  static const std::vector<std::string> kLevels = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
  return kLevels;
}

const std::vector<std::string>& dynamicMethods() {
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  return kMethods;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

// The kubernetes lists, whose entries only this layer knows how to check (they come from the file
// alone, named by `file` in messages).
Status checkKubernetesLists(const AgentConfig& c, const std::string& file) {
  for (const std::string& kind : c.kubernetes.kinds) {
    if (!model::parseResourceKind(kind)) {
      std::vector<std::string> known;
      for (model::ResourceKind k : model::allResourceKinds()) {
        known.emplace_back(model::resourceKindName(k));
      }
      return invalidArgument(file + ": key 'kubernetes.kinds': expected kinds among " +
                             joined(known) + "; got '" + kind + "'");
    }
  }
  // ExecuteService ignores a rule of another shape; refusing it here tells the operator why a
  // request they meant to allow is refused.
  for (const std::string& rule : c.kubernetes.dynamic_allow) {
    size_t space = rule.find(' ');
    std::string method = rule.substr(0, space);
    bool ok = space != std::string::npos && space + 1 < rule.size() && rule[space + 1] == '/' &&
              rule.find(' ', space + 1) == std::string::npos &&
              std::find(dynamicMethods().begin(), dynamicMethods().end(), method) !=
                  dynamicMethods().end();
    if (!ok) {
      return invalidArgument(file +
                             ": key 'kubernetes.dynamic_allow': expected entries such as "
                             "'GET /apis/apps/v1/' (one of " +
                             joined(dynamicMethods()) + ", a space, a path prefix), got '" + rule +
                             "'");
    }
  }
  return Status::ok();
}

// The enrollment token from the file named by enrollment_token_file, without the trailing newline
// or spaces that `echo` and Secret volumes leave.
Result<std::string> readTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return invalidArgument("enrollment_token_file: cannot read '" + path + "'");
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.empty()) {
    return invalidArgument("enrollment_token_file: '" + path + "' is empty");
  }
  return token;
}

Status applyEnvironment(AgentConfig& c, const std::map<std::string, std::string>& env) {
  auto text = [&](const char* name, std::string& out) {
    auto it = env.find(name);
    if (it != env.end() && !it->second.empty()) {
      out = it->second;
    }
  };
  text("CORRAL_NAME", c.name);
  text("CORRAL_SERVER_URL", c.server_url);
  text("CORRAL_CA_FILE", c.ca_file);
  text("CORRAL_ENROLLMENT_TOKEN", c.enrollment_token);
  text("CORRAL_ENROLLMENT_TOKEN_FILE", c.enrollment_token_file);
  text("CORRAL_CLUSTER_ID", c.cluster_id);
  text("CORRAL_STATE_DIR", c.state_dir);
  text("CORRAL_LOG_FILE", c.log_file);
  text("CORRAL_HEALTH_LISTEN", c.health_listen);
  text("CORRAL_KUBECONFIG", c.kubernetes.kubeconfig);
  text("CORRAL_KUBE_CONTEXT", c.kubernetes.context);
  for (const DurationSetting& setting : durationSettings()) {
    auto it = setting.variable == nullptr ? env.end() : env.find(setting.variable);
    if (it == env.end() || it->second.empty()) {
      continue;
    }
    auto parsed = parseDuration(it->second);
    if (!parsed.isOk()) {
      return invalidArgument("environment variable " + std::string(setting.variable) + ": " +
                             parsed.status().message());
    }
    // The same range as the file's key: an interval of 0 would spin the loop it paces.
    if (*parsed < setting.min || *parsed > setting.max) {
      return invalidArgument("environment variable " + std::string(setting.variable) +
                             ": expected a duration from " + std::to_string(setting.min.count()) +
                             "ms to " + std::to_string(setting.max.count()) + "ms, got " +
                             it->second);
    }
    c.*setting.field = *parsed;
  }
  if (auto it = env.find("CORRAL_LOG_LEVEL"); it != env.end() && !it->second.empty()) {
    if (std::find(logLevels().begin(), logLevels().end(), it->second) == logLevels().end()) {
      return invalidArgument("environment variable CORRAL_LOG_LEVEL: expected one of " +
                             joined(logLevels()) + ", got '" + it->second + "'");
    }
    c.log_level = it->second;
  }
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
    // "key=value,key2=value2". Like every variable, it replaces the file's value rather than
    // adding to it, so the environment can also take a label away.
    const std::string& v = it->second;
    c.labels.clear();
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
    for (const DurationSetting& setting : durationSettings()) {
      root.getDuration(setting.key, c.*setting.field, setting.min, setting.max);
    }
    root.get("slots", c.slots, 1, 64);
    root.get("state_dir", c.state_dir);
    root.get("health_listen", c.health_listen);
    ConfigSection log = root.section("log");
    log.getEnum("level", c.log_level, logLevels());
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
    CORRAL_RETURN_IF_ERROR(checkKubernetesLists(c, path));
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
  // Two sources of one secret: which one is meant is a guess the agent does not make.
  if (!c.enrollment_token_file.empty() && !c.enrollment_token.empty()) {
    return invalidArgument(
        "enrollment_token and enrollment_token_file are both set (in the file or as "
        "CORRAL_ENROLLMENT_TOKEN and CORRAL_ENROLLMENT_TOKEN_FILE): set one of them");
  }
  if (!c.enrollment_token_file.empty()) {
    auto token = readTokenFile(c.enrollment_token_file);
    if (!token.isOk()) {
      return token.status();
    }
    c.enrollment_token = std::move(*token);
  }
  if (!c.kubernetes.in_cluster && c.type == "k8s" && c.kubernetes.kubeconfig.empty()) {
    return invalidArgument(
        "kubernetes.kubeconfig: needed when kubernetes.in_cluster is false (or set "
        "CORRAL_KUBECONFIG)");
  }
  return c;
}

}  // namespace corral::agent
