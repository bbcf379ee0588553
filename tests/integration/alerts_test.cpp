// Alerts over the real master: a snapshot with a crash-looping pod (the recorded fixture, through
// the agent's converters) fires an alert, a healthy one resolves it, an operator acknowledges it,
// and a webhook receiver on loopback gets a POST for each state change.

#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/gzip.h"
#include "tests/integration/fleet_fixture.h"
#include "tests/master/inventory/sample_snapshots.h"

using corral::Json;
using corral::testing::FleetFixture;
using corral::testing::MasterProcess;
using corral::testing::RegisteredAgent;

namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

// An HTTP server on a loopback port of its own that records every POST to /hook.
class WebhookReceiver {
 public:
  struct Post {
    std::string authorization;
    std::string idempotency_key;
    Json body;
  };

  WebhookReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex_);
        posts_.push_back({req.get_header_value("Authorization"),
                          req.get_header_value("Idempotency-Key"),
                          Json::parse(req.body, nullptr, /*allow_exceptions=*/false)});
      }
      posted_.notify_all();
      res.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  // The posts once there are at least `count`, or what came before the deadline.
  std::vector<Post> waitFor(size_t count, seconds deadline = seconds(20)) {
    std::unique_lock lock(mutex_);
    posted_.wait_for(lock, deadline, [&] { return posts_.size() >= count; });
    return posts_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable posted_;
  std::vector<Post> posts_;  // guarded by mutex_
};

MasterProcess::Options withWebhook(const std::string& url) {
  MasterProcess::Options options;
  options.config_yaml =
      "alerts:\n"
      "  webhook:\n"
      "    url: " +
      url +
      "\n"
      "    bearer_token: hook-secret\n"
      "    retry_base: 50ms\n"
      "    retry_cap: 200ms\n";
  return options;
}

struct AlertsFixture : FleetFixture {
  explicit AlertsFixture(const std::string& webhook_url) : FleetFixture(withWebhook(webhook_url)) {
    std::string pool = createPool("clusters", {{"pool_type", "k8s"}});
    Json body = registerBody("prod-agent");
    body["type"] = "k8s";
    body["cluster_id"] = "prod";
    auto r = api.post("/api/v1/agent/register", enrollmentToken(pool), body);
    REQUIRE(r.status == 201);
    agent = {r.json()["agent_id"].get<std::string>(), r.json()["agent_token"].get<std::string>()};
    viewer = operatorToken("viewer");
    ops = operatorToken("operator");
  }

  // Uploads the recorded cluster's crash-looping pod (or the same pod running) as `version`,
  // gzip-compressed as the agent sends it.
  void upload(int64_t version, bool crash_looping) {
    auto snapshot = corral::testing::sampleCluster(0, "prod", version);
    auto& pods = snapshot.resources.pods;
    std::erase_if(pods, [](const auto& pod) { return pod.meta.name != "init-demo"; });
    REQUIRE(pods.size() == 1);
    if (!crash_looping) {
      pods[0].reason = "Running";
      pods[0].containers[0].state = "running";
      pods[0].containers[0].reason = "";
    }
    auto compressed = corral::gzipCompress(corral::testing::envelopeJson(snapshot));
    REQUIRE(compressed.isOk());
    httplib::Client client("127.0.0.1", master.port());
    httplib::Headers headers{{"Authorization", "Bearer " + agent.token},
                             {"Content-Encoding", "gzip"}};
    auto r = client.Post("/api/v1/agent/snapshot", headers, *compressed, "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE((r->status == 200 || r->status == 201));
  }

  // The crash-loop alerts in `state`, once there is one, or none after the deadline: the alert
  // is decided off the upload's thread, so each round asks the master again.
  Json waitForAlert(const std::string& state, seconds deadline = seconds(20)) {
    auto until = steady_clock::now() + deadline;
    Json items;
    while (steady_clock::now() < until) {
      auto r = api.get("/api/v1/alerts?rule=pod_crash_loop&state=" + state, viewer.token);
      REQUIRE(r.status == 200);
      items = r.json()["items"];
      if (!items.empty()) {
        break;
      }
    }
    return items;
  }

  RegisteredAgent agent;
  corral::testing::OperatorToken viewer;
  corral::testing::OperatorToken ops;
};

}  // namespace

