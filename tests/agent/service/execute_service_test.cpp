#include "agent/service/execute_service.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/agent/support/fake_k8s_client.h"
#include "tests/support/fake_clock.h"

namespace corral::agent {
namespace {

using testing::FakeK8sClient;
using testing::RecordedCall;

constexpr const char* kDeploymentPath = "/apis/apps/v1/namespaces/shop/deployments/web";

// The service over a fake API and a fake clock, allowed the default reads plus job creation in
// one namespace.
struct Harness {
  FakeK8sClient k8s;
  corral::testing::FakeClock clock;
  ExecuteService service{
      k8s, clock, {"GET /api/", "GET /apis/", "POST /apis/batch/v1/namespaces/shop/jobs"}};

  CommandOutcome run(const std::string& action, const Json& params) {
    return service.execute(action, params);
  }
  // The one call the command made; fails the test when it made none or several.
  RecordedCall onlyCall() const {
    std::vector<RecordedCall> calls = k8s.calls();
    REQUIRE(calls.size() == 1);
    return calls.front();
  }
};

TEST_CASE("scale patches the deployment's scale subresource", "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("PATCH", std::string(kDeploymentPath) + "/scale",
                    Json{{"kind", "Scale"}, {"spec", {{"replicas", 5}}}});

  CommandOutcome out = h.run("scale", {{"namespace", "shop"}, {"name", "web"}, {"replicas", 5}});

  INFO(out.error);
  REQUIRE(out.success);
  RecordedCall call = h.onlyCall();
  CHECK(call.method == "PATCH");
  CHECK(call.path == "/apis/apps/v1/namespaces/shop/deployments/web/scale");
  CHECK(call.body == Json{{"spec", {{"replicas", 5}}}});
  CHECK(call.patch_type == PatchType::kMerge);
  CHECK(out.data ==
        Json{{"namespace", "shop"}, {"name", "web"}, {"kind", "deployment"}, {"replicas", 5}});
  CHECK(out.changed_cluster);
  CHECK(out.error.empty());
}

TEST_CASE("scale of a stateful set to zero patches the stateful set's scale",
          "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("PATCH", "/apis/apps/v1/namespaces/data/statefulsets/db-0.primary/scale",
                    Json{{"spec", {{"replicas", 0}}}});

  CommandOutcome out = h.run(
      "scale",
      {{"namespace", "data"}, {"name", "db-0.primary"}, {"kind", "statefulset"}, {"replicas", 0}});

  INFO(out.error);
  REQUIRE(out.success);
  CHECK(h.onlyCall().body == Json{{"spec", {{"replicas", 0}}}});
  CHECK(out.data["kind"] == "statefulset");
  CHECK(out.data["replicas"] == 0);
}

TEST_CASE("scale reports the replicas the API answered, else the ones asked",
          "[agent][service][execute]") {
  Harness h;
  const std::string path = std::string(kDeploymentPath) + "/scale";
  Json params = {{"namespace", "shop"}, {"name", "web"}, {"replicas", 3}};

  h.k8s.setResponse("PATCH", path, Json{{"spec", {{"replicas", 4}}}});
  CHECK(h.run("scale", params).data["replicas"] == 4);

  // An answer without the field, or not even an object, is no reason to fail a done change.
  for (const Json& answer :
       {Json::object(), Json(), Json{{"spec", "?"}}, Json{{"spec", {{"replicas", "4"}}}}}) {
    INFO(answer.dump());
    h.k8s.setResponse("PATCH", path, answer);
    CommandOutcome out = h.run("scale", params);
    CHECK(out.success);
    CHECK(out.data["replicas"] == 3);
  }
}

