// makeK8sClient end to end: RestK8sClient over the libcurl transport, against a small API server
// made with cpp-httplib on a loopback port chosen by the kernel.

#include "agent/sdk/k8s_client_factory.h"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace corral::agent {

namespace {

using testing::FakeClock;
using testing::TempDir;

// Serves three pods, a page of `limit` at a time, and one pod by name, to the right token only.
class MiniApiServer {
 public:
  MiniApiServer() {
    server_.new_task_queue = [this] { return new CountingTaskQueue(accepted_); };
    server_.Get(
        "/api/v1/namespaces/default/pods", [](const httplib::Request& req, httplib::Response& res) {
          if (!authorized(req, res)) {
            return;
          }
          size_t limit = std::stoul(req.get_param_value("limit"));
          size_t from = req.has_param("continue") ? std::stoul(req.get_param_value("continue")) : 0;
          Json items = Json::array();
          for (size_t i = from; i < std::min(from + limit, kPods.size()); ++i) {
            items.push_back({{"metadata", {{"name", kPods[i]}}}});
          }
          Json metadata = Json::object();
          if (from + limit < kPods.size()) {
            metadata["continue"] = std::to_string(from + limit);
          }
          Json list = {
              {"kind", "PodList"}, {"apiVersion", "v1"}, {"metadata", metadata}, {"items", items}};
          res.set_content(list.dump(), "application/json");
        });
    server_.Get(R"(/api/v1/namespaces/default/pods/([^/]+))",
                [](const httplib::Request& req, httplib::Response& res) {
                  if (!authorized(req, res)) {
                    return;
                  }
                  std::string name = req.matches[1];
                  if (std::find(kPods.begin(), kPods.end(), name) == kPods.end()) {
                    res.status = 404;
                    Json status = {{"kind", "Status"},
                                   {"reason", "NotFound"},
                                   {"message", "pods \"" + name + "\" not found"},
                                   {"code", 404}};
                    res.set_content(status.dump(), "application/json");
                    return;
                  }
                  Json pod = {{"kind", "Pod"}, {"metadata", {{"name", name}}}};
                  res.set_content(pod.dump(), "application/json");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~MiniApiServer() {
    server_.stop();
    thread_.join();
  }
  MiniApiServer(const MiniApiServer&) = delete;
  MiniApiServer& operator=(const MiniApiServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }

 private:
  class CountingTaskQueue final : public httplib::TaskQueue {
   public:
    explicit CountingTaskQueue(std::atomic<int>& accepted) : pool_(4), accepted_(accepted) {}
    void enqueue(std::function<void()> fn) override {
      ++accepted_;
      pool_.enqueue(std::move(fn));
    }
    void shutdown() override { pool_.shutdown(); }

   private:
    httplib::ThreadPool pool_;
    std::atomic<int>& accepted_;
  };

  static bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == "Bearer test-token") {
      return true;
    }
    res.status = 401;
    res.set_content(R"({"kind":"Status","reason":"Unauthorized","message":"Unauthorized"})",
                    "application/json");
    return false;
  }

  static inline const std::vector<std::string> kPods = {"web-0", "web-1", "web-2"};

  httplib::Server server_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("makeK8sClient talks to an API server over one kept-alive connection", "[k8s][curl]") {
  MiniApiServer api;
  FakeClock clock;
  K8sConnection connection;
  connection.endpoint.server = api.url();
  connection.endpoint.bearer_token = "test-token";
  Result<std::unique_ptr<K8sClient>> client = makeK8sClient(connection, clock);
  REQUIRE(client.isOk());

  ListOptions two_per_page;
  two_per_page.page_size = 2;
  Result<std::vector<Json>> pods = (*client)->list("/api/v1/namespaces/default/pods", two_per_page);
  REQUIRE(pods.isOk());
  REQUIRE(pods->size() == 3);
  CHECK((*pods)[2]["metadata"]["name"] == "web-2");
  CHECK((*pods)[2]["kind"] == "Pod");

  Result<Json> pod = (*client)->get("/api/v1/namespaces/default/pods/web-1");
  REQUIRE(pod.isOk());
  CHECK((*pod)["metadata"]["name"] == "web-1");

  Result<Json> missing = (*client)->get("/api/v1/namespaces/default/pods/web-9");
  REQUIRE_FALSE(missing.isOk());
  CHECK(missing.status().code() == ErrorCode::kNotFound);
  CHECK(missing.status().message() == "NotFound: pods \"web-9\" not found (HTTP 404)");

  CHECK(api.accepted() == 1);  // two pages and two GETs on the same connection
}

TEST_CASE("makeK8sClient sends no token it was not given", "[k8s][curl]") {
  MiniApiServer api;
  FakeClock clock;
  K8sConnection connection;
  connection.endpoint.server = api.url();
  Result<std::unique_ptr<K8sClient>> client = makeK8sClient(connection, clock);
  REQUIRE(client.isOk());
  Result<Json> pod = (*client)->get("/api/v1/namespaces/default/pods/web-1");
  REQUIRE_FALSE(pod.isOk());
  CHECK(pod.status().code() == ErrorCode::kUnauthenticated);
}

TEST_CASE("makeK8sClient fails when the CA file cannot be read", "[k8s][curl]") {
  TempDir dir;
  FakeClock clock;
  K8sConnection connection;
  connection.endpoint.server = "https://127.0.0.1:1";
  connection.tls.ca_file = dir.file("missing-ca.crt");
  Result<std::unique_ptr<K8sClient>> client = makeK8sClient(connection, clock);
  REQUIRE_FALSE(client.isOk());
  CHECK_THAT(client.status().message(), Catch::Contains("missing-ca.crt"));
}

}  // namespace corral::agent
