// The emulator against the API server's behaviour: lists, pagination, selectors, reads, writes,
// logs, authentication and Status bodies, over HTTP with cpp-httplib as the client.

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "tests/k8s_emulator/emulator_test_client.h"

using corral::Json;
using corral::testing::fixtureText;
using corral::testing::HttpResult;
using corral::testing::itemKeys;
using corral::testing::K8sEmulator;
using corral::testing::startEmulator;
using corral::testing::TestClient;

namespace {

std::string q(const std::string& value) { return httplib::detail::encode_query_param(value); }

std::vector<std::string> names(const Json& list) {
  std::vector<std::string> out;
  for (const Json& item : list["items"]) {
    out.push_back(item["metadata"]["name"].get<std::string>());
  }
  return out;
}

// The names a list of `path` answers with `selector` as its `param` (labelSelector or
// fieldSelector), sorted.
std::vector<std::string> selectedNames(const TestClient& client, const std::string& path,
                                       const std::string& param, const std::string& selector) {
  HttpResult res = client.get(path + "?" + param + "=" + q(selector));
  INFO(selector << " -> " << res.body.substr(0, 300));
  REQUIRE(res.status == 200);
  auto out = names(res.json());
  std::sort(out.begin(), out.end());
  return out;
}

std::string lastLines(const std::string& text, size_t n) {
  size_t at = text.size() - 1;  // the final newline
  for (size_t seen = 0; seen < n && at > 0;) {
    at = text.rfind('\n', at - 1);
    if (at == std::string::npos) {
      return text;
    }
    ++seen;
  }
  return text.substr(at + 1);
}

// Keys in the order they appear, for comparing a body's shape with a recorded one.
std::vector<std::string> keyOrder(const std::string& body) {
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(body);
  std::vector<std::string> keys;
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    keys.push_back(it.key());
  }
  return keys;
}

}  // namespace

TEST_CASE("discovery answers /version, /api and /apis like a v1.27 server", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  Json version = client.get("/version").json();
  CHECK(version["gitVersion"] == "v1.27.0");
  CHECK(version["major"] == "1");
  CHECK(version["minor"] == "27");

  Json api = client.get("/api").json();
  CHECK(api["kind"] == "APIVersions");
  CHECK(api["versions"] == Json::array({"v1"}));

  Json apis = client.get("/apis").json();
  CHECK(apis["kind"] == "APIGroupList");
  std::set<std::string> groups;
  for (const Json& group : apis["groups"]) {
    groups.insert(group["name"].get<std::string>());
    CHECK(group["preferredVersion"]["version"] == "v1");
  }
  CHECK(groups == std::set<std::string>{"apps", "networking.k8s.io"});

  Json core = client.get("/api/v1").json();
  CHECK(core["kind"] == "APIResourceList");
  bool has_log = false;
  for (const Json& resource : core["resources"]) {
    has_log = has_log || resource["name"] == "pods/log";
  }
  CHECK(has_log);
  CHECK(client.get("/apis/apps/v1").json()["groupVersion"] == "apps/v1");
  CHECK(client.get("/healthz").body == "ok");
}

TEST_CASE("a LIST answers the recorded objects as a real list does", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  HttpResult res = client.get("/api/v1/pods");
  REQUIRE(res.status == 200);
  CHECK(res.content_type == "application/json");
  CHECK(res.body.back() == '\n');
  Json list = res.json();
  CHECK(list["kind"] == "PodList");
  CHECK(list["apiVersion"] == "v1");
  CHECK(list["metadata"]["resourceVersion"].is_string());
  CHECK(list["metadata"].count("continue") == 0);
  REQUIRE(list["items"].size() == 9);
  for (const Json& item : list["items"]) {
    CHECK(item.count("kind") == 0);
    CHECK(item.count("apiVersion") == 0);
  }
  // In etcd's key order: namespace, then name.
  std::vector<std::string> keys = itemKeys(list);
  CHECK(std::is_sorted(keys.begin(), keys.end()));

  // The recorded pod comes back unchanged but for the per-item kind and apiVersion.
  Json recorded = Json::parse(fixtureText("troubleshoot/pods/default.json"))["items"][0];
  recorded.erase("kind");
  recorded.erase("apiVersion");
  CHECK(list["items"][0] == recorded);

  Json deployments = client.get("/apis/apps/v1/deployments").json();
  CHECK(deployments["kind"] == "DeploymentList");
  CHECK(deployments["apiVersion"] == "apps/v1");
  CHECK(deployments["items"].size() == 10);
  CHECK(client.get("/apis/apps/v1/statefulsets").json()["items"].size() == 3);
  CHECK(client.get("/api/v1/configmaps").json()["kind"] == "ConfigMapList");

  Json in_default = client.get("/api/v1/namespaces/default/pods").json();
  CHECK(names(in_default) == std::vector<std::string>{"random-pod-75b66db9b9-nqhp8"});
  Json kube_system = client.get("/apis/apps/v1/namespaces/kube-system/deployments").json();
  CHECK(names(kube_system) == std::vector<std::string>{"coredns", "metrics-server"});

  // Nodes are cluster-scoped; the recorded ones plus those the recorded pods run on.
  Json nodes = client.get("/api/v1/nodes").json();
  CHECK(nodes["kind"] == "NodeList");
  std::vector<std::string> node_names = names(nodes);
  CHECK(std::count(node_names.begin(), node_names.end(), "minikube") == 1);
  CHECK(node_names.size() == 9);
}

