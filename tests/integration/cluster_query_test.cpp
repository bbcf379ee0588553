// The cluster query API over the real master: a snapshot of a real cluster (the recorded
// Kubernetes fixtures, multiplied, through the agent's own converters) uploaded as an agent
// sends it, then listed with filters and pages, correlated, revalidated with ETags, refused with
// the right statuses, summarized over time, and answered again by a restarted master.

#include <httplib.h>

#include <set>
#include <string>

#include "common/gzip.h"
#include "tests/integration/fleet_fixture.h"
#include "tests/master/inventory/sample_snapshots.h"

using corral::Json;
using corral::testing::ApiClient;
using corral::testing::ApiResponse;
using corral::testing::FleetFixture;
using corral::testing::MasterProcess;
using corral::testing::RegisteredAgent;

namespace {

constexpr int kPods = 30;

struct ClusterFixture : FleetFixture {
  ClusterFixture() {
    std::string pool = createPool("clusters", {{"pool_type", "k8s"}});
    Json body = registerBody("prod-agent");
    body["type"] = "k8s";
    body["cluster_id"] = "prod";
    auto r = api.post("/api/v1/agent/register", enrollmentToken(pool), body);
    REQUIRE(r.status == 201);
    agent = {r.json()["agent_id"].get<std::string>(), r.json()["agent_token"].get<std::string>()};
    viewer = operatorToken("viewer").token;
  }

  // Uploads the multiplied cluster as snapshot `version`, gzip-compressed like the agent does.
  void upload(int64_t version, int pods = kPods) {
    auto compressed =
        corral::gzipCompress(corral::testing::sampleSnapshotJson(pods, "prod", version));
    REQUIRE(compressed.isOk());
    httplib::Client client("127.0.0.1", master.port());
    client.set_read_timeout(60, 0);
    httplib::Headers headers{{"Authorization", "Bearer " + agent.token},
                             {"Content-Encoding", "gzip"}};
    auto r = client.Post("/api/v1/agent/snapshot", headers, *compressed, "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE((r->status == 200 || r->status == 201));
  }

  Json get(const std::string& path, int status = 200) {
    auto r = api.get(path, viewer);
    INFO(path << ": " << r.body);
    REQUIRE(r.status == status);
    return r.json();
  }

  // A GET with If-None-Match: {status, ETag}.
  std::pair<int, std::string> revalidate(const std::string& path, const std::string& etag) {
    httplib::Client client("127.0.0.1", master.port());
    httplib::Headers headers{{"Authorization", "Bearer " + viewer}, {"If-None-Match", etag}};
    auto r = client.Get(path.c_str(), headers);
    REQUIRE(r);
    if (r->status == 304) {
      CHECK(r->body.empty());
    }
    return {r->status, r->get_header_value("ETag")};
  }

  RegisteredAgent agent;
  std::string viewer;
};

std::set<std::string> namesOf(const Json& items) {
  std::set<std::string> names;
  for (const Json& item : items) {
    names.insert(item["name"].get<std::string>());
  }
  return names;
}

void checkRefused(const ApiResponse& r, int status, const std::string& named) {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.json()["error"]["message"].get<std::string>().find(named) != std::string::npos);
}

}  // namespace

