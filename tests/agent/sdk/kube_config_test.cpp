#include "agent/sdk/kube_config.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace corral::agent {

namespace {

using testing::TempDir;

// The reader passes PEM on without parsing it, so any text stands in. kKubeconfig holds these in
// base64: "dGVzdCBDQSBQRU0K", "Y2xpZW50IGNlcnRpZmljYXRlCg==" and "Y2xpZW50IGtleSEK".
constexpr const char* kCaPem = "test CA PEM\n";
constexpr const char* kCertPem = "client certificate\n";
constexpr const char* kKeyPem = "client key!\n";

const char* const kKubeconfig = R"(apiVersion: v1
kind: Config
current-context: prod
preferences: {}
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example.com:6443
    certificate-authority-data: dGVzdCBDQSBQRU0K
- name: dev-cluster
  cluster:
    server: https://127.0.0.1:16443
    insecure-skip-tls-verify: true
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: prod-admin
    namespace: corral
- name: dev
  context:
    cluster: dev-cluster
    user: dev-user
users:
- name: prod-admin
  user:
    token: prod-token
- name: dev-user
  user:
    client-certificate-data: Y2xpZW50IGNlcnRpZmljYXRlCg==
    client-key-data: Y2xpZW50IGtleSEK
)";

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

// A one-context kubeconfig around the given cluster and user bodies (indented 4 spaces).
std::string single(const std::string& cluster, const std::string& user) {
  return "current-context: only\n"
         "clusters:\n- name: c\n  cluster:\n" +
         cluster +
         "contexts:\n- name: only\n  context:\n    cluster: c\n    user: u\n"
         "users:\n- name: u\n  user:\n" +
         user;
}

}  // namespace

TEST_CASE("loadKubeconfig reads the current context", "[kubeconfig]") {
  TempDir dir;
  std::string path = write(dir, "config", kKubeconfig);
  Result<K8sConnection> c = loadKubeconfig(path, "");
  REQUIRE(c.isOk());
  CHECK(c->endpoint.server == "https://prod.example.com:6443");
  CHECK(c->endpoint.bearer_token == "prod-token");
  CHECK(c->endpoint.token_file.empty());
  CHECK(c->tls.ca_pem == kCaPem);
  CHECK(c->tls.ca_file.empty());
  CHECK_FALSE(c->tls.insecure_skip_verify);
  CHECK(c->tls.client_cert_pem.empty());
  CHECK(c->ns == "corral");
}

TEST_CASE("loadKubeconfig reads a named context with client certificate data", "[kubeconfig]") {
  TempDir dir;
  std::string path = write(dir, "config", kKubeconfig);
  Result<K8sConnection> c = loadKubeconfig(path, "dev");
  REQUIRE(c.isOk());
  CHECK(c->endpoint.server == "https://127.0.0.1:16443");
  CHECK(c->endpoint.bearer_token.empty());
  CHECK(c->tls.insecure_skip_verify);
  CHECK(c->tls.ca_pem.empty());
  CHECK(c->tls.client_cert_pem == kCertPem);
  CHECK(c->tls.client_key_pem == kKeyPem);
  CHECK(c->ns == "default");
}

TEST_CASE("loadKubeconfig resolves file names against the kubeconfig's folder", "[kubeconfig]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "pki");
  write(dir, "pki/ca.crt", kCaPem);
  write(dir, "pki/client.crt", kCertPem);
  write(dir, "pki/client.key", kKeyPem);
  write(dir, "pki/token", "file-token\n");
  std::string path = write(dir, "config",
                           single("    server: https://k8s:443\n"
                                  "    certificate-authority: pki/ca.crt\n"
                                  "    insecure-skip-tls-verify: false\n",
                                  "    tokenFile: pki/token\n"
                                  "    client-certificate: pki/client.crt\n"
                                  "    client-key: " +
                                      dir.file("pki/client.key") + "\n"));
  Result<K8sConnection> c = loadKubeconfig(path, "");
  REQUIRE(c.isOk());
  CHECK(c->tls.ca_file == dir.file("pki/ca.crt"));
  CHECK_FALSE(c->tls.insecure_skip_verify);  // false stays false
  CHECK(c->endpoint.token_file == dir.file("pki/token"));
  CHECK(c->tls.client_cert_file == dir.file("pki/client.crt"));
  CHECK(c->tls.client_key_file == dir.file("pki/client.key"));
}

TEST_CASE("loadKubeconfig of a missing file names the file", "[kubeconfig]") {
  TempDir dir;
  Result<K8sConnection> c = loadKubeconfig(dir.file("nope"), "");
  REQUIRE_FALSE(c.isOk());
  CHECK(c.status().code() == ErrorCode::kNotFound);
  CHECK_THAT(c.status().message(), Catch::Contains(dir.file("nope")));
}

