// The production client (kubeconfig -> makeK8sClient -> RestK8sClient over libcurl) against the
// Kubernetes API emulator on loopback.

#include <catch2/catch.hpp>
#include <set>

#include "agent/sdk/k8s_client_factory.h"
#include "agent/sdk/kube_config.h"
#include "tests/k8s_emulator/k8s_emulator.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace corral::agent {

namespace {

using testing::FakeClock;
using testing::K8sEmulator;
using testing::TempDir;

constexpr const char* kToken = "emulator-token";

// An emulator with `pods` pods and a client made the way the agent makes one outside a cluster.
struct EmulatedCluster {
  explicit EmulatedCluster(int pods) : emulator(options(pods)) {
    REQUIRE(emulator.start() > 0);
    std::string kubeconfig = dir.file("kubeconfig");
    REQUIRE(testing::writeKubeconfig(kubeconfig, emulator.baseUrl(), kToken, "").isOk());
    Result<K8sConnection> connection = loadKubeconfig(kubeconfig, "");
    REQUIRE(connection.isOk());
    Result<std::unique_ptr<K8sClient>> made = makeK8sClient(*connection, clock);
    REQUIRE(made.isOk());
    client = std::move(*made);
    clock.setAutoAdvance(true);
  }

  static K8sEmulator::Options options(int pods) {
    K8sEmulator::Options o;
    o.token = kToken;
    o.pods = pods;
    return o;
  }

  TempDir dir;
  FakeClock clock;
  K8sEmulator emulator;
  std::unique_ptr<K8sClient> client;
};

}  // namespace

TEST_CASE("the client lists every pod across pages, gets one and reports a missing one",
          "[k8s][emulator]") {
  EmulatedCluster cluster(40);
  size_t expected = cluster.emulator.count("pods");
  REQUIRE(expected > 14);  // enough for several pages of 7

  ListOptions options;
  options.page_size = 7;
  Result<std::vector<Json>> pods = cluster.client->list("/api/v1/pods", options);
  REQUIRE(pods.isOk());
  CHECK(pods->size() == expected);
  std::set<std::string> keys;
  for (const Json& pod : *pods) {
    CHECK(pod["kind"] == "Pod");
    CHECK(pod["apiVersion"] == "v1");
    keys.insert(pod["metadata"]["namespace"].get<std::string>() + "/" +
                pod["metadata"]["name"].get<std::string>());
  }
  CHECK(keys.size() == expected);  // no pod twice, none skipped

  size_t pages = 0;
  size_t continued = 0;
  for (const std::string& line : cluster.emulator.requestLog()) {
    if (line.rfind("GET /api/v1/pods?", 0) == 0) {
      ++pages;
      continued += line.find("continue=") != std::string::npos ? 1 : 0;
    }
  }
  CHECK(pages == (expected + 6) / 7);
  CHECK(continued == pages - 1);

  const Json& first = pods->front();
  std::string ns = first["metadata"]["namespace"];
  std::string name = first["metadata"]["name"];
  Result<Json> got = cluster.client->get("/api/v1/namespaces/" + ns + "/pods/" + name);
  REQUIRE(got.isOk());
  CHECK((*got)["metadata"]["name"] == name);
  CHECK((*got)["metadata"]["uid"] == first["metadata"]["uid"]);

  Result<Json> missing = cluster.client->get("/api/v1/namespaces/" + ns + "/pods/no-such-pod");
  REQUIRE_FALSE(missing.isOk());
  CHECK(missing.status().code() == ErrorCode::kNotFound);
  CHECK_THAT(missing.status().message(),
             Catch::StartsWith("NotFound: pods \"no-such-pod\" not found") &&
                 Catch::EndsWith("(HTTP 404)"));
}

TEST_CASE("the client's encoded selectors are understood by the emulator", "[k8s][emulator]") {
  EmulatedCluster cluster(0);
  ListOptions options;
  options.label_selector = "app=kotsadm,pod-template-hash in (b6cb54c8f)";
  Result<std::vector<Json>> pods = cluster.client->list("/api/v1/pods", options);
  REQUIRE(pods.isOk());
  REQUIRE(pods->size() == 1);
  CHECK((*pods)[0]["metadata"]["name"] == "kotsadm-b6cb54c8f-zgzrn");

  options = {};
  options.field_selector = "metadata.name=init-demo";
  pods = cluster.client->list("/api/v1/pods", options);
  REQUIRE(pods.isOk());
  REQUIRE(pods->size() == 1);
  CHECK((*pods)[0]["metadata"]["name"] == "init-demo");
}

TEST_CASE("the client waits out the emulator's plain-text 429 and maps its 403",
          "[k8s][emulator]") {
  EmulatedCluster cluster(0);
  K8sEmulator::Fault fault;
  fault.path_prefix = "/api/v1/namespaces/default/pods";
  fault.status = 429;
  fault.retry_after_s = 2;
  fault.plain_text_429 = true;
  cluster.emulator.injectFault(fault);
  Result<std::vector<Json>> pods = cluster.client->list("/api/v1/namespaces/default/pods", {});
  REQUIRE(pods.isOk());
  CHECK(cluster.clock.sleeps() == std::vector<Millis>{std::chrono::seconds(2)});

  Result<std::vector<Json>> secrets = cluster.client->list("/api/v1/secrets", {});
  REQUIRE_FALSE(secrets.isOk());
  CHECK(secrets.status().code() == ErrorCode::kPermissionDenied);
  CHECK_THAT(secrets.status().message(), Catch::StartsWith("Forbidden: "));
}

}  // namespace corral::agent
