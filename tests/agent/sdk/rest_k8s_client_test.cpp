// RestK8sClient against a FakeTransport and a FakeClock that advances by itself on sleepFor(), so
// every wait is recorded and nothing waits for real.

#include "agent/sdk/rest_k8s_client.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/fake_clock.h"
#include "tests/support/fake_transport.h"
#include "tests/support/temp_dir.h"

namespace corral::agent {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeClock;
using testing::FakeTransport;
using testing::queryParam;
using testing::requestHeader;
using testing::TempDir;
using testing::urlPath;

constexpr const char* kServer = "https://10.96.0.1:443";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CORRAL_K8S_FIXTURES) + "/errors/" + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Json pod(const std::string& name) { return {{"metadata", {{"name", name}}}}; }

std::string podList(std::vector<Json> items, const std::string& continue_token = "") {
  Json metadata = {{"resourceVersion", "100"}};
  if (!continue_token.empty()) {
    metadata["continue"] = continue_token;
  }
  return Json{{"kind", "PodList"}, {"apiVersion", "v1"}, {"metadata", metadata}, {"items", items}}
      .dump();
}

std::vector<std::string> names(const std::vector<Json>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const Json& item : items) {
    out.push_back(item["metadata"]["name"].get<std::string>());
  }
  return out;
}

// A client whose backoff jitter is a fixed value unless a test sets its own, on a clock that
// advances through every wait by itself.
struct Harness {
  explicit Harness(K8sEndpoint endpoint = {kServer, "secret-token", "", milliseconds(5'000)},
                   K8sRetryPolicy policy = fixedPolicy())
      : client(transport, clock, std::move(endpoint), std::move(policy)) {
    clock.setAutoAdvance(true);
  }

  static K8sRetryPolicy fixedPolicy() {
    K8sRetryPolicy policy;
    policy.random = [] { return uint64_t{0}; };
    return policy;
  }

  FakeTransport transport;
  FakeClock clock;
  RestK8sClient client;
};

}  // namespace

TEST_CASE("list follows continue tokens and fills kind and apiVersion of every item", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({pod("a"), pod("b")}, "page/2+="));
  h.transport.respond(200, podList({pod("c")}));

  ListOptions two_per_page;
  two_per_page.page_size = 2;
  Result<std::vector<Json>> items = h.client.list("/api/v1/pods", two_per_page);
  REQUIRE(items.isOk());
  CHECK(names(*items) == std::vector<std::string>{"a", "b", "c"});
  for (const Json& item : *items) {
    CHECK(item["kind"] == "Pod");
    CHECK(item["apiVersion"] == "v1");
  }

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  for (const HttpRequest& r : requests) {
    CHECK(r.method == "GET");
    CHECK(r.url.rfind(std::string(kServer) + "/api/v1/pods?", 0) == 0);
    CHECK(queryParam(r.url, "limit") == "2");
    CHECK(requestHeader(r, "Authorization") == "Bearer secret-token");
    CHECK(r.timeout == milliseconds(5'000));
  }
  CHECK(queryParam(requests[0].url, "continue").empty());
  CHECK(queryParam(requests[1].url, "continue") == "page/2+=");
  CHECK(requests[1].url.find("continue=page%2F2%2B%3D") != std::string::npos);
  CHECK(h.clock.sleeps().empty());
}

TEST_CASE("list keeps kinds the items carry and strips List from other groups' kinds", "[k8s]") {
  Harness h;
  Json own = pod("own");
  own["kind"] = "Special";
  h.transport.respond(200, Json{{"kind", "DeploymentList"},
                                {"apiVersion", "apps/v1"},
                                {"metadata", Json::object()},
                                {"items", {pod("d"), own}}}
                               .dump());
  Result<std::vector<Json>> items = h.client.list("/apis/apps/v1/namespaces/x/deployments", {});
  REQUIRE(items.isOk());
  REQUIRE(items->size() == 2);
  CHECK((*items)[0]["kind"] == "Deployment");
  CHECK((*items)[0]["apiVersion"] == "apps/v1");
  CHECK((*items)[1]["kind"] == "Special");
  CHECK(queryParam(h.transport.requests()[0].url, "limit") == "500");
}

TEST_CASE("list URL-encodes label and field selectors", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({}));
  ListOptions options;
  options.label_selector = "app in (web, api),tier!=db";
  options.field_selector = "status.phase=Running,spec.nodeName=node-1";
  REQUIRE(h.client.list("/api/v1/namespaces/default/pods", options).isOk());

  const std::string url = h.transport.requests().at(0).url;
  CHECK(url.find("labelSelector=app%20in%20%28web%2C%20api%29%2Ctier%21%3Ddb") !=
        std::string::npos);
  CHECK(url.find("fieldSelector=status.phase%3DRunning%2Cspec.nodeName%3Dnode-1") !=
        std::string::npos);
  CHECK(queryParam(url, "labelSelector") == options.label_selector);
  CHECK(queryParam(url, "fieldSelector") == options.field_selector);
  CHECK(urlPath(url) == "/api/v1/namespaces/default/pods");
}

TEST_CASE("list restarts from the first page when a continue token has expired", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({pod("a")}, "old"));
  h.transport.respond(410, fixture("410_expired_k8s1.9_kubeclient.json"));
  h.transport.respond(200, podList({pod("a2")}, "new"));
  h.transport.respond(200, podList({pod("b2")}));