TEST_CASE("restart merge-patches the pod template's restartedAt with the clock's time",
          "[agent][service][execute]") {
  Harness h;
  h.clock.advance(Millis(90'061'250));  // 2026-01-02T01:01:01.250Z
  h.k8s.setResponse("PATCH", kDeploymentPath, Json::object());

  CommandOutcome out = h.run("restart", {{"namespace", "shop"}, {"name", "web"}});

  INFO(out.error);
  REQUIRE(out.success);
  RecordedCall call = h.onlyCall();
  CHECK(call.method == "PATCH");
  CHECK(call.path == kDeploymentPath);
  CHECK(call.patch_type == PatchType::kMerge);
  CHECK(call.body == Json::parse(R"({"spec": {"template": {"metadata": {"annotations":
                        {"kubectl.kubernetes.io/restartedAt": "2026-01-02T01:01:01.250Z"}}}}})"));
  CHECK(out.data == Json{{"namespace", "shop"},
                         {"name", "web"},
                         {"kind", "deployment"},
                         {"restarted_at", "2026-01-02T01:01:01.250Z"}});
  CHECK(out.changed_cluster);
}

TEST_CASE("restart reaches stateful sets and daemon sets by their collections",
          "[agent][service][execute]") {
  for (const auto& [kind, collection] : std::vector<std::pair<std::string, std::string>>{
           {"statefulset", "statefulsets"}, {"daemonset", "daemonsets"}}) {
    Harness h;
    std::string path = "/apis/apps/v1/namespaces/kube-system/" + collection + "/agent";
    h.k8s.setResponse("PATCH", path, Json::object());
    CommandOutcome out =
        h.run("restart", {{"namespace", "kube-system"}, {"name", "agent"}, {"kind", kind}});
    INFO(kind << ": " << out.error);
    CHECK(out.success);
    CHECK(h.onlyCall().path == path);
  }
}

TEST_CASE("delete_pod deletes the pod with the grace period asked", "[agent][service][execute]") {
  Harness h;
  const std::string path = "/api/v1/namespaces/shop/pods/web-7d4b9c-x2x9z";
  h.k8s.setResponse("DELETE", path, Json{{"kind", "Pod"}});
  Json params = {{"namespace", "shop"}, {"name", "web-7d4b9c-x2x9z"}};

  CommandOutcome without = h.run("delete_pod", params);
  params["grace_period_s"] = 0;
  CommandOutcome immediate = h.run("delete_pod", params);
  params["grace_period_s"] = 45;
  CommandOutcome graceful = h.run("delete_pod", params);

  std::vector<RecordedCall> calls = h.k8s.calls();
  REQUIRE(calls.size() == 3);
  for (const RecordedCall& call : calls) {
    CHECK(call.method == "DELETE");
    CHECK(call.path == path);
  }
  CHECK_FALSE(calls[0].grace_period_s.has_value());  // the pod's own terminationGracePeriod
  CHECK(calls[1].grace_period_s == std::optional<int>(0));
  CHECK(calls[2].grace_period_s == std::optional<int>(45));
  for (const CommandOutcome& out : {without, immediate, graceful}) {
    CHECK(out.success);
    CHECK(out.changed_cluster);
    CHECK(out.data == Json{{"namespace", "shop"}, {"name", "web-7d4b9c-x2x9z"}, {"deleted", true}});
  }
}

TEST_CASE("get_logs passes container, tail, since, limit and previous to the API",
          "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("GET", "/api/v1/namespaces/shop/pods/web-1/log", Json("boom\nexit 1\n"));

  CommandOutcome out = h.run("get_logs", {{"namespace", "shop"},
                                          {"pod", "web-1"},
                                          {"container", "app"},
                                          {"tail_lines", 200},
                                          {"since_seconds", 3600},
                                          {"limit_bytes", 4096},
                                          {"previous", true}});

  INFO(out.error);
  REQUIRE(out.success);
  RecordedCall call = h.onlyCall();
  CHECK(call.method == "GET");
  CHECK(call.path == "/api/v1/namespaces/shop/pods/web-1/log");
  CHECK(call.log_options.container == "app");
  CHECK(call.log_options.tail_lines == std::optional<int64_t>(200));
  CHECK(call.log_options.since_seconds == std::optional<int64_t>(3600));
  CHECK(call.log_options.limit_bytes == std::optional<int64_t>(4096));
  CHECK(call.log_options.previous);
  CHECK(out.data == Json{{"namespace", "shop"},
                         {"pod", "web-1"},
                         {"container", "app"},
                         {"logs", "boom\nexit 1\n"},
                         {"truncated", false}});
  CHECK_FALSE(out.changed_cluster);
}

