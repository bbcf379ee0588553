// Injected faults, the admin routes that inject them from other processes, and the request log.

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/k8s_emulator/emulator_test_client.h"

using corral::Json;
using corral::testing::fixtureText;
using corral::testing::HttpResult;
using corral::testing::K8sEmulator;
using corral::testing::startEmulator;
using corral::testing::TestClient;

TEST_CASE("an injected 429 answers with Retry-After, as JSON or as APF's text", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  K8sEmulator::Fault json_429;
  json_429.path_prefix = "/api/v1/pods";
  json_429.status = 429;
  json_429.retry_after_s = 3;
  emulator->injectFault(json_429);
  HttpResult limited = client.get("/api/v1/pods");
  CHECK(limited.status == 429);
  CHECK(limited.header("Retry-After") == "3");
  CHECK(limited.content_type == "application/json");
  Json status = limited.json();
  CHECK(status["reason"] == "TooManyRequests");
  CHECK(status["code"] == 429);
  CHECK(status["details"]["retryAfterSeconds"] == 3);
  // count = 1: the next request goes through.
  CHECK(client.get("/api/v1/pods").status == 200);

  K8sEmulator::Fault plain;
  plain.status = 429;
  plain.retry_after_s = 1;
  plain.plain_text_429 = true;
  emulator->injectFault(plain);
  HttpResult apf = client.get("/apis/apps/v1/deployments");
  CHECK(apf.status == 429);
  CHECK(apf.content_type == "text/plain; charset=utf-8");
  CHECK(apf.body == fixtureText("errors/429_apf_plaintext_body.txt"));
  CHECK(apf.header("Retry-After") == "1");
  CHECK(apf.header("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("injected 500 and 503 answer real Status bodies", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  K8sEmulator::Fault internal;
  internal.status = 500;
  internal.method = "GET";
  emulator->injectFault(internal);
  HttpResult failed = client.get("/api/v1/nodes");
  CHECK(failed.status == 500);
  CHECK(failed.json() == Json::parse(fixtureText("errors/500_internal_kubeclient.json")));

  K8sEmulator::Fault unavailable;
  unavailable.status = 503;
  unavailable.count = 2;
  unavailable.retry_after_s = 2;
  unavailable.path_prefix = "/apis/apps/";
  emulator->injectFault(unavailable);
  CHECK(client.get("/api/v1/pods").status == 200);  // another path
  for (int i = 0; i < 2; ++i) {
    HttpResult busy = client.get("/apis/apps/v1/deployments");
    CHECK(busy.status == 503);
    CHECK(busy.json()["reason"] == "ServiceUnavailable");
    CHECK(busy.header("Retry-After") == "2");
  }
  CHECK(client.get("/apis/apps/v1/deployments").status == 200);

  // A method filter leaves other methods alone; count <= 0 lasts until cleared.
  K8sEmulator::Fault patches;
  patches.status = 500;
  patches.method = "PATCH";
  patches.count = 0;
  emulator->injectFault(patches);
  const std::string scale = "/apis/apps/v1/namespaces/default/deployments/kotsadm-api/scale";
  CHECK(client.get(scale).status == 200);
  CHECK(client.patch(scale, Json{{"spec", {{"replicas", 2}}}}).status == 500);
  CHECK(client.patch(scale, Json{{"spec", {{"replicas", 2}}}}).status == 500);
  emulator->clearFaults();
  CHECK(client.patch(scale, Json{{"spec", {{"replicas", 2}}}}).status == 200);
}

TEST_CASE("a dropped connection gets no answer, and a delay holds the answer", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  K8sEmulator::Fault drop;
  drop.path_prefix = "/api/v1/pods";
  drop.drop_connection = true;
  emulator->injectFault(drop);
  HttpResult dropped = client.get("/api/v1/pods");
  CHECK(dropped.status == 0);
  CHECK(client.get("/api/v1/pods").status == 200);

  K8sEmulator::Fault slow;
  slow.path_prefix = "/api/v1/nodes";
  slow.delay_ms = 300;
  emulator->injectFault(slow);
  auto started = std::chrono::steady_clock::now();
  HttpResult late = client.get("/api/v1/nodes");
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(late.status == 200);
  CHECK(took >= std::chrono::milliseconds(300));

  // A delay before a drop, on a kept-alive connection too.
  drop.delay_ms = 50;
  drop.path_prefix = "/version";
  emulator->injectFault(drop);
  httplib::Client keep(emulator->baseUrl());
  keep.set_keep_alive(true);
  CHECK(keep.Get("/healthz")->status == 200);
  CHECK(!keep.Get("/version"));
  CHECK(keep.Get("/healthz")->status == 200);
}

TEST_CASE("admin routes drive the emulator from another process", "[k8s_emulator]") {
  K8sEmulator::Options options;
  options.token = "t0ken";
  auto emulator = startEmulator(options);
  TestClient admin(*emulator);  // admin routes need no token
  TestClient client(*emulator, "t0ken");

  HttpResult added = admin.send("POST", "/__emulator/faults",
                                R"({"path_prefix":"/api/v1/events","status":429,)"
                                R"("retry_after_s":7,"plain_text_429":true})",
                                "application/json");
  REQUIRE(added.status == 200);
  HttpResult limited = client.get("/api/v1/events");
  CHECK(limited.status == 429);
  CHECK(limited.header("Retry-After") == "7");
  CHECK(
      admin.send("POST", "/__emulator/faults", R"({"colour":"red"})", "application/json").status ==
      400);
  CHECK(
      admin.send("POST", "/__emulator/faults", R"([{"status":503,"count":0}])", "application/json")
          .status == 200);
  CHECK(client.get("/api/v1/pods").status == 503);
  CHECK(admin.send("DELETE", "/__emulator/faults", "", "").status == 200);
  CHECK(client.get("/api/v1/pods").status == 200);

  Json first = client.get("/api/v1/pods?limit=4").json();
  CHECK(admin.send("POST", "/__emulator/expire-continue", "", "").status == 200);
  CHECK(
      client
          .get("/api/v1/pods?limit=4&continue=" + first["metadata"]["continue"].get<std::string>())
          .status == 410);

  Json log = admin.get("/__emulator/requests").json();
  REQUIRE(log.is_array());
  CHECK(log.front() == "GET /api/v1/events");
  CHECK(log.back().get<std::string>().rfind("GET /api/v1/pods?limit=4&continue=", 0) == 0);
  CHECK(emulator->requestLog() == log.get<std::vector<std::string>>());
  CHECK(admin.send("DELETE", "/__emulator/requests", "", "").status == 200);
  CHECK(emulator->requestLog().empty());
}

TEST_CASE("the request log records method, path and query in order", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  client.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dx&limit=5");
  client.patch("/apis/apps/v1/namespaces/default/deployments/kotsadm-api/scale",
               Json{{"spec", {{"replicas", 1}}}});
  client.del("/api/v1/namespaces/default/pods/random-pod-75b66db9b9-nqhp8");
  CHECK(emulator->requestLog() ==
        std::vector<std::string>{
            "GET /api/v1/namespaces/default/pods?labelSelector=app%3Dx&limit=5",
            "PATCH /apis/apps/v1/namespaces/default/deployments/kotsadm-api/scale",
            "DELETE /api/v1/namespaces/default/pods/random-pod-75b66db9b9-nqhp8"});
}
