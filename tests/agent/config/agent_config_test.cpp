#include "agent/config/agent_config.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"

namespace corral::agent {
namespace {

using Catch::Contains;
using Catch::StartsWith;
using corral::testing::TempDir;
using std::chrono::milliseconds;
using Environment = std::map<std::string, std::string>;

// Writes `text` to `name` in `dir` and returns its path.
std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

AgentConfig loaded(const std::string& path, const Environment& environment = {}) {
  Result<AgentConfig> config = loadAgentConfig(path, environment);
  INFO(config.status().toString());
  REQUIRE(config.isOk());
  return std::move(config).value();
}

// The error of a load that must fail.
std::string loadError(const std::string& path, const Environment& environment = {}) {
  Result<AgentConfig> config = loadAgentConfig(path, environment);
  REQUIRE_FALSE(config.isOk());
  CHECK(config.status().code() == ErrorCode::kInvalidArgument);
  return config.status().message();
}

std::string hostName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// Every key of the file, each with a value other than its default.
constexpr char kEveryKey[] = R"(
name: edge-cluster-1
type: host
server_url: https://master.example:8443/
ca_file: /etc/corral/ca.pem
enrollment_token: crl_enr_from_file
labels: {env: prod, region: eu}
capabilities: {gpu: "a100", arch: arm64}
cluster_id: prod-eu
heartbeat_interval: 5s
snapshot_interval: 2m
poll_wait: 1500ms
slots: 8
shutdown_grace: 1h
state_dir: /data/agent
health_listen: ""
log:
  level: debug
  file: /var/log/corral-agent.log
kubernetes:
  in_cluster: false
  kubeconfig: /etc/corral/kubeconfig
  context: prod
  namespaces_include: [shop, payments]
  namespaces_exclude: [kube-system]
  kinds: [pods, deployments]
  max_in_flight: 16
  dynamic_allow: ["GET /apis/apps/v1/", "DELETE /api/v1/namespaces/shop/pods/"]
)";

// The keys of kEveryKey, as docs/configuration.md names them.
const std::set<std::string>& everyKey() {
  static const std::set<std::string> kKeys = {
      "name",
      "type",
      "server_url",
      "ca_file",
      "enrollment_token",
      "enrollment_token_file",  // exclusive with enrollment_token: tested on its own
      "labels",
      "capabilities",
      "cluster_id",
      "heartbeat_interval",
      "snapshot_interval",
      "poll_wait",
      "slots",
      "shutdown_grace",
      "state_dir",
      "health_listen",
      "log.level",
      "log.file",
      "kubernetes.in_cluster",
      "kubernetes.kubeconfig",
      "kubernetes.context",
      "kubernetes.namespaces_include",
      "kubernetes.namespaces_exclude",
      "kubernetes.kinds",
      "kubernetes.max_in_flight",
      "kubernetes.dynamic_allow",
  };
  return kKeys;
}

// Every variable: its name -> the key it sets and a value other than the file's and the default.
struct Variable {
  std::string key;
  std::string value;
};
const std::map<std::string, Variable>& everyVariable() {
  static const std::map<std::string, Variable> kVariables = {
      {"CORRAL_NAME", {"name", "env-agent"}},
      {"CORRAL_SERVER_URL", {"server_url", "http://10.0.0.1:8420"}},
      {"CORRAL_CA_FILE", {"ca_file", "/run/ca.pem"}},
      {"CORRAL_ENROLLMENT_TOKEN", {"enrollment_token", "crl_enr_from_env"}},
      // Exclusive with the token: tested on its own.
      {"CORRAL_ENROLLMENT_TOKEN_FILE", {"enrollment_token_file", ""}},
      {"CORRAL_LABELS", {"labels", "env=staging,team=core"}},
      {"CORRAL_CLUSTER_ID", {"cluster_id", "staging"}},
      {"CORRAL_HEARTBEAT_INTERVAL", {"heartbeat_interval", "20s"}},
      {"CORRAL_SNAPSHOT_INTERVAL", {"snapshot_interval", "1h"}},
      {"CORRAL_POLL_WAIT", {"poll_wait", "45s"}},
      {"CORRAL_SLOTS", {"slots", "12"}},
      {"CORRAL_STATE_DIR", {"state_dir", "/run/state"}},
      {"CORRAL_HEALTH_LISTEN", {"health_listen", "127.0.0.1:9000"}},
      {"CORRAL_LOG_LEVEL", {"log.level", "warn"}},
      {"CORRAL_LOG_FILE", {"log.file", "/run/agent.log"}},
      {"CORRAL_IN_CLUSTER", {"kubernetes.in_cluster", "true"}},
      {"CORRAL_KUBECONFIG", {"kubernetes.kubeconfig", "/run/kubeconfig"}},
      {"CORRAL_KUBE_CONTEXT", {"kubernetes.context", "staging"}},
  };
  return kVariables;
}

// everyVariable() as an environment.
Environment everyVariableSet() {
  Environment env;
  for (const auto& [name, variable] : everyVariable()) {
    env[name] = variable.value;
  }
  return env;
}

// The rows of the agent's table in docs/configuration.md: key -> environment variable ("" when
// the key has none).
std::map<std::string, std::string> documentedKeys() {
  std::ifstream in(std::string(CORRAL_DOCS_DIR) + "/configuration.md");
  REQUIRE(in);
  std::map<std::string, std::string> keys;
  bool in_agent_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## ")) {
      in_agent_section = line == "## corral-agent";
      continue;
    }
    if (!in_agent_section || !line.starts_with("| `")) {
      continue;
    }
    // | `key` | `CORRAL_X` (...) | default | meaning |
    std::stringstream row(line.substr(1));
    std::string key_cell;
    std::string variable_cell;
    std::getline(row, key_cell, '|');
    std::getline(row, variable_cell, '|');
    auto between_backticks = [](const std::string& cell) {
      size_t open = cell.find('`');
      return open == std::string::npos ? std::string()
                                       : cell.substr(open + 1, cell.find('`', open + 1) - open - 1);
    };
    keys[between_backticks(key_cell)] = between_backticks(variable_cell);
  }
  return keys;
}