TEST_CASE("get_logs without options asks for the current container's last MiB at most",
          "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("GET", "/api/v1/namespaces/shop/pods/web-1/log", Json("ok\n"));

  CommandOutcome out = h.run("get_logs", {{"namespace", "shop"}, {"pod", "web-1"}});

  REQUIRE(out.success);
  LogOptions options = h.onlyCall().log_options;
  CHECK(options.container.empty());
  CHECK_FALSE(options.tail_lines.has_value());
  CHECK_FALSE(options.since_seconds.has_value());
  CHECK(options.limit_bytes == std::optional<int64_t>(1 << 20));
  CHECK_FALSE(options.previous);
}

TEST_CASE("get_logs says when the logs filled limit_bytes", "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("GET", "/api/v1/namespaces/shop/pods/web-1/log", Json("0123456789"));
  Json params = {{"namespace", "shop"}, {"pod", "web-1"}};

  params["limit_bytes"] = 10;
  CHECK(h.run("get_logs", params).data["truncated"] == true);
  params["limit_bytes"] = 11;
  CHECK(h.run("get_logs", params).data["truncated"] == false);
}

TEST_CASE("bad parameters are refused before any call, naming the parameter",
          "[agent][service][execute]") {
  struct Case {
    std::string action;
    Json params;
    std::string expected;  // part of the error
  };
  const Json web = {{"namespace", "shop"}, {"name", "web"}};
  auto with = [](Json params, const std::string& key, Json value) {
    params[key] = std::move(value);
    return params;
  };
  auto without = [](Json params, const std::string& key) {
    params.erase(key);
    return params;
  };
  const Json scale = with(web, "replicas", 2);
  const Json logs = {{"namespace", "shop"}, {"pod", "web-1"}};
  const std::vector<Case> cases = {
      {"scale", without(scale, "namespace"),
       "parameter 'params.namespace': expected a value (the field is required)"},
      {"scale", without(scale, "name"), "parameter 'params.name': expected a value"},
      {"scale", without(scale, "replicas"), "parameter 'params.replicas': expected a value"},
      {"scale", with(scale, "replicas", "3"), "parameter 'params.replicas': expected an integer"},
      {"scale", with(scale, "replicas", 2.5), "parameter 'params.replicas': expected an integer"},
      {"scale", with(scale, "replicas", -1),
       "parameter 'params.replicas': expected an integer from 0 to 10000"},
      {"scale", with(scale, "kind", "daemonset"), "parameter 'params.kind': expected one of"},
      {"scale", with(scale, "namespace", 7), "parameter 'params.namespace': expected a string"},
      {"scale", with(scale, "namespace", ""), "parameter 'params.namespace'"},
      {"scale", with(scale, "name", "../x"), "parameter 'params.name': expected a Kubernetes name"},
      {"scale", with(scale, "name", "Web"), "parameter 'params.name': expected a Kubernetes name"},
      {"scale", with(scale, "name", "web/scale"), "parameter 'params.name'"},
      {"scale", with(scale, "namespace", "shop.eu"),
       "parameter 'params.namespace': expected a Kubernetes name"},
      {"restart", with(web, "name", ".."), "parameter 'params.name'"},
      {"restart", with(web, "name", "-web"), "parameter 'params.name'"},
      {"restart", with(web, "name", "web..b"), "parameter 'params.name'"},
      {"restart", with(web, "kind", "job"), "parameter 'params.kind': expected one of"},
      {"delete_pod", with(web, "name", ".."), "parameter 'params.name'"},
      {"delete_pod", with(web, "namespace", ".."), "parameter 'params.namespace'"},
      {"delete_pod", with(web, "name", "web?dryRun=All"), "parameter 'params.name'"},
      {"delete_pod", with(web, "grace_period_s", -1), "parameter 'params.grace_period_s'"},
      {"delete_pod", with(web, "grace_period_s", "now"), "parameter 'params.grace_period_s'"},
      {"get_logs", without(logs, "pod"), "parameter 'params.pod': expected a value"},
      {"get_logs", with(logs, "pod", "Web-1"), "parameter 'params.pod'"},
      {"get_logs", with(logs, "container", "App"), "parameter 'params.container'"},
      {"get_logs", with(logs, "tail_lines", 0), "parameter 'params.tail_lines'"},
      {"get_logs", with(logs, "since_seconds", -5), "parameter 'params.since_seconds'"},
      {"get_logs", with(logs, "limit_bytes", (1 << 20) + 1), "parameter 'params.limit_bytes'"},
      {"get_logs", with(logs, "previous", "yes"), "parameter 'params.previous': expected true"},
      {"dynamic", Json::object(), "parameter 'params.path': expected a value"},
      {"dynamic", {{"path", "api/v1/pods"}}, "parameter 'params.path'"},
      {"dynamic",
       {{"path", "/api/v1/pods"}, {"method", "TRACE"}},
       "parameter 'params.method': expected one of"},
      {"dynamic",
       {{"path", "/api/v1/pods"}, {"method", 5}},
       "parameter 'params.method': expected a string"},
      {"dynamic", {{"path", "/api/v1/pods"}, {"method", "get"}}, "parameter 'params.method'"},
  };
  for (const Case& c : cases) {
    Harness h;
    CommandOutcome out;
    INFO(c.action << " " << c.params.dump());
    REQUIRE_NOTHROW(out = h.run(c.action, c.params));
    CHECK_FALSE(out.success);
    CHECK_THAT(out.error, Catch::Contains(c.expected));
    CHECK_THAT(out.error, Catch::StartsWith("invalid_argument: "));
    CHECK_FALSE(out.changed_cluster);
    CHECK(h.k8s.calls().empty());
  }
}