  Result<std::vector<Json>> items = h.client.list("/api/v1/pods", {});
  REQUIRE(items.isOk());
  CHECK(names(*items) == std::vector<std::string>{"a2", "b2"});  // nothing from the stale pass
  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 4);
  CHECK(queryParam(requests[1].url, "continue") == "old");
  CHECK(queryParam(requests[2].url, "continue").empty());
  CHECK(queryParam(requests[3].url, "continue") == "new");
}

TEST_CASE("listEach hands items over page by page and announces a restart", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({pod("a")}, "old"));
  h.transport.respond(410, fixture("410_expired_k8s1.9_kubeclient.json"));
  h.transport.respond(200, podList({pod("a2")}, "new"));
  h.transport.respond(200, podList({pod("b2")}));

  std::vector<std::string> events;
  Status status = h.client.listEach(
      "/api/v1/pods", {},
      [&](Json& item) {
        events.push_back(item["metadata"]["name"].get<std::string>() + "/" +
                         item["kind"].get<std::string>());
      },
      [&] { events.emplace_back("restart"); });
  REQUIRE(status.isOk());
  CHECK(events == std::vector<std::string>{"a/Pod", "restart", "a2/Pod", "b2/Pod"});
}

TEST_CASE("listEach asks for the next page before it reads this page's items", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({pod("a")}, "next"));
  h.transport.respond(200, podList({pod("b")}));
  std::vector<size_t> requests_seen;
  Status status = h.client.listEach(
      "/api/v1/pods", {},
      [&](Json&) {
        // The second request goes out on another thread; give it a moment to be recorded.
        auto deadline = std::chrono::steady_clock::now() + seconds(10);
        while (h.transport.requests().size() < 2 && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::yield();
        }
        requests_seen.push_back(h.transport.requests().size());
      },
      [] {});
  REQUIRE(status.isOk());
  CHECK(requests_seen == std::vector<size_t>{2, 2});
  CHECK(queryParam(h.transport.requests()[1].url, "continue") == "next");
}

TEST_CASE("listEach reports a page that is not JSON as the list's error", "[k8s]") {
  Harness h;
  h.transport.respond(200, podList({pod("a")}, "next"));
  h.transport.respond(200, "<html>proxy error</html>");
  int visited = 0;
  Status status = h.client.listEach(
      "/api/v1/pods", {}, [&](Json&) { ++visited; }, [] {});
  CHECK(status.code() == ErrorCode::kInternal);
  CHECK(status.message() ==
        "the API server answered a list of /api/v1/pods with a body that is not JSON");
  CHECK(visited == 1);
}