TEST_CASE("without a file or environment every key has its documented default", "[agent][config]") {
  AgentConfig c = loaded("");
  CHECK(c.name == hostName());
  CHECK_FALSE(c.name.empty());
  CHECK(c.type == "k8s");
  CHECK(c.server_url == "http://127.0.0.1:8420");
  CHECK(c.ca_file.empty());
  CHECK(c.enrollment_token.empty());
  CHECK(c.enrollment_token_file.empty());
  CHECK(c.labels.empty());
  CHECK(c.capabilities == Json::object());
  CHECK(c.cluster_id.empty());
  CHECK(c.heartbeat_interval == milliseconds(15'000));
  CHECK(c.snapshot_interval == milliseconds(30'000));
  CHECK(c.poll_wait == milliseconds(30'000));
  CHECK(c.slots == 3);
  CHECK(c.shutdown_grace == milliseconds(30'000));
  CHECK(c.state_dir == "/var/lib/corral-agent");
  CHECK(c.health_listen == "0.0.0.0:8421");
  CHECK(c.log_level == "info");
  CHECK(c.log_file.empty());
  CHECK(c.kubernetes.in_cluster);
  CHECK(c.kubernetes.kubeconfig.empty());
  CHECK(c.kubernetes.context.empty());
  CHECK(c.kubernetes.namespaces_include.empty());
  CHECK(c.kubernetes.namespaces_exclude.empty());
  CHECK(c.kubernetes.kinds.empty());
  CHECK(c.kubernetes.max_in_flight == 4);
  CHECK(c.kubernetes.dynamic_allow == std::vector<std::string>{"GET /api/", "GET /apis/"});
}

TEST_CASE("an empty file gives the defaults too", "[agent][config]") {
  TempDir dir;
  AgentConfig c = loaded(writeFile(dir, "agent.yaml", "# nothing set\n"));
  CHECK(c.server_url == "http://127.0.0.1:8420");
  CHECK(c.slots == 3);
  CHECK(c.kubernetes.in_cluster);
}

TEST_CASE("every documented key is read from the file", "[agent][config]") {
  TempDir dir;
  AgentConfig c = loaded(writeFile(dir, "agent.yaml", kEveryKey));
  CHECK(c.name == "edge-cluster-1");
  CHECK(c.type == "host");
  CHECK(c.server_url == "https://master.example:8443");  // the trailing slash is dropped
  CHECK(c.ca_file == "/etc/corral/ca.pem");
  CHECK(c.enrollment_token == "crl_enr_from_file");
  CHECK(c.labels == std::map<std::string, std::string>{{"env", "prod"}, {"region", "eu"}});
  CHECK(c.capabilities == Json{{"gpu", "a100"}, {"arch", "arm64"}});
  CHECK(c.cluster_id == "prod-eu");
  CHECK(c.heartbeat_interval == milliseconds(5'000));
  CHECK(c.snapshot_interval == milliseconds(120'000));
  CHECK(c.poll_wait == milliseconds(1'500));
  CHECK(c.slots == 8);
  CHECK(c.shutdown_grace == milliseconds(3'600'000));
  CHECK(c.state_dir == "/data/agent");
  CHECK(c.health_listen.empty());
  CHECK(c.log_level == "debug");
  CHECK(c.log_file == "/var/log/corral-agent.log");
  CHECK_FALSE(c.kubernetes.in_cluster);
  CHECK(c.kubernetes.kubeconfig == "/etc/corral/kubeconfig");
  CHECK(c.kubernetes.context == "prod");
  CHECK(c.kubernetes.namespaces_include == std::vector<std::string>{"shop", "payments"});
  CHECK(c.kubernetes.namespaces_exclude == std::vector<std::string>{"kube-system"});
  CHECK(c.kubernetes.kinds == std::vector<std::string>{"pods", "deployments"});
  CHECK(c.kubernetes.max_in_flight == 16);
  CHECK(c.kubernetes.dynamic_allow ==
        std::vector<std::string>{"GET /apis/apps/v1/", "DELETE /api/v1/namespaces/shop/pods/"});
}

TEST_CASE("the keys and variables read are the ones the documentation lists", "[agent][config]") {
  std::map<std::string, std::string> documented = documentedKeys();
  std::set<std::string> documented_keys;
  for (const auto& [key, variable] : documented) {
    documented_keys.insert(key);
  }
  CHECK(documented_keys == everyKey());
  std::map<std::string, std::string> variable_of_key;
  for (const auto& [name, variable] : everyVariable()) {
    variable_of_key[variable.key] = name;
  }
  for (const auto& [key, variable] : documented) {
    INFO(key);
    if (variable.empty()) {
      CHECK(variable_of_key.count(key) == 0);
    } else {
      CHECK(variable_of_key[key] == variable);
    }
  }
  for (const auto& [key, name] : variable_of_key) {
    INFO(name);
    CHECK(documented[key] == name);
  }
}

TEST_CASE("a key the agent does not read stops the load, naming the file and the key",
          "[agent][config]") {
  TempDir dir;
  for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
           {"slot: 4\n", "slot"},
           {"log:\n  levle: debug\n", "log.levle"},
           {"kubernetes:\n  namespace_include: [shop]\n", "kubernetes.namespace_include"},
           {"kubernetes:\n  dynamic_allow: []\n  watch: true\n", "kubernetes.watch"},
       }) {
    std::string path = writeFile(dir, "agent.yaml", text);
    INFO(text);
    CHECK(loadError(path) == path + ": unknown key '" + key +
                                 "' (see docs/configuration.md for the keys this version reads)");
  }
}

TEST_CASE("a value of the wrong type stops the load, naming the file and the key",
          "[agent][config]") {
  TempDir dir;
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"slots: three\n", "key 'slots': expected an integer, got 'three'"},
           {"slots: 0\n", "key 'slots': expected an integer from 1 to 64, got 0"},
           {"type: runner\n", "key 'type': expected one of k8s, host, got 'runner'"},
           {"name: [a, b]\n", "key 'name': expected a string, got a list"},
           {"labels: [a]\n", "key 'labels': expected a map of strings to strings, got a list"},
           {"capabilities: {gpu: [a]}\n", "key 'capabilities.gpu': expected a string"},
           {"log: debug\n", "key 'log': expected a map, got a scalar"},
           {"log: {level: verbose}\n", "key 'log.level': expected one of trace, debug, info"},
           {"kubernetes: true\n", "key 'kubernetes': expected a map, got a scalar"},
           {"kubernetes: {in_cluster: maybe}\n",
            "key 'kubernetes.in_cluster': expected true or false, got 'maybe'"},
           {"kubernetes: {kinds: pods}\n",
            "key 'kubernetes.kinds': expected a list of strings, got a scalar"},
           {"kubernetes: {namespaces_include: {shop: 1}}\n",
            "key 'kubernetes.namespaces_include': expected a list of strings, got a map"},
           {"kubernetes: {max_in_flight: 33}\n",
            "key 'kubernetes.max_in_flight': expected an integer from 1 to 32, got 33"},
       }) {
    std::string path = writeFile(dir, "agent.yaml", text);
    INFO(text);
    std::string error = loadError(path);
    CHECK_THAT(error, StartsWith(path + ": "));
    CHECK_THAT(error, Contains(expected));
  }
}

TEST_CASE("a bad duration stops the load, naming the file and the key", "[agent][config]") {
  TempDir dir;
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"heartbeat_interval: soon\n",
            "key 'heartbeat_interval': expected a duration such as 250ms, 30s, 5m or 24h, got "
            "'soon'"},
           {"snapshot_interval: 5x\n",
            "key 'snapshot_interval': expected a duration unit of ms, s, m or h, got '5x'"},
           {"poll_wait: 90s\n", "key 'poll_wait': expected a duration from 0ms to 60000ms"},
           {"heartbeat_interval: 0s\n", "key 'heartbeat_interval': expected a duration from"},
           {"shutdown_grace: -1s\n", "key 'shutdown_grace': expected a duration"},
           {"shutdown_grace: [1s]\n", "key 'shutdown_grace': expected a duration such as 30s"},
       }) {
    std::string path = writeFile(dir, "agent.yaml", text);
    INFO(text);
    std::string error = loadError(path);
    CHECK_THAT(error, StartsWith(path + ": "));
    CHECK_THAT(error, Contains(expected));
  }
}

TEST_CASE("durations accept seconds, minutes, hours, milliseconds and bare seconds",
          "[agent][config]") {
  TempDir dir;
  AgentConfig c = loaded(writeFile(
      dir, "agent.yaml",
      "heartbeat_interval: 45\nsnapshot_interval: 24h\npoll_wait: 0\nshutdown_grace: 250ms\n"));
  CHECK(c.heartbeat_interval == milliseconds(45'000));
  CHECK(c.snapshot_interval == milliseconds(86'400'000));
  CHECK(c.poll_wait == milliseconds(0));
  CHECK(c.shutdown_grace == milliseconds(250));
}

TEST_CASE("a missing or unparsable file stops the load, naming it", "[agent][config]") {
  TempDir dir;
  std::string missing = dir.file("absent.yaml");
  CHECK(loadError(missing) == missing + ": cannot open the configuration file");
  std::string broken = writeFile(dir, "agent.yaml", "slots: [3\n");
  CHECK_THAT(loadError(broken), StartsWith(broken + ": not valid YAML"));
  std::string list = writeFile(dir, "list.yaml", "- slots\n");
  CHECK_THAT(loadError(list), StartsWith(list + ": expected a map of settings"));
}

TEST_CASE("the environment wins over the file", "[agent][config]") {
  TempDir dir;
  std::string path = writeFile(dir, "agent.yaml", kEveryKey);
  Environment env = everyVariableSet();
  env.erase("CORRAL_ENROLLMENT_TOKEN");  // the file sets the token; the variable takes its turn
  AgentConfig c = loaded(path, env);
  CHECK(c.name == "env-agent");
  CHECK(c.server_url == "http://10.0.0.1:8420");
  CHECK(c.ca_file == "/run/ca.pem");
  CHECK(c.labels == std::map<std::string, std::string>{{"env", "staging"}, {"team", "core"}});
  CHECK(c.cluster_id == "staging");
  CHECK(c.heartbeat_interval == milliseconds(20'000));
  CHECK(c.snapshot_interval == milliseconds(3'600'000));
  CHECK(c.poll_wait == milliseconds(45'000));
  CHECK(c.slots == 12);
  CHECK(c.state_dir == "/run/state");
  CHECK(c.health_listen == "127.0.0.1:9000");
  CHECK(c.log_level == "warn");
  CHECK(c.log_file == "/run/agent.log");
  CHECK(c.kubernetes.in_cluster);
  CHECK(c.kubernetes.kubeconfig == "/run/kubeconfig");
  CHECK(c.kubernetes.context == "staging");
  // Keys without a variable keep the file's value.
  CHECK(c.type == "host");
  CHECK(c.shutdown_grace == milliseconds(3'600'000));
  CHECK(c.kubernetes.max_in_flight == 16);

  AgentConfig token = loaded(writeFile(dir, "no-token.yaml", "slots: 2\n"), everyVariableSet());
  CHECK(token.enrollment_token == "crl_enr_from_env");
}

TEST_CASE("the environment alone configures an agent without a file", "[agent][config]") {
  AgentConfig c = loaded("", {{"CORRAL_SERVER_URL", "https://master:8420"},
                              {"CORRAL_ENROLLMENT_TOKEN", "crl_enr_x"},
                              {"CORRAL_CLUSTER_ID", "prod"},
                              {"CORRAL_IN_CLUSTER", "false"},
                              {"CORRAL_KUBECONFIG", "/kube/config"}});
  CHECK(c.server_url == "https://master:8420");
  CHECK(c.enrollment_token == "crl_enr_x");
  CHECK(c.cluster_id == "prod");
  CHECK_FALSE(c.kubernetes.in_cluster);
  CHECK(c.kubernetes.kubeconfig == "/kube/config");
}

TEST_CASE("an empty variable counts as unset", "[agent][config]") {
  TempDir dir;
  Environment empty;
  for (const auto& [name, variable] : everyVariable()) {
    empty[name] = "";
  }
  AgentConfig c = loaded(writeFile(dir, "agent.yaml", kEveryKey), empty);
  CHECK(c.name == "edge-cluster-1");
  CHECK(c.slots == 8);
  CHECK(c.labels.size() == 2);
  CHECK(c.heartbeat_interval == milliseconds(5'000));
  CHECK_FALSE(c.kubernetes.in_cluster);
}

TEST_CASE("CORRAL_LABELS replaces the file's labels", "[agent][config]") {
  TempDir dir;
  std::string path = writeFile(dir, "agent.yaml", "labels: {env: prod, region: eu}\n");
  AgentConfig c = loaded(path, {{"CORRAL_LABELS", "env=staging"}});
  CHECK(c.labels == std::map<std::string, std::string>{{"env", "staging"}});
  AgentConfig empty_value = loaded(path, {{"CORRAL_LABELS", "team="}});
  CHECK(empty_value.labels == std::map<std::string, std::string>{{"team", ""}});
}

TEST_CASE("a bad variable stops the load, naming the variable", "[agent][config]") {
  for (const auto& [variable, value, expected] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"CORRAL_SLOTS", "0", "expected 1 to 64, got '0'"},
           {"CORRAL_SLOTS", "65", "expected 1 to 64"},
           {"CORRAL_SLOTS", "three", "expected 1 to 64"},
           {"CORRAL_SLOTS", "-1", "expected 1 to 64"},
           {"CORRAL_IN_CLUSTER", "yes", "expected true or false, got 'yes'"},
           {"CORRAL_HEARTBEAT_INTERVAL", "soon", "expected a duration such as 250ms"},
           {"CORRAL_HEARTBEAT_INTERVAL", "0s", "expected a duration from 1000ms to 3600000ms"},
           {"CORRAL_HEARTBEAT_INTERVAL", "2h", "expected a duration from 1000ms to 3600000ms"},
           {"CORRAL_SNAPSHOT_INTERVAL", "500ms", "expected a duration from 1000ms"},
           {"CORRAL_POLL_WAIT", "61s", "expected a duration from 0ms to 60000ms, got 61s"},
           {"CORRAL_LOG_LEVEL", "verbose", "expected one of trace, debug, info, warn, error"},
           {"CORRAL_LABELS", "prod", "expected key=value[,...], got 'prod'"},
           {"CORRAL_LABELS", "=prod", "expected key=value[,...]"},
           {"CORRAL_LABELS", "a=1,,b=2", "expected key=value[,...]"},
       }) {
    INFO(variable << "=" << value);
    std::string error = loadError("", {{variable, value}});
    CHECK_THAT(error, StartsWith("environment variable " + variable + ": "));
    CHECK_THAT(error, Contains(expected));
  }
}

TEST_CASE("the enrollment token is read from its file without the trailing newline",
          "[agent][config]") {
  TempDir dir;
  for (const std::string& content : std::vector<std::string>{
           "crl_enr_secret\n", "crl_enr_secret", "crl_enr_secret\r\n", "crl_enr_secret \n\n"}) {
    std::string token_file = writeFile(dir, "token", content);
    INFO(Json(content).dump());
    std::string path = writeFile(dir, "agent.yaml", "enrollment_token_file: " + token_file + "\n");
    AgentConfig from_key = loaded(path);
    CHECK(from_key.enrollment_token == "crl_enr_secret");
    CHECK(from_key.enrollment_token_file == token_file);
    AgentConfig from_variable = loaded("", {{"CORRAL_ENROLLMENT_TOKEN_FILE", token_file}});
    CHECK(from_variable.enrollment_token == "crl_enr_secret");
  }
}

TEST_CASE("a token file that is missing or empty stops the load, naming the key",
          "[agent][config]") {
  TempDir dir;
  std::string missing = dir.file("absent-token");
  CHECK(loadError("", {{"CORRAL_ENROLLMENT_TOKEN_FILE", missing}}) ==
        "enrollment_token_file: cannot read '" + missing + "'");
  for (const std::string& content : std::vector<std::string>{"", "\n", " \r\n"}) {
    std::string empty = writeFile(dir, "token", content);
    CHECK(loadError("", {{"CORRAL_ENROLLMENT_TOKEN_FILE", empty}}) ==
          "enrollment_token_file: '" + empty + "' is empty");
  }
}

TEST_CASE("a token and a token file together stop the load", "[agent][config]") {
  TempDir dir;
  std::string token_file = writeFile(dir, "token", "crl_enr_from_file\n");
  std::string both =
      writeFile(dir, "agent.yaml",
                "enrollment_token: crl_enr_a\nenrollment_token_file: " + token_file + "\n");
  std::string expected =
      "enrollment_token and enrollment_token_file are both set (in the file or as "
      "CORRAL_ENROLLMENT_TOKEN and CORRAL_ENROLLMENT_TOKEN_FILE): set one of them";
  CHECK(loadError(both) == expected);
  // Across the file and the environment too.
  std::string token_only = writeFile(dir, "token.yaml", "enrollment_token: crl_enr_a\n");
  CHECK(loadError(token_only, {{"CORRAL_ENROLLMENT_TOKEN_FILE", token_file}}) == expected);
}

TEST_CASE("without a token nor a token file the agent loads, to use a kept credential",
          "[agent][config]") {
  AgentConfig c = loaded("");
  CHECK(c.enrollment_token.empty());
}

TEST_CASE("the kubernetes section", "[agent][config]") {
  TempDir dir;

  SECTION("out of the cluster it reads a kubeconfig and a context") {
    AgentConfig c = loaded(writeFile(dir, "agent.yaml",
                                     "kubernetes:\n  in_cluster: false\n"
                                     "  kubeconfig: /home/ops/.kube/config\n  context: staging\n"));
    CHECK_FALSE(c.kubernetes.in_cluster);
    CHECK(c.kubernetes.kubeconfig == "/home/ops/.kube/config");
    CHECK(c.kubernetes.context == "staging");
  }

  SECTION("out of the cluster without a kubeconfig it refuses to start") {
    std::string path = writeFile(dir, "agent.yaml", "kubernetes: {in_cluster: false}\n");
    CHECK_THAT(loadError(path), StartsWith("kubernetes.kubeconfig: needed when "
                                           "kubernetes.in_cluster is false"));
    CHECK(loaded(path, {{"CORRAL_KUBECONFIG", "/kube/config"}}).kubernetes.kubeconfig ==
          "/kube/config");
    // A runner host has no cluster to reach.
    CHECK(
        loaded(writeFile(dir, "host.yaml", "type: host\nkubernetes: {in_cluster: false}\n")).type ==
        "host");
  }

  SECTION("namespaces, kinds and the dynamic allow-list are lists") {
    AgentConfig c = loaded(writeFile(dir, "agent.yaml",
                                     "kubernetes:\n"
                                     "  namespaces_include: [shop]\n"
                                     "  namespaces_exclude: [shop-canary, kube-system]\n"
                                     "  kinds: [pods, nodes, namespaces, events, configmaps,\n"
                                     "          services, deployments, replicasets,\n"
                                     "          statefulsets, daemonsets, ingresses]\n"
                                     "  dynamic_allow: []\n"));
    CHECK(c.kubernetes.namespaces_include == std::vector<std::string>{"shop"});
    CHECK(c.kubernetes.namespaces_exclude ==
          std::vector<std::string>{"shop-canary", "kube-system"});
    CHECK(c.kubernetes.kinds.size() == 11);
    CHECK(c.kubernetes.dynamic_allow.empty());  // an empty list allows no dynamic request
  }

  SECTION("an unknown kind stops the load, naming the file, the key and the kind") {
    for (const std::string& kind : std::vector<std::string>{"pod", "secrets", "Pods"}) {
      std::string path =
          writeFile(dir, "agent.yaml", "kubernetes: {kinds: [nodes, " + kind + "]}\n");
      std::string error = loadError(path);
      CHECK_THAT(error, StartsWith(path + ": key 'kubernetes.kinds': expected kinds among pods, "
                                          "nodes, deployments"));
      CHECK_THAT(error, Contains("got '" + kind + "'"));
    }
  }

  SECTION("a dynamic_allow rule of another shape stops the load") {
    for (const std::string& rule : std::vector<std::string>{
             "", "GET", "get /api/", "GET api/", "GET  /api/", "TRACE /api/", "GET /api/ extra"}) {
      std::string path = writeFile(
          dir, "agent.yaml", "kubernetes: {dynamic_allow: [\"GET /apis/\", \"" + rule + "\"]}\n");
      INFO("'" << rule << "'");
      std::string error = loadError(path);
      CHECK_THAT(error, StartsWith(path + ": key 'kubernetes.dynamic_allow': expected entries "
                                          "such as 'GET /apis/apps/v1/'"));
      CHECK_THAT(error, Contains("got '" + rule + "'"));
    }
  }
}

TEST_CASE("server_url must be an http or https URL", "[agent][config]") {
  CHECK(loadError("", {{"CORRAL_SERVER_URL", "master:8420"}}) ==
        "server_url: expected an http:// or https:// URL, got 'master:8420'");
  CHECK(loaded("", {{"CORRAL_SERVER_URL", "https://m//"}}).server_url == "https://m");
}

TEST_CASE("processEnvironment keeps the CORRAL_ variables only", "[agent][config]") {
  REQUIRE(setenv("CORRAL_CONFIG_TEST_PROBE", "a=b", 1) == 0);
  REQUIRE(setenv("NOT_CORRAL_CONFIG_TEST_PROBE", "x", 1) == 0);
  Environment env = processEnvironment();
  unsetenv("CORRAL_CONFIG_TEST_PROBE");
  unsetenv("NOT_CORRAL_CONFIG_TEST_PROBE");
  CHECK(env["CORRAL_CONFIG_TEST_PROBE"] == "a=b");
  CHECK(env.count("NOT_CORRAL_CONFIG_TEST_PROBE") == 0);
  for (const auto& [name, value] : env) {
    CHECK_THAT(name, StartsWith("CORRAL_"));
  }
}

}  // namespace
}  // namespace corral::agent