TEST_CASE("a null, absent or non-object params is refused, never a crash",
          "[agent][service][execute]") {
  for (const std::string& action : ExecuteService::actions()) {
    std::string first_required = action == "dynamic" ? "params.path" : "params.namespace";
    for (const Json& params : {Json(), Json::object()}) {
      Harness h;
      CommandOutcome out;
      INFO(action << " " << params.dump());
      REQUIRE_NOTHROW(out = h.run(action, params));
      CHECK_FALSE(out.success);
      CHECK(out.error == "invalid_argument: parameter '" + first_required +
                             "': expected a value (the field is required)");
      CHECK_FALSE(out.changed_cluster);
      CHECK(h.k8s.calls().empty());
    }
    for (const Json& params : {Json::array({"shop", "web"}), Json("shop/web"), Json(3)}) {
      Harness h;
      CommandOutcome out;
      INFO(action << " " << params.dump());
      REQUIRE_NOTHROW(out = h.run(action, params));
      CHECK_FALSE(out.success);
      CHECK(out.error == "invalid_argument: parameter 'params': expected a JSON object");
      CHECK(h.k8s.calls().empty());
    }
  }
}

TEST_CASE("an unknown action is refused and named", "[agent][service][execute]") {
  Harness h;
  CommandOutcome out = h.run("drain_node", {{"name", "node-1"}});
  CHECK_FALSE(out.success);
  CHECK_THAT(out.error, Catch::StartsWith("invalid_argument: unknown action 'drain_node'"));
  CHECK_THAT(out.error, Catch::Contains("scale, restart, delete_pod, get_logs and dynamic"));
  CHECK_FALSE(out.changed_cluster);
  CHECK(h.k8s.calls().empty());
}

TEST_CASE("every action announced at registration is one execute() runs",
          "[agent][service][execute]") {
  Harness h;
  CHECK(ExecuteService::actions() ==
        std::vector<std::string>{"scale", "restart", "delete_pod", "get_logs", "dynamic"});
  for (const std::string& action : ExecuteService::actions()) {
    INFO(action);
    CHECK_THAT(h.run(action, Json::object()).error, !Catch::Contains("unknown action"));
  }
}