TEST_CASE("objects no fixture records are synthesized consistently", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  Json services = client.get("/api/v1/services").json();
  CHECK(services["kind"] == "ServiceList");
  auto svc =
      client.get("/api/v1/namespaces/message-image-pull-fail/services/no-image-deployment").json();
  REQUIRE(svc["kind"] == "Service");
  // The selector picks the recorded pod.
  Json selected = client
                      .get("/api/v1/namespaces/message-image-pull-fail/pods?labelSelector=" +
                           q("app=no-image-deployment"))
                      .json();
  CHECK(svc["spec"]["selector"]["app"] == "no-image-deployment");
  CHECK(selected["items"].size() == 1);

  // The DaemonSet is the one the failed-mount pod's ownerReference names.
  Json pod = client
                 .get(
                     "/api/v1/namespaces/message-container-creating-failed-mount/pods/"
                     "troubleshoot-copyfromhost-4m79m-psdjm")
                 .json();
  Json owner = pod["metadata"]["ownerReferences"][0];
  Json ds = client
                .get(
                    "/apis/apps/v1/namespaces/message-container-creating-failed-mount/"
                    "daemonsets/" +
                    owner["name"].get<std::string>())
                .json();
  CHECK(ds["kind"] == "DaemonSet");
  CHECK(ds["metadata"]["uid"] == owner["uid"]);

  Json ingresses = client.get("/apis/networking.k8s.io/v1/ingresses").json();
  CHECK(ingresses["kind"] == "IngressList");
  REQUIRE(ingresses["items"].size() == 1);
  CHECK(
      ingresses["items"][0]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] ==
      "random-pod");

  // Every namespace an object lives in exists.
  std::set<std::string> namespaces;
  for (const std::string& name : names(client.get("/api/v1/namespaces").json())) {
    namespaces.insert(name);
  }
  for (const char* path : {"/api/v1/pods", "/api/v1/events", "/apis/apps/v1/deployments"}) {
    Json list = client.get(path).json();
    for (const Json& item : list["items"]) {
      CHECK(namespaces.count(item["metadata"]["namespace"].get<std::string>()) == 1);
    }
  }
}

TEST_CASE("pages chained by continue add up to the full list", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  for (const char* path : {"/api/v1/pods", "/api/v1/events", "/apis/apps/v1/replicasets",
                           "/api/v1/namespaces/message-container-creating-failed-mount/events"}) {
    INFO(path);
    Json full = client.get(path).json();
    for (int limit : {1, 2, 7, 500}) {
      auto pages = client.pages(path, limit);
      std::vector<std::string> keys;
      std::string first_version = pages.front()["metadata"]["resourceVersion"];
      auto left = static_cast<int64_t>(full["items"].size());
      for (const Json& page : pages) {
        CHECK(page["items"].size() <= static_cast<size_t>(limit));
        // Every page is read at the version of the first.
        CHECK(page["metadata"]["resourceVersion"] == first_version);
        left -= static_cast<int64_t>(page["items"].size());
        if (page["metadata"].contains("continue")) {
          CHECK(page["metadata"]["remainingItemCount"] == left);
        } else {
          CHECK(page["metadata"].count("remainingItemCount") == 0);
        }
        for (const std::string& key : itemKeys(page)) {
          keys.push_back(key);
        }
      }
      CHECK(keys == itemKeys(full));
    }
  }
}

