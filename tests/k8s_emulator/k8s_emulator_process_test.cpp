// The emulator at scale, over TLS, and as the corral-k8s-emulator binary.

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <set>

#include "tests/k8s_emulator/emulator_test_client.h"
#include "tests/support/child_process.h"
#include "tests/support/file_text.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

using corral::Json;
using corral::testing::ChildProcess;
using corral::testing::HttpResult;
using corral::testing::K8sEmulator;
using corral::testing::readFile;
using corral::testing::startEmulator;
using corral::testing::TempDir;
using corral::testing::TestCertificates;
using corral::testing::TestClient;

TEST_CASE("5,000 pods multiply with their companions in proportion", "[k8s_emulator]") {
  K8sEmulator::Options options;
  options.pods = 5000;
  auto started = std::chrono::steady_clock::now();
  auto emulator = startEmulator(options);
  TestClient client(*emulator);

  auto pages = client.pages("/api/v1/pods", 500);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  WARN("start and a full paginated list of 5,000 pods took " << took.count() << " ms");
  CHECK(pages.size() == 10);
  std::set<std::string> names;
  std::set<std::string> uids;
  std::map<std::string, std::string> owner_of;  // pod key -> ReplicaSet name
  std::set<std::string> nodes_used;
  for (const Json& page : pages) {
    for (const Json& pod : page["items"]) {
      const Json& metadata = pod["metadata"];
      std::string key =
          metadata["namespace"].get<std::string>() + "/" + metadata["name"].get<std::string>();
      names.insert(key);
      uids.insert(metadata["uid"].get<std::string>());
      owner_of[key] = metadata["ownerReferences"][0]["name"];
      if (pod["spec"].contains("nodeName")) {
        nodes_used.insert(pod["spec"]["nodeName"].get<std::string>());
      }
    }
  }
  CHECK(names.size() == 5000);
  CHECK(uids.size() == 5000);
  // Copy 1 is of the first recorded pod, in the first namespace.
  CHECK(names.count("default/random-pod-75b66db9b9-nqhp8-00001") == 1);
  CHECK(emulator->count("pods") == 5000);
  CHECK(emulator->count("nodes") == 100);
  CHECK(nodes_used.size() == 100);
  // The recorded ones (10 deployments, 14 replicasets) plus one each per 10 pods.
  CHECK(emulator->count("deployments") == 10 + 500);
  CHECK(emulator->count("replicasets") == 14 + 500);
  CHECK(emulator->count("services") == 9 + 500);
  CHECK(emulator->count("events") == 1000);

  // Owners exist and select their pods.
  Json some_pod = pages[3]["items"][17];
  std::string ns = some_pod["metadata"]["namespace"];
  std::string rs_name = some_pod["metadata"]["ownerReferences"][0]["name"];
  auto rs = emulator->object("replicasets", ns, rs_name);
  REQUIRE(rs);
  CHECK((*rs)["metadata"]["uid"] == some_pod["metadata"]["ownerReferences"][0]["uid"]);
  std::string deployment = (*rs)["metadata"]["ownerReferences"][0]["name"];
  REQUIRE(emulator->object("deployments", ns, deployment));
  Json selected =
      client.get("/api/v1/namespaces/" + ns + "/pods?labelSelector=app%3D" + deployment).json();
  CHECK(selected["items"].size() == 10);
  CHECK(emulator->replicas("deployments", ns, deployment) == 10);
  auto service = emulator->object("services", ns, deployment);
  REQUIRE(service);
  CHECK((*service)["spec"]["selector"]["app"] == deployment);
  // Two events per ten pods, about pods of the group.
  std::set<std::string> members;
  for (const Json& pod : selected["items"]) {
    members.insert(pod["metadata"]["name"].get<std::string>());
  }
  Json events =
      client.get("/api/v1/namespaces/" + ns + "/events?fieldSelector=involvedObject.kind%3DPod")
          .json();
  int about_group = 0;
  for (const Json& event : events["items"]) {
    about_group += members.count(event["involvedObject"]["name"].get<std::string>()) != 0 ? 1 : 0;
  }
  CHECK(about_group == 2);
}