TEST_CASE("list gives up after three restarts with the Expired status", "[k8s]") {
  Harness h;
  for (int i = 0; i < 4; ++i) {
    h.transport.respond(410, fixture("410_expired_k8s1.9_kubeclient.json"));
  }
  Result<std::vector<Json>> items = h.client.list("/api/v1/pods", {});
  REQUIRE_FALSE(items.isOk());
  CHECK(items.status().code() == ErrorCode::kConflict);
  CHECK_THAT(items.status().message(),
             Catch::StartsWith("Expired: The provided from parameter is too old") &&
                 Catch::EndsWith("(HTTP 410)"));
  CHECK(h.transport.requests().size() == 4);
  CHECK(h.transport.pending() == 0);
}

TEST_CASE("a 429 with Retry-After waits exactly that long, then retries", "[k8s]") {
  Harness h;
  SteadyTime start = h.clock.now();
  h.transport.respond(429, fixture("429_toomanyrequests_eviction_pdb_capture.json"),
                      {{"Retry-After", "7"}, {"Content-Type", "application/json"}});
  h.transport.respond(200, R"({"metadata":{"name":"web-0"}})");

  Result<Json> got = h.client.get("/api/v1/namespaces/default/pods/web-0");
  REQUIRE(got.isOk());
  CHECK((*got)["metadata"]["name"] == "web-0");
  CHECK(h.clock.sleeps() == std::vector<milliseconds>{seconds(7)});
  CHECK(h.clock.now() - start == seconds(7));
  CHECK(h.transport.requests().size() == 2);
}

TEST_CASE("a plain-text 429 from priority-and-fairness is retried, then reported", "[k8s]") {
  Harness h;
  for (int i = 0; i < 6; ++i) {
    h.transport.respond(429, fixture("429_apf_plaintext_body.txt"),
                        {{"Retry-After", "2"}, {"Content-Type", "text/plain; charset=utf-8"}});
  }
  Result<std::vector<Json>> items = h.client.list("/api/v1/pods", {});
  REQUIRE_FALSE(items.isOk());
  CHECK(items.status().code() == ErrorCode::kResourceExhausted);
  CHECK(items.status().message() ==
        "TooManyRequests: Too many requests, please try again later. (HTTP 429)");
  CHECK(h.clock.sleeps() == std::vector<milliseconds>(5, seconds(2)));
  CHECK(h.transport.requests().size() == 6);
}

TEST_CASE("a Retry-After longer than the backoff cap is cut to the cap", "[k8s]") {
  Harness h;
  h.transport.respond(503, "", {{"Retry-After", "3600"}});
  h.transport.respond(200, "{}");
  REQUIRE(h.client.get("/version").isOk());
  CHECK(h.clock.sleeps() == std::vector<milliseconds>{seconds(30)});
}