TEST_CASE("an expired continue token answers 410 Expired", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  Json first = client.get("/api/v1/pods?limit=3").json();
  std::string token = first["metadata"]["continue"];
  emulator->expireContinueTokens();

  HttpResult expired = client.get("/api/v1/pods?limit=3&continue=" + token);
  CHECK(expired.status == 410);
  Json status = expired.json();
  CHECK(status["kind"] == "Status");
  CHECK(status["status"] == "Failure");
  CHECK(status["reason"] == "Expired");
  CHECK(status["code"] == 410);
  CHECK(status["message"].get<std::string>().find(
            "The provided continue parameter is too old to display a consistent list result.") ==
        0);
  // The modern server offers a token that continues at the latest version.
  std::string inconsistent = status["metadata"]["continue"];
  Json rest = client.get("/api/v1/pods?limit=100&continue=" + inconsistent).json();
  CHECK(rest["items"].size() == 6);

  // A list started after the compaction pages normally.
  auto pages = client.pages("/api/v1/pods", 3);
  CHECK(pages.size() == 3);

  CHECK(client.get("/api/v1/pods?limit=3&continue=not-a-token").status == 400);
}

TEST_CASE("label selectors select as the API server does", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  auto select = [&](const std::string& path, const std::string& selector) {
    return selectedNames(client, path, "labelSelector", selector);
  };
  using Names = std::vector<std::string>;
  const std::string deployments = "/apis/apps/v1/deployments";

  CHECK(select(deployments, "k8s-app=kube-dns") == Names{"coredns"});
  CHECK(select(deployments, "k8s-app==kube-dns") == Names{"coredns"});
  CHECK(select(deployments, "k8s-app in (kube-dns, metrics-server)") ==
        Names{"coredns", "metrics-server"});
  CHECK(select(deployments, "k8s-app notin (kube-dns)").size() == 9);
  CHECK(select(deployments, "k8s-app!=kube-dns").size() == 9);
  CHECK(select(deployments, "k8s-app") == Names{"coredns", "metrics-server"});
  CHECK(select(deployments, "!k8s-app").size() == 8);
  CHECK(select(deployments, "app.kubernetes.io/managed-by=Helm,app.kubernetes.io/name") ==
        Names{"grafana", "kube-state-metrics"});
  CHECK(select("/api/v1/pods", "app=kotsadm,pod-template-hash in (b6cb54c8f)") ==
        Names{"kotsadm-b6cb54c8f-zgzrn"});
  CHECK(select("/api/v1/pods", "app.kubernetes.io/appname").size() == 2);
  CHECK(select("/api/v1/pods", "nothing=here").empty());

  HttpResult bad = client.get("/api/v1/pods?labelSelector=" + q("app in x"));
  CHECK(bad.status == 400);
  CHECK(bad.json()["reason"] == "BadRequest");
}

TEST_CASE("field selectors select on the fields each kind supports", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  auto select = [&](const std::string& path, const std::string& selector) {
    return selectedNames(client, path, "fieldSelector", selector);
  };
  using Names = std::vector<std::string>;

  CHECK(select("/api/v1/pods", "metadata.name=init-demo") == Names{"init-demo"});
  CHECK(select("/api/v1/pods", "metadata.namespace=other") == Names{"other-pod-75b66db9b9-nqhp8"});
  CHECK(select("/api/v1/pods", "status.phase=Running").size() == 3);
  CHECK(select("/api/v1/pods", "status.phase!=Running").size() == 6);
  CHECK(select("/api/v1/pods", "spec.nodeName==minikube").size() == 5);
  // An unscheduled pod has no node: the empty value selects it.
  CHECK(select("/api/v1/pods", "spec.nodeName=") ==
        Names{"kotsadm-b6cb54c8f-zgzrn", "pending-pod-resources-5fddcf7688-djjfc"});
  CHECK(select("/api/v1/pods", "status.phase=Pending,spec.nodeName=minikube").size() == 3);
  CHECK(select("/api/v1/events", "involvedObject.name=init-demo2").size() == 6);
  CHECK(select("/api/v1/events", "involvedObject.kind=Deployment,involvedObject.name=crashpod")
            .size() == 1);
  CHECK(select("/api/v1/namespaces/message-image-pull-fail/events",
               "involvedObject.namespace=message-image-pull-fail,type=Warning")
            .size() == 6);

  HttpResult bad = client.get("/api/v1/pods?fieldSelector=" + q("spec.foo=bar"));
  CHECK(bad.status == 400);
  Json status = bad.json();
  CHECK(status["reason"] == "BadRequest");
  CHECK(status["message"] ==
        "Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector "
        "\"spec.foo=bar\": field label not supported: spec.foo");
  // Fields of another kind are not supported either.
  CHECK(client.get("/apis/apps/v1/deployments?fieldSelector=" + q("status.phase=Running")).status ==
        400);
}