TEST_CASE("lists of a cluster's objects filter, sort and page", "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1);

  Json all = f.get("/api/v1/clusters/prod/pods?limit=500");
  CHECK(all["total"] == kPods);
  CHECK(all["items"].size() == kPods);
  CHECK(all["version"] == 1);
  CHECK(all["continue"].is_null());

  Json in_default = f.get("/api/v1/clusters/prod/pods?namespace=default");
  CHECK(in_default["total"] == 10);
  Json by_label = f.get("/api/v1/clusters/prod/pods?label=app%3Dkotsadm-api-00001");
  CHECK(namesOf(by_label["items"]) == namesOf(in_default["items"]));
  Json crashing = f.get("/api/v1/clusters/prod/pods?status=CrashLoopBackOff");
  REQUIRE(crashing["total"].get<int>() > 0);
  for (const Json& pod : crashing["items"]) {
    CHECK(pod["reason"] == "CrashLoopBackOff");
  }
  Json on_node = f.get("/api/v1/clusters/prod/pods?node=minikube");
  for (const Json& pod : on_node["items"]) {
    CHECK(pod["node_name"] == "minikube");
  }
  Json owned = f.get("/api/v1/clusters/prod/pods?owner=ReplicaSet/kotsadm-api-00001-8gcrps74mv");
  CHECK(owned["total"] == 10);
  Json text = f.get("/api/v1/clusters/prod/pods?q=oom-kill");
  CHECK(text["total"].get<int>() > 0);
  Json warnings = f.get("/api/v1/clusters/prod/events?status=Warning&sort=-count");
  for (size_t i = 1; i < warnings["items"].size(); ++i) {
    CHECK(warnings["items"][i - 1]["count"].get<int64_t>() >=
          warnings["items"][i]["count"].get<int64_t>());
  }
  Json deployments = f.get("/api/v1/clusters/prod/deployments?status=Unhealthy");
  CHECK(deployments["items"].is_array());

  // Pages of 7 joined by their continue tokens give the whole list once, in order.
  std::vector<std::string> paged;
  std::string next;
  for (int pages = 0; pages < 20; ++pages) {
    Json page = f.get("/api/v1/clusters/prod/pods?limit=7&sort=-restarts" +
                      (next.empty() ? "" : "&continue=" + next));
    for (const Json& pod : page["items"]) {
      paged.push_back(pod["namespace"].get<std::string>() + "/" + pod["name"].get<std::string>());
    }
    if (page["continue"].is_null()) {
      break;
    }
    next = page["continue"].get<std::string>();
  }
  Json whole = f.get("/api/v1/clusters/prod/pods?limit=500&sort=-restarts");
  std::vector<std::string> at_once;
  for (const Json& pod : whole["items"]) {
    at_once.push_back(pod["namespace"].get<std::string>() + "/" + pod["name"].get<std::string>());
  }
  CHECK(paged == at_once);
}

TEST_CASE("details correlate an object with what it relates to", "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1);
  Json pods = f.get("/api/v1/clusters/prod/pods?namespace=default&limit=1");
  std::string pod = pods["items"][0]["name"].get<std::string>();

  Json detail = f.get("/api/v1/clusters/prod/pods/default/" + pod);
  CHECK(detail["object"]["name"] == pod);
  REQUIRE(detail["owners"].size() == 2);
  CHECK(detail["owners"][0]["kind"] == "ReplicaSet");
  CHECK(detail["owners"][1]["object"]["name"] == "kotsadm-api-00001");
  CHECK(namesOf(detail["services"]).count("kotsadm-api-00001") == 1);
  CHECK(detail["events"].is_array());

  Json deployment = f.get("/api/v1/clusters/prod/deployments/default/kotsadm-api-00001");
  CHECK(deployment["replicasets"].size() == 1);
  CHECK(deployment["pods"].size() == 10);
  CHECK(namesOf(deployment["services"]).count("kotsadm-api-00001") == 1);

  Json service = f.get("/api/v1/clusters/prod/services/default/kotsadm-api-00001");
  CHECK(namesOf(service["pods"]) == namesOf(deployment["pods"]));

  Json node = f.get("/api/v1/clusters/prod/nodes/minikube");
  CHECK(node["object"]["name"] == "minikube");
  for (const Json& p : node["pods"]) {
    CHECK(p["node_name"] == "minikube");
  }
}

TEST_CASE("reads carry an ETag and an unchanged answer is 304", "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1);
  const std::string path = "/api/v1/clusters/prod/pods?namespace=default&limit=3";
  auto first = f.api.get(path, f.viewer);
  REQUIRE(first.status == 200);
  std::string etag = first.headers["ETag"];
  REQUIRE_FALSE(etag.empty());
  CHECK(f.revalidate(path, etag).first == 304);
  CHECK(f.revalidate(path, "\"other\", W/" + etag).first == 304);
  CHECK(f.revalidate(path + "&sort=name", etag).first == 200);  // another query, another tag

  std::string detail = "/api/v1/clusters/prod/nodes/minikube";
  std::string detail_tag = f.api.get(detail, f.viewer).headers["ETag"];
  CHECK(f.revalidate(detail, detail_tag).first == 304);
  std::string record = "/api/v1/clusters/prod";
  std::string record_tag = f.api.get(record, f.viewer).headers["ETag"];
  REQUIRE_FALSE(record_tag.empty());

  f.upload(2);  // a new snapshot changes every answer
  auto [status, new_tag] = f.revalidate(path, etag);
  CHECK(status == 200);
  CHECK(new_tag != etag);
  CHECK(f.revalidate(detail, detail_tag).first == 200);
  CHECK(f.revalidate(record, record_tag).first == 200);
}

