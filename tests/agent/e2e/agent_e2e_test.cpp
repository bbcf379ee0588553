// End to end: the real corral-master, the Kubernetes API emulator and the real corral-agent as
// processes on loopback. The agent enrols, its snapshot reaches the master, operator commands
// are carried out in the emulator, and a master killed and started again is found again by the
// agent on its own.

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/integration/fleet_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

using corral::Json;
using corral::testing::ApiClient;
using corral::testing::ChildProcess;
using corral::testing::FleetFixture;
using corral::testing::MasterProcess;
using corral::testing::TempDir;

namespace {

constexpr const char* kClusterToken = "emulator-token";

// Polls `condition` until it holds or `timeout` passes; the condition is an API call, and the
// short pause between calls only spaces them out.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

class Emulator {
 public:
  explicit Emulator(const TempDir& dir) : kubeconfig_(dir.file("kubeconfig")) {
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{CORRAL_K8S_EMULATOR_BIN, "--listen", "127.0.0.1:0", "--token",
                                 kClusterToken, "--kubeconfig-out", kubeconfig_},
        dir.file("emulator.stderr"));
    auto line = process_->waitForLine("listening on", std::chrono::seconds(30));
    REQUIRE(line);
    port_ = std::stoi(line->substr(line->rfind(':') + 1));
  }

  Json get(const std::string& path) const {
    httplib::Client client("127.0.0.1", port_);
    auto r = client.Get(path, {{"Authorization", std::string("Bearer ") + kClusterToken}});
    REQUIRE(r);
    return r->status == 200 ? Json::parse(r->body) : Json(nullptr);
  }

  const std::string& kubeconfig() const { return kubeconfig_; }

 private:
  std::string kubeconfig_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

std::unique_ptr<ChildProcess> startAgent(const TempDir& dir, int master_port,
                                         const std::string& enrollment,
                                         const std::string& kubeconfig) {
  std::string config = dir.file("agent.yaml");
  std::ofstream(config) << "name: e2e-agent\n"
                        << "server_url: http://127.0.0.1:" << master_port << "\n"
                        << "enrollment_token: " << enrollment << "\n"
                        << "cluster_id: e2e\n"
                        << "state_dir: " << dir.file("agent-state") << "\n"
                        << "health_listen: 127.0.0.1:0\n"
                        << "snapshot_interval: 60s\n"
                        << "poll_wait: 5s\n"
                        << "log: {level: debug}\n"
                        << "kubernetes:\n"
                        << "  in_cluster: false\n"
                        << "  kubeconfig: " << kubeconfig << "\n"
                        << "  dynamic_allow: [\"GET /api/\", \"GET /apis/\"]\n";
  return std::make_unique<ChildProcess>(
      std::vector<std::string>{CORRAL_AGENT_BIN, "--config", config}, dir.file("agent.stderr"));
}

// Enqueues `action` for the agent and waits for the command to end; returns the command.
Json runCommand(FleetFixture& f, const std::string& agent_id, const std::string& action,
                Json params) {
  auto created = f.enqueue(
      {{"target", {{"agent_id", agent_id}}}, {"action", action}, {"params", std::move(params)}});
  REQUIRE(created.status == 201);
  std::string id = created.json()["id"];
  Json command;
  REQUIRE(eventually([&] {
    command = f.api.get("/api/v1/commands/" + id + "?wait=10", f.admin()).json();
    std::string state = command["state"];
    return state == "succeeded" || state == "failed";
  }));
  UNSCOPED_INFO(action << " ended as " << command.dump());
  return command;
}

}  // namespace