TEST_CASE("loadKubeconfig errors name the file and the key at fault", "[kubeconfig]") {
  struct Case {
    const char* what;
    std::string text;
    std::string context;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"cluster without server", single("    insecure-skip-tls-verify: true\n", "    token: t\n"),
       "", "clusters[\"c\"].cluster.server is missing"},
      {"unknown context", kKubeconfig, "staging", "contexts has no entry named \"staging\""},
      {"no current context", "clusters: []\ncontexts: []\n", "",
       "current-context is not set and no context was named"},
      {"context without cluster",
       "current-context: x\ncontexts:\n- name: x\n  context:\n    user: u\n", "",
       "contexts[\"x\"].context.cluster is missing"},
      {"unknown user",
       "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://a\n"
       "contexts:\n- name: x\n  context:\n    cluster: c\n    user: ghost\n",
       "", "users has no entry named \"ghost\""},
      {"bad CA data",
       single("    server: https://a\n    certificate-authority-data: '!!notbase64'\n", ""), "",
       "clusters[\"c\"].cluster.certificate-authority-data is not valid base64"},
      {"unreadable CA file",
       single("    server: https://a\n    certificate-authority: ca.pem\n", ""), "",
       "clusters[\"c\"].cluster.certificate-authority names"},
      {"insecure flag not a bool",
       single("    server: https://a\n    insecure-skip-tls-verify: sometimes\n", ""), "",
       "clusters[\"c\"].cluster.insecure-skip-tls-verify must be true or false"},
      {"certificate without key",
       single("    server: https://a\n", "    client-certificate-data: Y2VydA==\n"), "",
       "users[\"u\"].user has a client certificate but no client-key(-data)"},
      {"exec plugin only", single("    server: https://a\n", "    exec:\n      command: aws\n"), "",
       "users[\"u\"].user.exec is not supported"},
      {"unreadable token file",
       single("    server: https://a\n", "    tokenFile: /nonexistent/token\n"), "",
       "users[\"u\"].user.tokenFile names '/nonexistent/token', which cannot be read"},
      {"YAML syntax error", "clusters: [\n", "", "config"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    TempDir dir;
    std::string path = write(dir, "config", c.text);
    Result<K8sConnection> loaded = loadKubeconfig(path, c.context);
    REQUIRE_FALSE(loaded.isOk());
    CHECK(loaded.status().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(loaded.status().message(),
               Catch::StartsWith("kubeconfig '" + path + "': ") && Catch::Contains(c.expected));
  }
}

TEST_CASE("loadInCluster uses the service account and the service environment", "[kubeconfig]") {
  TempDir dir;
  InClusterPaths paths;
  paths.token_file = write(dir, "token", "sa-token\n");
  paths.ca_file = write(dir, "ca.crt", kCaPem);
  paths.namespace_file = write(dir, "namespace", "corral-system\n");
  paths.host_env = "CORRAL_TEST_IN_CLUSTER_HOST";
  paths.port_env = "CORRAL_TEST_IN_CLUSTER_PORT";
  setenv(paths.port_env.c_str(), "443", 1);

  SECTION("IPv4") {
    setenv(paths.host_env.c_str(), "10.96.0.1", 1);
    Result<K8sConnection> c = loadInCluster(paths);
    REQUIRE(c.isOk());
    CHECK(c->endpoint.server == "https://10.96.0.1:443");
    CHECK(c->endpoint.token_file == paths.token_file);  // re-read as kubelet rotates it
    CHECK(c->endpoint.bearer_token.empty());
    CHECK(c->tls.ca_file == paths.ca_file);
    CHECK_FALSE(c->tls.insecure_skip_verify);
    CHECK(c->ns == "corral-system");
  }
  SECTION("IPv6, and no namespace file") {
    setenv(paths.host_env.c_str(), "fd00::1", 1);
    paths.namespace_file = dir.file("absent");
    Result<K8sConnection> c = loadInCluster(paths);
    REQUIRE(c.isOk());
    CHECK(c->endpoint.server == "https://[fd00::1]:443");
    CHECK(c->ns == "default");
  }
  SECTION("outside a pod") {
    unsetenv(paths.host_env.c_str());
    Result<K8sConnection> c = loadInCluster(paths);
    REQUIRE_FALSE(c.isOk());
    CHECK(c.status().code() == ErrorCode::kNotFound);
    CHECK_THAT(c.status().message(), Catch::Contains("CORRAL_TEST_IN_CLUSTER_HOST"));
  }
  SECTION("no token") {
    setenv(paths.host_env.c_str(), "10.96.0.1", 1);
    paths.token_file = dir.file("no-token");
    Result<K8sConnection> c = loadInCluster(paths);
    REQUIRE_FALSE(c.isOk());
    CHECK_THAT(c.status().message(), Catch::Contains(paths.token_file));
  }
  SECTION("no CA") {
    setenv(paths.host_env.c_str(), "10.96.0.1", 1);
    paths.ca_file = dir.file("no-ca");
    Result<K8sConnection> c = loadInCluster(paths);
    REQUIRE_FALSE(c.isOk());
    CHECK_THAT(c.status().message(), Catch::Contains(paths.ca_file));
  }
  unsetenv(paths.host_env.c_str());
  unsetenv(paths.port_env.c_str());
}

}  // namespace corral::agent