TEST_CASE("a 503 without Retry-After backs off exponentially within the cap", "[k8s]") {
  SECTION("the jitter spans up to base * 2^attempt") {
    // Returning each ceiling in turn makes the jittered wait equal to the ceiling.
    std::vector<uint64_t> draws = {1'000, 2'000, 4'000, 8'000, 16'000};
    K8sRetryPolicy policy;
    policy.random = [draws, i = size_t{0}]() mutable { return draws.at(i++); };
    Harness h({kServer, "", "", milliseconds(5'000)}, policy);
    for (int i = 0; i < 6; ++i) {
      h.transport.respond(503, "service unavailable");
    }
    Result<Json> got = h.client.get("/api/v1/nodes/n1");
    REQUIRE_FALSE(got.isOk());
    CHECK(got.status().code() == ErrorCode::kUnavailable);
    CHECK(got.status().message() == "ServiceUnavailable: service unavailable (HTTP 503)");
    CHECK(h.clock.sleeps() ==
          std::vector<milliseconds>{seconds(1), seconds(2), seconds(4), seconds(8), seconds(16)});
  }
  SECTION("no wait passes the cap") {
    K8sRetryPolicy policy;
    policy.backoff_cap = seconds(5);
    // 7999 is below an uncapped ceiling of 8s or 16s but above the 5s cap, so only a capped
    // backoff keeps every wait within 5s.
    policy.random = [] { return uint64_t{7'999}; };
    Harness h({kServer, "", "", milliseconds(5'000)}, policy);
    for (int i = 0; i < 5; ++i) {
      h.transport.respond(503, "");
    }
    h.transport.respond(200, "{}");
    REQUIRE(h.client.get("/api/v1/nodes/n1").isOk());
    std::vector<milliseconds> ceilings = {seconds(1), seconds(2), seconds(4), seconds(5),
                                          seconds(5)};
    auto sleeps = h.clock.sleeps();
    REQUIRE(sleeps.size() == ceilings.size());
    for (size_t i = 0; i < sleeps.size(); ++i) {
      INFO("retry " << i);
      CHECK(sleeps[i] <= ceilings[i]);
    }
  }
}

TEST_CASE("an interrupted wait ends the call as unavailable", "[k8s]") {
  Harness h;
  h.clock.interrupt();
  h.transport.respond(429, "", {{"Retry-After", "1"}});
  Result<Json> got = h.client.get("/api/v1/pods");
  REQUIRE_FALSE(got.isOk());
  CHECK(got.status().code() == ErrorCode::kUnavailable);
  CHECK_THAT(got.status().message(), Catch::Contains("interrupted"));
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("Status bodies become Status values with the reason and message kept", "[k8s]") {
  struct Case {
    int http;
    std::string body;
    ErrorCode code;
    std::string message;
  };
  std::vector<Case> cases = {
      {401, fixture("401_unauthorized_microk8s_capture.json"), ErrorCode::kUnauthenticated,
       "Unauthorized: Unauthorized (HTTP 401)"},
      {403, fixture("403_forbidden_list_pods_kube-oidc-proxy-e2e.json"),
       ErrorCode::kPermissionDenied,
       "Forbidden: pods is forbidden: User \"test-username\" cannot list resource \"pods\" in API "
       "group \"\" in the namespace \"kube-oidc-proxy-e2e-rbac\" (HTTP 403)"},
      {404,
       R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound",)"
       R"("message":"pods \"x\" not found","code":404})",
       ErrorCode::kNotFound, "NotFound: pods \"x\" not found (HTTP 404)"},
      {404, fixture("404_notfound_kubeclient.json"), ErrorCode::kNotFound,
       "NotFound: the server could not find the requested resource (HTTP 404)"},
      {409, fixture("409_alreadyexists_kubeclient.json"), ErrorCode::kConflict,
       "AlreadyExists: namespaces \"default\" already exists (HTTP 409)"},
      {422, R"({"kind":"Status","reason":"Invalid","message":"spec.replicas: Invalid value"})",
       ErrorCode::kInvalidArgument, "Invalid: spec.replicas: Invalid value (HTTP 422)"},
      {500, fixture("500_internal_kubeclient.json"), ErrorCode::kUnavailable,
       "InternalError: converting  to : type names don't match (Pod, Namespace) (HTTP 500)"},
      {502, "<html>bad gateway</html>", ErrorCode::kUnavailable,
       "HTTP502: <html>bad gateway</html> (HTTP 502)"},
  };
  for (const Case& c : cases) {
    INFO("HTTP " << c.http);
    Harness h;
    h.transport.respond(c.http, c.body);
    Result<Json> got = h.client.get("/api/v1/namespaces/default/pods/x");
    REQUIRE_FALSE(got.isOk());
    CHECK(got.status().code() == c.code);
    CHECK(got.status().message() == c.message);
    CHECK(h.transport.requests().size() == 1);  // none of these is retried
  }
}

TEST_CASE("a network failure comes back unchanged and is not retried", "[k8s]") {
  Harness h;
  h.transport.fail(unavailable("GET https://10.96.0.1:443/api: Connection refused"));
  Result<Json> got = h.client.get("/api");
  REQUIRE_FALSE(got.isOk());
  CHECK(got.status().code() == ErrorCode::kUnavailable);
  CHECK(got.status().message() == "GET https://10.96.0.1:443/api: Connection refused");
  CHECK(h.transport.requests().size() == 1);
}

TEST_CASE("logs asks for the options as query parameters and returns the text", "[k8s]") {
  Harness h;
  h.transport.respond(200, "line 1\nline 2\n", {{"Content-Type", "text/plain"}});
  h.transport.respond(200, "");
  LogOptions options;
  options.container = "app";
  options.tail_lines = 100;
  options.since_seconds = 60;
  options.limit_bytes = 4096;
  options.previous = true;
  Result<std::string> text = h.client.logs("ns-1", "web-0", options);
  REQUIRE(text.isOk());
  CHECK(*text == "line 1\nline 2\n");
  Result<std::string> empty = h.client.logs("ns-1", "web-0", {});
  REQUIRE(empty.isOk());
  CHECK(empty->empty());

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "GET");
  CHECK(urlPath(requests[0].url) == "/api/v1/namespaces/ns-1/pods/web-0/log");
  CHECK(queryParam(requests[0].url, "container") == "app");
  CHECK(queryParam(requests[0].url, "tailLines") == "100");
  CHECK(queryParam(requests[0].url, "sinceSeconds") == "60");
  CHECK(queryParam(requests[0].url, "limitBytes") == "4096");
  CHECK(queryParam(requests[0].url, "previous") == "true");
  CHECK(requests[1].url == std::string(kServer) + "/api/v1/namespaces/ns-1/pods/web-0/log");
}

TEST_CASE("logs of a missing pod is the API's NotFound", "[k8s]") {
  Harness h;
  h.transport.respond(404, R"({"kind":"Status","reason":"NotFound","message":"pods \"gone\" not )"
                           R"(found","code":404})");
  Result<std::string> text = h.client.logs("default", "gone", {});
  REQUIRE_FALSE(text.isOk());
  CHECK(text.status().code() == ErrorCode::kNotFound);
  CHECK(text.status().message() == "NotFound: pods \"gone\" not found (HTTP 404)");
}

TEST_CASE("patch sends the body with the content type of its kind", "[k8s]") {
  struct Case {
    PatchType type;
    const char* content_type;
    Json body;
  };
  std::vector<Case> cases = {
      {PatchType::kMerge, "application/merge-patch+json", {{"spec", {{"replicas", 3}}}}},
      {PatchType::kStrategicMerge,
       "application/strategic-merge-patch+json",
       {{"metadata", {{"labels", {{"a", "b"}}}}}}},
      {PatchType::kJson, "application/json-patch+json",
       Json::array({{{"op", "replace"}, {"path", "/spec/replicas"}, {"value", 2}}})},
  };
  for (const Case& c : cases) {
    INFO(c.content_type);
    Harness h;
    h.transport.respond(200, R"({"kind":"Deployment","spec":{"replicas":3}})");
    Result<Json> patched =
        h.client.patch("/apis/apps/v1/namespaces/default/deployments/web", c.body, c.type);
    REQUIRE(patched.isOk());
    CHECK((*patched)["kind"] == "Deployment");
    HttpRequest sent = h.transport.requests().at(0);
    CHECK(sent.method == "PATCH");
    CHECK(urlPath(sent.url) == "/apis/apps/v1/namespaces/default/deployments/web");
    CHECK(requestHeader(sent, "Content-Type") == c.content_type);
    CHECK(Json::parse(sent.body) == c.body);
  }
}

TEST_CASE("remove sends DELETE with gracePeriodSeconds only when given", "[k8s]") {
  Harness h;
  h.transport.respond(200, R"({"kind":"Pod","metadata":{"name":"web-0"}})");
  h.transport.respond(200, R"({"kind":"Status","status":"Success"})");
  Result<Json> first = h.client.remove("/api/v1/namespaces/default/pods/web-0", 0);
  REQUIRE(first.isOk());
  CHECK((*first)["kind"] == "Pod");
  REQUIRE(h.client.remove("/api/v1/namespaces/default/pods/web-1", std::nullopt).isOk());

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "DELETE");
  CHECK(queryParam(requests[0].url, "gracePeriodSeconds") == "0");
  CHECK(requests[1].method == "DELETE");
  CHECK(requests[1].url == std::string(kServer) + "/api/v1/namespaces/default/pods/web-1");
}

TEST_CASE("request passes any method, path and JSON body through", "[k8s]") {
  Harness h;
  h.transport.respond(201, R"({"kind":"ConfigMap","metadata":{"name":"c"}})");
  h.transport.respond(200, "ok");
  Result<Json> created =
      h.client.request("POST", "/api/v1/namespaces/default/configmaps", R"({"kind":"ConfigMap"})");
  REQUIRE(created.isOk());
  CHECK((*created)["metadata"]["name"] == "c");
  Result<Json> health = h.client.request("GET", "/readyz?verbose", "");
  REQUIRE(health.isOk());
  CHECK(*health == "ok");  // a text answer comes back as a JSON string

  auto requests = h.transport.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "POST");
  CHECK(requestHeader(requests[0], "Content-Type") == "application/json");
  CHECK(requests[0].body == R"({"kind":"ConfigMap"})");
  CHECK(requests[1].url == std::string(kServer) + "/readyz?verbose");
  CHECK(requestHeader(requests[1], "Content-Type").empty());
}

TEST_CASE("a server URL with a trailing slash and a path without one still join", "[k8s]") {
  Harness h({std::string(kServer) + "/", "", "", milliseconds(1'000)});
  h.transport.respond(200, "{}");
  REQUIRE(h.client.get("api/v1/namespaces").isOk());
  HttpRequest sent = h.transport.requests().at(0);
  CHECK(sent.url == std::string(kServer) + "/api/v1/namespaces");
  CHECK(requestHeader(sent, "Authorization").empty());  // no token, no header
}

TEST_CASE("a token file is read again when it changes, and at least once a minute", "[k8s]") {
  TempDir dir;
  std::string token_file = dir.file("token");
  std::ofstream(token_file) << "token-one\n";
  Harness h({kServer, "ignored", token_file, milliseconds(1'000)});
  h.transport.setHandler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = "{}";
    return r;
  });
  auto lastAuthorization = [&h] {
    return requestHeader(h.transport.requests().back(), "Authorization");
  };

  REQUIRE(h.client.get("/api").isOk());
  CHECK(lastAuthorization() == "Bearer token-one");

  // Kubelet's atomic writer: a new file renamed over the old one.
  std::ofstream(dir.file("token.new")) << "token-two-rotated\n";
  std::filesystem::rename(dir.file("token.new"), token_file);
  REQUIRE(h.client.get("/api").isOk());
  CHECK(lastAuthorization() == "Bearer token-two-rotated");

  // Rewritten in place with the same size and time: unnoticed until a minute has passed.
  auto mtime = std::filesystem::last_write_time(token_file);
  std::ofstream(token_file, std::ios::trunc) << "token-333-rotated\n";
  std::filesystem::last_write_time(token_file, mtime);
  REQUIRE(h.client.get("/api").isOk());
  CHECK(lastAuthorization() == "Bearer token-two-rotated");
  h.clock.advance(std::chrono::minutes(1));
  REQUIRE(h.client.get("/api").isOk());
  CHECK(lastAuthorization() == "Bearer token-333-rotated");

  // A file missing for a moment (mid-rotation) keeps the last token in use.
  std::filesystem::remove(token_file);
  REQUIRE(h.client.get("/api").isOk());
  CHECK(lastAuthorization() == "Bearer token-333-rotated");
}

TEST_CASE("a token file that never could be read fails the call as unauthenticated", "[k8s]") {
  TempDir dir;
  Harness h({kServer, "", dir.file("absent"), milliseconds(1'000)});
  Result<Json> got = h.client.get("/api");
  REQUIRE_FALSE(got.isOk());
  CHECK(got.status().code() == ErrorCode::kUnauthenticated);
  CHECK_THAT(got.status().message(), Catch::Contains(dir.file("absent")));
  CHECK(h.transport.requests().empty());
}

TEST_CASE("urlEncode escapes everything but unreserved characters", "[k8s]") {
  CHECK(urlEncode("abc-XYZ_0.9~") == "abc-XYZ_0.9~");
  CHECK(urlEncode("a b/c?d&e=f") == "a%20b%2Fc%3Fd%26e%3Df");
  CHECK(urlEncode("\xC3\xA9") == "%C3%A9");
}

}  // namespace corral::agent