TEST_CASE("a Kubernetes agent enrols, reports its cluster and carries out commands", "[e2e]") {
  TempDir dir;
  FleetFixture f;
  std::string pool = f.createPool("clusters", {{"pool_type", "k8s"}});
  std::string enrollment = f.enrollmentToken(pool);
  Emulator emulator(dir);
  auto agent_process = startAgent(dir, f.master.port(), enrollment, emulator.kubeconfig());

  // Enrolment: one agent appears in the pool and comes online.
  std::string agent_id;
  REQUIRE(eventually([&] {
    auto agents = f.api.get("/api/v1/agents?pool_id=" + pool, f.admin()).json();
    if (!agents.is_object() || agents["items"].empty()) {
      return false;
    }
    agent_id = agents["items"][0]["id"];
    return agents["items"][0]["status"] == "online";
  }));

  // The snapshot reaches the master with the emulator's counts.
  Json pods = emulator.get("/api/v1/pods");
  Json nodes = emulator.get("/api/v1/nodes");
  REQUIRE(pods.is_object());
  Json snapshot;
  REQUIRE(eventually([&] {
    auto r = f.api.get("/api/v1/clusters/e2e/snapshot", f.admin());
    snapshot = r.json();
    return r.status == 200;
  }));
  CHECK(snapshot["resources"]["pods"].size() == pods["items"].size());
  CHECK(snapshot["resources"]["nodes"].size() == nodes["items"].size());

  // scale: the deployment's replicas change in the emulator.
  Json deployments = emulator.get("/apis/apps/v1/deployments");
  REQUIRE(!deployments["items"].empty());
  std::string ns = deployments["items"][0]["metadata"]["namespace"];
  std::string name = deployments["items"][0]["metadata"]["name"];
  Json scaled =
      runCommand(f, agent_id, "scale", {{"namespace", ns}, {"name", name}, {"replicas", 5}});
  CHECK(scaled["state"] == "succeeded");
  CHECK(emulator.get("/apis/apps/v1/namespaces/" + ns + "/deployments/" +
                     name)["spec"]["replicas"] == 5);

  // restart: the pod template carries the restartedAt annotation.
  Json restarted = runCommand(f, agent_id, "restart", {{"namespace", ns}, {"name", name}});
  CHECK(restarted["state"] == "succeeded");
  Json deployment = emulator.get("/apis/apps/v1/namespaces/" + ns + "/deployments/" + name);
  CHECK(deployment["spec"]["template"]["metadata"]["annotations"].contains(
      "kubectl.kubernetes.io/restartedAt"));

  // get_logs and delete_pod on the first pod.
  std::string pod_ns = pods["items"][0]["metadata"]["namespace"];
  std::string pod = pods["items"][0]["metadata"]["name"];
  std::string container = pods["items"][0]["spec"]["containers"][0]["name"];
  Json logs = runCommand(
      f, agent_id, "get_logs",
      {{"namespace", pod_ns}, {"pod", pod}, {"container", container}, {"tail_lines", 5}});
  CHECK(logs["state"] == "succeeded");
  CHECK(!logs["result"]["logs"].get<std::string>().empty());
  Json deleted = runCommand(f, agent_id, "delete_pod", {{"namespace", pod_ns}, {"name", pod}});
  CHECK(deleted["state"] == "succeeded");
  CHECK(emulator.get("/api/v1/namespaces/" + pod_ns + "/pods/" + pod).is_null());

  // dynamic: an allowed GET works, a forbidden call is refused by the agent.
  Json allowed = runCommand(f, agent_id, "dynamic", {{"method", "GET"}, {"path", "/api/v1/nodes"}});
  CHECK(allowed["state"] == "succeeded");
  Json forbidden = runCommand(f, agent_id, "dynamic",
                              {{"method", "DELETE"}, {"path", "/api/v1/namespaces/default"}});
  CHECK(forbidden["state"] == "failed");
  CHECK(forbidden["error"].get<std::string>().find("not allowed") != std::string::npos);

  // The master dies and comes back on the same port: the agent finds it again by itself.
  std::string data_dir = f.master.dataDir();
  int port = f.master.port();
  f.master.kill9();
  MasterProcess again(MasterProcess::Options{
      "", {"--listen", "127.0.0.1:" + std::to_string(port)}, data_dir, false});
  ApiClient api("127.0.0.1", port);
  auto created = api.post("/api/v1/commands", f.admin(),
                          {{"target", {{"agent_id", agent_id}}},
                           {"action", "dynamic"},
                           {"params", {{"path", "/api/v1/namespaces"}}}});
  REQUIRE(created.status == 201);
  std::string id = created.json()["id"];
  REQUIRE(eventually(
      [&] {
        auto c = api.get("/api/v1/commands/" + id + "?wait=10", f.admin()).json();
        return c.is_object() && c["state"] == "succeeded";
      },
      std::chrono::seconds(60)));
  // What the agent reported before the crash is still there.
  CHECK(api.get("/api/v1/commands/" + scaled["id"].get<std::string>(), f.admin()).json()["state"] ==
        "succeeded");
  CHECK(api.get("/api/v1/clusters/e2e/snapshot", f.admin()).status == 200);

  agent_process->signal(SIGTERM);
  CHECK(agent_process->wait(std::chrono::seconds(30)) == 0);
}