TEST_CASE("GET answers single objects and NotFound with the real Status", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  Json pod = client.get("/api/v1/namespaces/default/pods/random-pod-75b66db9b9-nqhp8").json();
  CHECK(pod["kind"] == "Pod");
  CHECK(pod["apiVersion"] == "v1");
  CHECK(pod["metadata"]["uid"] == "e00af024-67ca-440d-9714-999cf8617d58");
  Json node = client.get("/api/v1/nodes/smallnode-3i74t").json();
  CHECK(node["kind"] == "Node");
  Json deployment = client.get("/apis/apps/v1/namespaces/default/deployments/kotsadm-api").json();
  CHECK(deployment["kind"] == "Deployment");
  CHECK(deployment["apiVersion"] == "apps/v1");
  CHECK(client.get("/api/v1/namespaces/default").json()["kind"] == "Namespace");

  HttpResult missing = client.get("/api/v1/namespaces/default/pods/x");
  CHECK(missing.status == 404);
  CHECK(missing.body ==
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"pods \\\"x\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":"
        "\"x\",\"kind\":\"pods\"},\"code\":404}\n");
  Json apps_missing = client.get("/apis/apps/v1/namespaces/default/deployments/nope").json();
  CHECK(apps_missing["message"] == "deployments.apps \"nope\" not found");
  CHECK(apps_missing["details"] ==
        Json{{"name", "nope"}, {"group", "apps"}, {"kind", "deployments"}});

  // A path that names no resource answers the recorded generic 404.
  HttpResult unknown = client.get("/apis/apps/v1/namespaces/default/widgets");
  CHECK(unknown.status == 404);
  CHECK(unknown.json() == Json::parse(fixtureText("errors/404_notfound_kubeclient.json")));
}

TEST_CASE("a scale patch is visible in later reads", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  const std::string path = "/apis/apps/v1/namespaces/kube-system/deployments/coredns";
  Json before = client.get(path).json();

  HttpResult scaled = client.patch(path + "/scale", Json{{"spec", {{"replicas", 5}}}},
                                   "application/merge-patch+json");
  REQUIRE(scaled.status == 200);
  Json scale = scaled.json();
  CHECK(scale["kind"] == "Scale");
  CHECK(scale["apiVersion"] == "autoscaling/v1");
  CHECK(scale["spec"]["replicas"] == 5);
  CHECK(scale["status"]["selector"] == "k8s-app=kube-dns");
  CHECK(scale["metadata"]["uid"] == before["metadata"]["uid"]);

  Json after = client.get(path).json();
  CHECK(after["spec"]["replicas"] == 5);
  CHECK(std::stoll(after["metadata"]["resourceVersion"].get<std::string>()) >
        std::stoll(before["metadata"]["resourceVersion"].get<std::string>()));
  CHECK(after["metadata"]["generation"] == before["metadata"]["generation"].get<int>() + 1);
  CHECK(emulator->replicas("deployments", "kube-system", "coredns") == 5);
  CHECK(client.get(path + "/scale").json()["spec"]["replicas"] == 5);

  HttpResult strategic = client.patch(path + "/scale", Json{{"spec", {{"replicas", 0}}}},
                                      "application/strategic-merge-patch+json");
  CHECK(strategic.status == 200);
  CHECK(emulator->replicas("deployments", "kube-system", "coredns") == 0);

  HttpResult wrong_type =
      client.patch(path + "/scale", Json{{"spec", {{"replicas", 1}}}}, "application/json");
  CHECK(wrong_type.status == 415);
  CHECK(wrong_type.json()["reason"] == "UnsupportedMediaType");
  HttpResult negative = client.patch(path + "/scale", Json{{"spec", {{"replicas", -1}}}});
  CHECK(negative.status == 422);
  CHECK(negative.json()["reason"] == "Invalid");
  CHECK(client
            .patch("/apis/apps/v1/namespaces/kube-system/deployments/nope/scale",
                   Json{{"spec", {{"replicas", 1}}}})
            .status == 404);
  // StatefulSets scale the same way.
  CHECK(client
            .patch("/apis/apps/v1/namespaces/monitoring/statefulsets/prometheus-k8s/scale",
                   Json{{"spec", {{"replicas", 3}}}})
            .status == 200);
  CHECK(emulator->replicas("statefulsets", "monitoring", "prometheus-k8s") == 3);
}