TEST_CASE("unknown names are 404 and bad filters 422, each saying what",
          "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1);
  checkRefused(f.api.get("/api/v1/clusters/nope/pods", f.viewer), 404, "cluster 'nope'");
  checkRefused(f.api.get("/api/v1/clusters/nope", f.viewer), 404, "cluster 'nope'");
  checkRefused(f.api.get("/api/v1/clusters/prod/widgets", f.viewer), 404, "kind 'widgets'");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods/default/ghost", f.viewer), 404,
               "default/ghost");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods/ghost", f.viewer), 404, "namespace and name");
  checkRefused(f.api.get("/api/v1/clusters/prod/nodes/a/b", f.viewer), 404, "no namespace");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods?label=app%20in%20(x", f.viewer), 422,
               "'label'");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods?sort=colour", f.viewer), 422, "'sort'");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods?limit=0", f.viewer), 422, "'limit'");
  checkRefused(f.api.get("/api/v1/clusters/prod/pods?continue=xyz!", f.viewer), 422, "'continue'");
  checkRefused(f.api.get("/api/v1/clusters/prod/services?status=Running", f.viewer), 422,
               "'status'");
  checkRefused(f.api.get("/api/v1/clusters/prod/history?since=yesterday", f.viewer), 422,
               "'since'");
  CHECK(f.api.get("/api/v1/clusters/prod/pods", "").status == 401);
  CHECK(f.api.get("/api/v1/overview", "").status == 401);
}

TEST_CASE("the cluster record, overview and history show health at a glance",
          "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1, 0);
  f.upload(2);

  Json record = f.get("/api/v1/clusters/prod");
  CHECK(record["cluster_id"] == "prod");
  CHECK(record["version"] == 2);
  CHECK(record["agent"]["id"] == f.agent.id);
  CHECK(record["counts"]["pods"] == kPods);
  CHECK(record["stale"] == false);
  CHECK(record["health"] == "degraded");  // the recorded cluster has pods with problems
  CHECK_FALSE(record["problems"].empty());
  CHECK(record["staleness_s"].is_number());

  Json overview = f.get("/api/v1/overview");
  REQUIRE(overview["clusters"].size() == 1);
  CHECK(overview["clusters"][0]["cluster_id"] == "prod");
  REQUIRE(overview["pools"].size() == 1);
  CHECK(overview["pools"][0]["agents"]["total"] == 1);
  CHECK(overview["pools"][0]["slots"]["total"] == 3);
  CHECK(overview["totals"]["clusters"] == 1);

  Json history = f.get("/api/v1/clusters/prod/history");
  REQUIRE(history["items"].size() == 2);
  CHECK(history["items"][0]["counts"]["pods"] == 9);
  CHECK(history["items"][1]["counts"]["pods"] == kPods);
  Json limited = f.get("/api/v1/clusters/prod/history?limit=1");
  REQUIRE(limited["items"].size() == 1);
  Json rest = f.get("/api/v1/clusters/prod/history?limit=1&continue=" +
                    limited["continue"].get<std::string>());
  CHECK(rest["items"][0]["version"] == 2);
  Json empty = f.get("/api/v1/clusters/prod/history?until=2000-01-01T00:00:00Z");
  CHECK(empty["items"].empty());
}

TEST_CASE("a restarted master answers cluster queries from its first request",
          "[integration][clusters]") {
  ClusterFixture f;
  f.upload(1);
  Json before = f.get("/api/v1/clusters/prod/pods?namespace=default");
  std::string etag =
      f.api.get("/api/v1/clusters/prod/pods?namespace=default", f.viewer).headers["ETag"];
  REQUIRE(f.master.terminate() == 0);

  MasterProcess::Options options;
  options.data_dir = f.master.dataDir();
  MasterProcess restarted(options);
  ApiClient api("127.0.0.1", restarted.port());
  auto after = api.get("/api/v1/clusters/prod/pods?namespace=default", f.viewer);
  REQUIRE(after.status == 200);
  CHECK(after.json() == before);
  CHECK(after.headers["ETag"] == etag);  // same snapshot, same query, same tag
  auto detail = api.get("/api/v1/clusters/prod/deployments/default/kotsadm-api-00001", f.viewer);
  REQUIRE(detail.status == 200);
  CHECK(detail.json()["pods"].size() == 10);
}