TEST_CASE(
    "a crash-looping pod fires an alert that an operator acknowledges and a healthy "
    "snapshot resolves, each change posted to the webhook",
    "[integration][alerts]") {
  WebhookReceiver receiver;
  AlertsFixture f(receiver.url());

  f.upload(1, /*crash_looping=*/true);
  Json firing = f.waitForAlert("firing");
  REQUIRE(firing.size() == 1);
  const Json& alert = firing[0];
  std::string id = alert["id"].get<std::string>();
  CHECK(alert["rule"] == "pod_crash_loop");
  CHECK(alert["severity"] == "warning");
  CHECK(alert["state"] == "firing");
  CHECK(alert["cluster_id"] == "prod");
  CHECK(alert["summary"] == "Pod message-pod-crashloop-backoff/init-demo is crash-looping");
  CHECK(alert["labels"]["cluster"] == "prod");
  CHECK(alert["labels"]["namespace"] == "message-pod-crashloop-backoff");
  CHECK(alert["labels"]["name"] == "init-demo");
  CHECK(alert["labels"]["agent"] == "prod-agent");
  CHECK(alert["labels"]["agent_id"] == f.agent.id);
  CHECK(alert["labels"]["pool"] == "clusters");
  CHECK(alert["acknowledged"] == false);
  CHECK(alert["resolved_at"].is_null());
  CHECK(alert["fingerprint"].get<std::string>().size() == 16);

  auto posts = receiver.waitFor(1);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].authorization == "Bearer hook-secret");
  CHECK(posts[0].idempotency_key == id + ":firing");
  CHECK(posts[0].body["status"] == "firing");
  CHECK(posts[0].body["alert"]["id"] == id);

  auto scrape = f.api.get("/metrics", "");
  REQUIRE(scrape.status == 200);
  CHECK(scrape.body.find("corral_alerts_firing{rule=\"pod_crash_loop\",severity=\"warning\"} 1") !=
        std::string::npos);

  // Seen again: the same alert, not a new one.
  f.upload(2, /*crash_looping=*/true);
  // Acknowledging takes the operator role.
  auto refused = f.api.post("/api/v1/alerts/" + id + "/ack", f.viewer.token, Json::object());
  CHECK(refused.status == 403);
  auto acked = f.api.post("/api/v1/alerts/" + id + "/ack", f.ops.token, {{"comment", "on it"}});
  INFO(acked.body);
  REQUIRE(acked.status == 200);
  CHECK(acked.json()["acknowledged"] == true);
  CHECK(acked.json()["acknowledgement"]["by"] == f.ops.id);
  CHECK(acked.json()["acknowledgement"]["comment"] == "on it");
  CHECK(acked.json()["state"] == "firing");
  auto audit = f.api.get("/api/v1/audit?action=alert.", f.admin());
  REQUIRE(audit.status == 200);
  REQUIRE(audit.json()["items"].size() == 1);
  CHECK(audit.json()["items"][0]["target"] == id);
  CHECK(audit.json()["items"][0]["actor"] == f.ops.id);

  f.upload(3, /*crash_looping=*/false);
  Json resolved = f.waitForAlert("resolved");
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0]["id"] == id);
  auto one = f.api.get("/api/v1/alerts/" + id, f.viewer.token);
  REQUIRE(one.status == 200);
  CHECK(one.json()["state"] == "resolved");
  CHECK(one.json()["acknowledged"] == true);
  CHECK_FALSE(one.json()["resolved_at"].is_null());
  CHECK(one.json()["count"].get<int64_t>() >= 1);

  posts = receiver.waitFor(2);
  REQUIRE(posts.size() == 2);
  CHECK(posts[1].body["status"] == "resolved");
  CHECK(posts[1].body["alert"]["id"] == id);
  CHECK(posts[1].idempotency_key == id + ":resolved");

  // The list answers in the shape of the other lists, and refuses filters it does not know.
  auto all = f.api.get("/api/v1/alerts?acknowledged=true&limit=1", f.viewer.token);
  REQUIRE(all.status == 200);
  CHECK(all.json()["items"].size() == 1);
  CHECK(all.json().contains("continue"));
  CHECK(f.api.get("/api/v1/alerts?state=open", f.viewer.token).status == 422);
  CHECK(f.api.get("/api/v1/alerts?rule=pod_crashes", f.viewer.token).status == 422);
  CHECK(f.api.get("/api/v1/alerts?since=yesterday", f.viewer.token).status == 422);
  CHECK(f.api.get("/api/v1/alerts/alt_missing", f.viewer.token).status == 404);
  CHECK(f.api.post("/api/v1/alerts/alt_missing/ack", f.ops.token, Json::object()).status == 404);
}