TEST_CASE("a Kubernetes refusal keeps its code, reason and message in the command's error",
          "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("PATCH", std::string(kDeploymentPath) + "/scale",
                    notFound("NotFound: deployments.apps \"web\" not found (HTTP 404)"));
  h.k8s.setResponse(
      "DELETE", "/api/v1/namespaces/shop/pods/web-1",
      permissionDenied("Forbidden: pods \"web-1\" is forbidden: User \"system:serviceaccount:"
                       "corral:corral-agent\" cannot delete resource \"pods\" (HTTP 403)"));

  CommandOutcome scaled = h.run("scale", {{"namespace", "shop"}, {"name", "web"}, {"replicas", 1}});
  CommandOutcome deleted = h.run("delete_pod", {{"namespace", "shop"}, {"name", "web-1"}});

  CHECK_FALSE(scaled.success);
  CHECK(scaled.error == "not_found: NotFound: deployments.apps \"web\" not found (HTTP 404)");
  CHECK_FALSE(scaled.changed_cluster);
  CHECK(scaled.data == Json::object());
  CHECK_FALSE(deleted.success);
  CHECK_THAT(deleted.error, Catch::StartsWith("permission_denied: Forbidden: pods \"web-1\" is "
                                              "forbidden"));
  CHECK_THAT(deleted.error, Catch::EndsWith("(HTTP 403)"));
  CHECK_FALSE(deleted.changed_cluster);
}

TEST_CASE("dynamic runs an allowed read and passes the answer on", "[agent][service][execute]") {
  Harness h;
  const std::string path = "/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb";
  h.k8s.setResponse("GET", path, Json{{"kind", "PodList"}, {"items", Json::array()}});

  CommandOutcome out = h.run("dynamic", {{"path", path}});

  INFO(out.error);
  REQUIRE(out.success);
  RecordedCall call = h.onlyCall();
  CHECK(call.method == "GET");
  CHECK(call.path == path);
  CHECK(call.body.is_null());
  CHECK(out.data == Json{{"method", "GET"},
                         {"path", path},
                         {"response", {{"kind", "PodList"}, {"items", Json::array()}}}});
  CHECK_FALSE(out.changed_cluster);
}

TEST_CASE("dynamic sends the body of an allowed write, which changes the cluster",
          "[agent][service][execute]") {
  Harness h;
  const std::string path = "/apis/batch/v1/namespaces/shop/jobs";
  Json job = {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", "migrate"}}}};
  h.k8s.setResponse("POST", path, job);

  CommandOutcome out = h.run("dynamic", {{"method", "POST"}, {"path", path}, {"body", job}});

  INFO(out.error);
  REQUIRE(out.success);
  RecordedCall call = h.onlyCall();
  CHECK(call.method == "POST");
  CHECK(call.body == job);
  CHECK(out.changed_cluster);
}

TEST_CASE("dynamic refuses a method or path the allow-list does not name",
          "[agent][service][execute]") {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"DELETE", "/api/v1/namespaces/shop/pods/web-1"},  // reads only under /api/
      {"POST", "/apis/batch/v1/namespaces/other/jobs"},  // jobs of another namespace
      {"POST", "/apis/batch/v1/namespaces/shop/jobsx"},  // a prefix covers whole segments
      {"PUT", "/apis/batch/v1/namespaces/shop/jobs"},   {"GET", "/version"}, {"GET", "/apix/v1"},
  };
  for (const auto& [method, path] : refused) {
    Harness h;
    CommandOutcome out = h.run("dynamic", {{"method", method}, {"path", path}});
    INFO(method << " " << path);
    CHECK_FALSE(out.success);
    CHECK_THAT(out.error, Catch::StartsWith("permission_denied: dynamic request '" + method + " " +
                                            path + "' is not allowed"));
    CHECK_FALSE(out.changed_cluster);
    CHECK(h.k8s.calls().empty());
  }
}

TEST_CASE("a dynamic allow-list prefix matches whole path segments", "[agent][service][execute]") {
  FakeK8sClient k8s;
  corral::testing::FakeClock clock;
  ExecuteService service(k8s, clock, {"GET /api/v1/namespaces/shop"});
  for (const char* path :
       {"/api/v1/namespaces/shop", "/api/v1/namespaces/shop/pods", "/api/v1/namespaces/shop?x=1"}) {
    k8s.setResponse("GET", path, Json::object());
    INFO(path);
    CHECK(service.execute("dynamic", {{"path", path}}).success);
  }
  for (const char* path : {"/api/v1/namespaces/shopping/pods", "/api/v1/namespaces/sho"}) {
    INFO(path);
    CHECK_THAT(service.execute("dynamic", {{"path", path}}).error,
               Catch::Contains("is not allowed"));
  }
}