TEST_CASE("a restart patch merges the annotation into the stored deployment", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  const std::string path = "/apis/apps/v1/namespaces/monitoring/deployments/grafana";
  Json before = client.get(path).json();

  Json restart = {
      {"spec",
       {{"template",
         {{"metadata",
           {{"annotations", {{"kubectl.kubernetes.io/restartedAt", "2024-05-01T10:00:00Z"}}}}}}}}}};
  HttpResult patched = client.patch(path, restart, "application/strategic-merge-patch+json");
  REQUIRE(patched.status == 200);
  Json answer = patched.json();
  CHECK(answer["kind"] == "Deployment");
  CHECK(
      answer["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] ==
      "2024-05-01T10:00:00Z");

  Json after = *emulator->object("deployments", "monitoring", "grafana");
  Json expected = before;
  expected["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] =
      "2024-05-01T10:00:00Z";
  // Only the annotation, the version and the generation changed.
  for (const char* field : {"resourceVersion", "generation"}) {
    expected["metadata"][field] = after["metadata"][field];
  }
  CHECK(after == expected);
  CHECK(after["metadata"]["generation"] == before["metadata"]["generation"].get<int>() + 1);

  // A merge patch of a container list replaces it; a strategic one merges by name.
  Json image = {{"spec",
                 {{"template",
                   {{"spec",
                     {{"containers", Json::array({{{"name", "grafana"},
                                                   {"image", "grafana/grafana:9.0.0"}}})}}}}}}}};
  REQUIRE(client.patch(path, image, "application/strategic-merge-patch+json").status == 200);
  Json containers = emulator->object("deployments", "monitoring", "grafana")
                        .value()["spec"]["template"]["spec"]["containers"];
  CHECK(containers.size() == before["spec"]["template"]["spec"]["containers"].size());
  bool updated = false;
  for (const Json& container : containers) {
    if (container["name"] == "grafana") {
      updated = container["image"] == "grafana/grafana:9.0.0" && container.contains("ports");
    }
  }
  CHECK(updated);

  // A JSON patch applies too; a stale resourceVersion conflicts; bad JSON is a 400.
  Json ops = Json::array({{{"op", "add"}, {"path", "/spec/paused"}, {"value", true}}});
  CHECK(client.patch(path, ops, "application/json-patch+json").status == 200);
  CHECK(emulator->object("deployments", "monitoring", "grafana").value()["spec"]["paused"] == true);
  Json failing = Json::array({{{"op", "remove"}, {"path", "/spec/nothing"}}});
  CHECK(client.patch(path, failing, "application/json-patch+json").status == 422);
  CHECK(client.patch(path, Json{{"metadata", {{"resourceVersion", "1"}}}}).status == 409);
  CHECK(client.send("PATCH", path, "{not json", "application/merge-patch+json").status == 400);
  CHECK(client.patch(path, Json{{"spec", {{"replicas", 1}}}}, "text/plain").status == 415);
}

TEST_CASE("DELETE removes a pod from later reads", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  const std::string path = "/api/v1/namespaces/message-pod-crashloop-backoff/pods/init-demo";

  HttpResult deleted = client.del(path + "?gracePeriodSeconds=5");
  REQUIRE(deleted.status == 200);
  Json pod = deleted.json();
  CHECK(pod["kind"] == "Pod");
  CHECK(pod["metadata"]["name"] == "init-demo");
  CHECK(pod["metadata"]["deletionGracePeriodSeconds"] == 5);
  CHECK(pod["metadata"].contains("deletionTimestamp"));

  CHECK(client.get(path).status == 404);
  CHECK(!emulator->object("pods", "message-pod-crashloop-backoff", "init-demo"));
  std::vector<std::string> left = names(client.get("/api/v1/pods").json());
  CHECK(left.size() == 8);
  CHECK(std::find(left.begin(), left.end(), "init-demo") == left.end());
  CHECK(client.del(path).status == 404);

  // DeleteOptions in the body.
  const std::string other = "/api/v1/namespaces/other/pods/other-pod-75b66db9b9-nqhp8";
  HttpResult with_body =
      client.del(other, R"({"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":0})");
  REQUIRE(with_body.status == 200);
  CHECK(with_body.json()["metadata"]["deletionGracePeriodSeconds"] == 0);
  CHECK(emulator->count("pods") == 7);

  // Other kinds answer a Success Status.
  HttpResult deployment = client.del("/apis/apps/v1/namespaces/default/deployments/kotsadm-web");
  REQUIRE(deployment.status == 200);
  CHECK(deployment.json()["status"] == "Success");
  CHECK(deployment.json()["details"]["group"] == "apps");
}

TEST_CASE("pod logs are deterministic text honouring the log options", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);
  const std::string pod = "/api/v1/namespaces/default/pods/random-pod-75b66db9b9-nqhp8/log";

  HttpResult all = client.get(pod);
  REQUIRE(all.status == 200);
  CHECK(all.content_type == "text/plain");
  CHECK(all.body == client.get(pod).body);
  size_t lines = static_cast<size_t>(std::count(all.body.begin(), all.body.end(), '\n'));
  CHECK(lines >= 40);

  HttpResult tail = client.get(pod + "?tailLines=5");
  CHECK(std::count(tail.body.begin(), tail.body.end(), '\n') == 5);
  CHECK(all.body.substr(all.body.size() - tail.body.size()) == tail.body);
  CHECK(client.get(pod + "?container=random-pod&tailLines=2").body == lastLines(all.body, 2));
  CHECK(client.get(pod + "?limitBytes=10").body == all.body.substr(0, 10));
  CHECK(client.get(pod + "?sinceSeconds=60").status == 200);
  std::string stamped = client.get(pod + "?timestamps=true&tailLines=1").body;
  CHECK(stamped.rfind("2023-03-23T", 0) == 0);

  HttpResult wrong = client.get(pod + "?container=nope");
  CHECK(wrong.status == 400);
  CHECK(wrong.json()["message"] ==
        "container nope is not valid for pod random-pod-75b66db9b9-nqhp8");
  CHECK(client.get(pod + "?previous=true").status == 400);

  // The crash-looping container: its current log is the last run's, and previous works.
  const std::string crashing =
      "/api/v1/namespaces/message-pod-crashloop-backoff/pods/init-demo/log";
  HttpResult previous = client.get(crashing + "?previous=true");
  CHECK(previous.status == 200);
  CHECK(previous.body.find("exiting: ContainerCannotRun (exit code 127)") != std::string::npos);

  HttpResult pulling = client.get(
      "/api/v1/namespaces/message-image-pull-fail/pods/"
      "no-image-deployment-849c4c4958-rxqmt/log");
  CHECK(pulling.status == 400);
  CHECK(pulling.json()["message"] ==
        "container \"demo-deployment-container\" in pod \"no-image-deployment-849c4c4958-rxqmt\" "
        "is waiting to start: image can't be pulled");
  // A pod without a node has nothing to read.
  HttpResult unscheduled = client.get(
      "/api/v1/namespaces/message-pending-pod-resources/pods/"
      "pending-pod-resources-5fddcf7688-djjfc/log");
  CHECK(unscheduled.status == 200);
  CHECK(unscheduled.body.empty());
  CHECK(client.get("/api/v1/namespaces/default/pods/nope/log").status == 404);

  // With two containers the API wants one named.
  Json two = Json::parse(fixtureText("troubleshoot/pods/default.json"))["items"][0];
  two["metadata"]["name"] = "two-containers";
  Json sidecar = two["spec"]["containers"][0];
  sidecar["name"] = "sidecar";
  two["spec"]["containers"].push_back(sidecar);
  Json sidecar_status = two["status"]["containerStatuses"][0];
  sidecar_status["name"] = "sidecar";
  two["status"]["containerStatuses"].push_back(sidecar_status);
  REQUIRE(emulator->putObject("pods", two).isOk());
  const std::string two_log = "/api/v1/namespaces/default/pods/two-containers/log";
  HttpResult ambiguous = client.get(two_log);
  CHECK(ambiguous.status == 400);
  CHECK(ambiguous.json()["message"] ==
        "a container name must be specified for pod two-containers, choose one of: [random-pod "
        "sidecar]");
  HttpResult named = client.get(two_log + "?container=sidecar&tailLines=3");
  CHECK(named.status == 200);
  CHECK(std::count(named.body.begin(), named.body.end(), '\n') == 3);
  CHECK(named.body != client.get(two_log + "?container=random-pod&tailLines=3").body);
}

TEST_CASE("a token is required and secrets are forbidden", "[k8s_emulator]") {
  K8sEmulator::Options options;
  options.token = "s3cret";
  auto emulator = startEmulator(options);
  TestClient anonymous(*emulator);
  TestClient wrong(*emulator, "nope");
  TestClient client(*emulator, "s3cret");

  HttpResult refused = anonymous.get("/api/v1/pods");
  CHECK(refused.status == 401);
  CHECK(refused.body == fixtureText("errors/401_unauthorized_microk8s_capture.json"));
  CHECK(wrong.get("/api/v1/pods").status == 401);
  CHECK(wrong.get("/version").status == 401);
  CHECK(anonymous.get("/version").status == 200);
  CHECK(client.get("/api/v1/pods").status == 200);

  HttpResult forbidden = client.get("/api/v1/namespaces/default/secrets");
  CHECK(forbidden.status == 403);
  CHECK(forbidden.json()["message"] ==
        "secrets is forbidden: User \"system:serviceaccount:corral:corral-agent\" cannot list "
        "resource \"secrets\" in API group \"\" in the namespace \"default\"");
  // The same shape as the recorded 403.
  CHECK(keyOrder(forbidden.body) ==
        keyOrder(fixtureText("errors/403_forbidden_list_secrets_kube-oidc-proxy-e2e.json")));
  CHECK(forbidden.json()["details"] == Json{{"kind", "secrets"}});
  Json cluster = client.get("/api/v1/secrets").json();
  CHECK(cluster["code"] == 403);
  CHECK(cluster["message"].get<std::string>().find("at the cluster scope") != std::string::npos);
  Json named = client.get("/api/v1/namespaces/kube-system/secrets/admin-token").json();
  CHECK(named["message"].get<std::string>().rfind(
            "secrets \"admin-token\" is forbidden: User \"system:serviceaccount:corral:"
            "corral-agent\" cannot get resource \"secrets\"",
            0) == 0);
  CHECK(named["details"]["name"] == "admin-token");
  CHECK(client.del("/api/v1/namespaces/kube-system/secrets/admin-token").status == 403);
}

TEST_CASE("create and replace behave like the API server", "[k8s_emulator]") {
  auto emulator = startEmulator();
  TestClient client(*emulator);

  Json map = {{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", "settings"}}},
              {"data", {{"mode", "fast"}}}};
  HttpResult created =
      client.send("POST", "/api/v1/namespaces/default/configmaps", map.dump(), "application/json");
  REQUIRE(created.status == 201);
  Json stored = created.json();
  CHECK(stored["metadata"]["namespace"] == "default");
  CHECK(!stored["metadata"]["uid"].get<std::string>().empty());
  HttpResult again =
      client.send("POST", "/api/v1/namespaces/default/configmaps", map.dump(), "application/json");
  CHECK(again.status == 409);
  CHECK(again.json()["reason"] == "AlreadyExists");
  CHECK(client.send("POST", "/api/v1/namespaces/nowhere/configmaps", map.dump(), "application/json")
            .status == 404);

  stored["data"]["mode"] = "slow";
  HttpResult replaced = client.send("PUT", "/api/v1/namespaces/default/configmaps/settings",
                                    stored.dump(), "application/json");
  REQUIRE(replaced.status == 200);
  CHECK(replaced.json()["data"]["mode"] == "slow");
  // The version it was read at is now stale.
  HttpResult stale = client.send("PUT", "/api/v1/namespaces/default/configmaps/settings",
                                 stored.dump(), "application/json");
  CHECK(stale.status == 409);
  CHECK(stale.json()["reason"] == "Conflict");
}