TEST_CASE("the emulator serves HTTPS with a certificate made for the test", "[k8s_emulator]") {
  TestCertificates certs;
  K8sEmulator::Options options;
  options.tls_cert_file = certs.certFile();
  options.tls_key_file = certs.keyFile();
  options.token = "tls-token";
  auto emulator = startEmulator(options);
  CHECK(emulator->baseUrl().rfind("https://127.0.0.1:", 0) == 0);

  TestClient client(emulator->baseUrl(), "tls-token", certs.caFile());
  HttpResult pods = client.get("/api/v1/pods");
  CHECK(pods.status == 200);
  CHECK(pods.json()["kind"] == "PodList");
  CHECK(TestClient(emulator->baseUrl(), "", certs.caFile()).get("/api/v1/pods").status == 401);

  K8sEmulator::Fault drop;
  drop.drop_connection = true;
  emulator->injectFault(drop);
  CHECK(client.get("/api/v1/pods").status == 0);
  CHECK(client.get("/api/v1/pods").status == 200);

  K8sEmulator::Options broken = options;
  broken.tls_key_file = certs.caFile();
  K8sEmulator bad(broken);
  CHECK(bad.start() == -1);
  CHECK(bad.lastError().code() == corral::ErrorCode::kInvalidArgument);
}

TEST_CASE("the binary prints its address, answers, and stops on SIGTERM", "[k8s_emulator]") {
  TempDir dir;
  std::ofstream(dir.file("token")) << "file-token\n";
  std::string kubeconfig = dir.file("kubeconfig");
  ChildProcess process({CORRAL_K8S_EMULATOR_BIN, "--listen", "127.0.0.1:0", "--token-file",
                        dir.file("token"), "--kubeconfig-out", kubeconfig},
                       dir.file("stderr"));
  auto line = process.readLine(std::chrono::seconds(60));
  INFO(readFile(dir.file("stderr")));
  REQUIRE(line);
  const std::string prefix = "k8s-emulator listening on http://127.0.0.1:";
  REQUIRE(line->rfind(prefix, 0) == 0);
  std::string base_url = line->substr(std::string("k8s-emulator listening on ").size());

  std::string config = readFile(kubeconfig);
  CHECK(config.find("server: " + base_url) != std::string::npos);
  CHECK(config.find("token: \"file-token\"") != std::string::npos);
  CHECK(config.find("current-context: k8s-emulator") != std::string::npos);
  CHECK(config.find("insecure-skip-tls-verify") == std::string::npos);

  TestClient client(base_url, "file-token");
  CHECK(client.get("/api/v1/namespaces/kube-system/pods").status == 200);
  CHECK(TestClient(base_url).get("/api/v1/pods").status == 401);
  CHECK(client.send("POST", "/__emulator/faults", R"({"status":503})", "application/json").status ==
        200);
  CHECK(client.get("/api/v1/pods").status == 503);

  process.signal(SIGTERM);
  CHECK(process.wait(std::chrono::seconds(30)) == 0);
}

TEST_CASE("the binary serves HTTPS and writes a kubeconfig for it", "[k8s_emulator]") {
  TestCertificates certs;
  TempDir dir;
  std::string kubeconfig = dir.file("kubeconfig");
  ChildProcess process(
      {CORRAL_K8S_EMULATOR_BIN, "--tls-cert", certs.certFile(), "--tls-key", certs.keyFile(),
       "--token", "t", "--pods", "50", "--kubeconfig-out", kubeconfig},
      dir.file("stderr"));
  auto line = process.readLine(std::chrono::seconds(60));
  INFO(readFile(dir.file("stderr")));
  REQUIRE(line);
  REQUIRE(line->rfind("k8s-emulator listening on https://127.0.0.1:", 0) == 0);
  std::string base_url = line->substr(std::string("k8s-emulator listening on ").size());
  CHECK(readFile(kubeconfig).find("insecure-skip-tls-verify: true") != std::string::npos);

  Json pods = TestClient(base_url, "t", certs.caFile()).get("/api/v1/pods").json();
  CHECK(pods["items"].size() == 50);

  process.signal(SIGINT);
  CHECK(process.wait(std::chrono::seconds(30)) == 0);

  ChildProcess wrong({CORRAL_K8S_EMULATOR_BIN, "--pods", "many"}, dir.file("stderr2"));
  CHECK(wrong.wait(std::chrono::seconds(30)) == 2);
}