TEST_CASE("a malformed allow-list rule allows nothing", "[agent][service][execute]") {
  // An empty rule is a prefix of every request; it must not open the whole API.
  FakeK8sClient k8s;
  corral::testing::FakeClock clock;
  ExecuteService service(k8s, clock, {"", "GET", "DELETE", "get /api/", "GET api/"});
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/pods"}, {"DELETE", "/api/v1/namespaces/shop"}}) {
    INFO(method << " " << path);
    CommandOutcome out = service.execute("dynamic", {{"method", method}, {"path", path}});
    CHECK_THAT(out.error, Catch::Contains("is not allowed"));
  }
  CHECK(k8s.calls().empty());
}

TEST_CASE("dynamic refuses paths that could land elsewhere than they read",
          "[agent][service][execute]") {
  FakeK8sClient k8s;
  corral::testing::FakeClock clock;
  ExecuteService service(k8s, clock, {"GET /", "DELETE /api/v1/namespaces/shop/pods/"});
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"GET", "/api/../apis"},
      {"DELETE", "/api/v1/namespaces/shop/pods/.."},
      {"DELETE", "/api/v1/namespaces/shop/pods/%2e%2e"},
      {"GET", "/api/v1/namespaces/shop/%73ecrets"},
      {"GET", "/api/v1/namespaces\\shop"},
      {"GET", "/api/v1/pods #"},
      {"GET", "/api/v1/pods\r\nX-Injected: 1"},
      {"GET", "/api/v1/pods?x=1#frag"},
  };
  for (const auto& [method, path] : refused) {
    INFO(method << " " << path);
    CommandOutcome out = service.execute("dynamic", {{"method", method}, {"path", path}});
    CHECK_FALSE(out.success);
    CHECK_THAT(out.error, Catch::StartsWith("invalid_argument: parameter 'params.path'"));
  }
  CHECK(k8s.calls().empty());
}

TEST_CASE("dynamic never reads secrets, whatever the allow-list says",
          "[agent][service][execute]") {
  FakeK8sClient k8s;
  corral::testing::FakeClock clock;
  ExecuteService service(k8s, clock, {"GET /"});
  for (const char* path : {"/api/v1/secrets", "/api/v1/namespaces/shop/secrets/db",
                           "/api/v1/namespaces/shop/secrets"}) {
    INFO(path);
    CommandOutcome out = service.execute("dynamic", {{"path", path}});
    CHECK_THAT(out.error, Catch::Contains("is not allowed"));
  }
  CHECK(k8s.calls().empty());
}

TEST_CASE("start, finish and duration come from the injected clock", "[agent][service][execute]") {
  Harness h;
  h.k8s.setResponse("PATCH", kDeploymentPath, Json::object());
  h.k8s.setOnCall([&] { h.clock.advance(Millis(1'500)); });

  CommandOutcome out = h.run("restart", {{"namespace", "shop"}, {"name", "web"}});

  REQUIRE(out.success);
  CHECK(out.started_at == "2026-01-01T00:00:00.000Z");
  CHECK(out.finished_at == "2026-01-01T00:00:01.500Z");
  CHECK(out.duration_ms == 1'500);
  // The annotation is the time the patch was built, before the call returned.
  CHECK(out.data["restarted_at"] == "2026-01-01T00:00:00.000Z");
}

TEST_CASE("a failed command is timed too", "[agent][service][execute]") {
  Harness h;
  h.k8s.setOnCall([&] { h.clock.advance(Millis(250)); });

  CommandOutcome out = h.run("delete_pod", {{"namespace", "shop"}, {"name", "gone"}});

  CHECK_FALSE(out.success);
  CHECK_THAT(out.error, Catch::StartsWith("not_found: "));
  CHECK(out.started_at == "2026-01-01T00:00:00.000Z");
  CHECK(out.finished_at == "2026-01-01T00:00:00.250Z");
  CHECK(out.duration_ms == 250);
}

}  // namespace
}  // namespace corral::agent
