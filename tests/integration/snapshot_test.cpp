// Cluster snapshots over the real API: the agent's gzip upload and its refusals, the operator
// routes that read them back, and the master's own limits on request bodies.

#include <httplib.h>

#include <fstream>
#include <random>

#include "common/gzip.h"
#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::ApiResponse;
using corral::testing::FleetFixture;
using corral::testing::MasterProcess;
using corral::testing::RegisteredAgent;
using corral::testing::withConfig;

namespace {

constexpr const char* kSnapshotPath = "/api/v1/agent/snapshot";

Json envelope(const std::string& cluster_id, int64_t version) {
  return {{"cluster_id", cluster_id},
          {"version", version},
          {"kind", "k8s"},
          {"fetched_at", "2026-03-14T09:30:00Z"},
          {"summary", {{"nodes", 6}, {"pods", {{"Running", 141}, {"Pending", 2}}}}},
          {"resources", {{"deployments", Json::array({{{"name", "api"}, {"replicas", 6}}})}}},
          {"errors", Json::object()}};
}

std::string gzip(const std::string& text) {
  auto compressed = corral::gzipCompress(text);
  REQUIRE(compressed.isOk());
  return std::move(*compressed);
}

// Bytes that do not compress, so that their size on the wire is what the test says.
std::string noise(size_t size) {
  std::mt19937 random(42);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() & 0xff);
  }
  return out;
}

ApiResponse convert(const httplib::Result& r) {
  ApiResponse out;
  if (r) {
    out.status = r->status;
    out.body = r->body;
  }
  return out;
}

struct SnapshotFixture : FleetFixture {
  explicit SnapshotFixture(MasterProcess::Options options = {})
      : FleetFixture(std::move(options)) {}

  // A k8s agent registered for `cluster_id`.
  RegisteredAgent clusterAgent(const std::string& cluster_id) {
    if (pool.empty()) {
      pool = createPool("clusters", {{"pool_type", "k8s"}});
      enrollment = enrollmentToken(pool);
    }
    Json body = registerBody(cluster_id + "-agent");
    body["type"] = "k8s";
    body["cluster_id"] = cluster_id;
    auto r = api.post("/api/v1/agent/register", enrollment, body);
    REQUIRE(r.status == 201);
    return {r.json()["agent_id"].get<std::string>(), r.json()["agent_token"].get<std::string>()};
  }

  // Sends `body` as is, with the headers a test asks for.
  ApiResponse upload(const std::string& token, const std::string& body,
                     const std::string& encoding = "gzip",
                     const std::string& content_type = "application/json",
                     const std::string& path = kSnapshotPath) {
    httplib::Client client("127.0.0.1", master.port());
    client.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (!token.empty()) {
      headers.emplace("Authorization", "Bearer " + token);
    }
    if (!encoding.empty()) {
      headers.emplace("Content-Encoding", encoding);
    }
    return convert(client.Post(path.c_str(), headers, body, content_type.c_str()));
  }

  ApiResponse send(const RegisteredAgent& agent, const Json& snapshot) {
    return upload(agent.token, gzip(snapshot.dump()));
  }

  Json clusters(const std::string& token) {
    auto r = api.get("/api/v1/clusters", token);
    REQUIRE(r.status == 200);
    return r.json()["items"];
  }

  // The master's peak resident memory in KiB, from /proc.
  long peakMemoryKiB() {
    std::ifstream status("/proc/" + std::to_string(master.process().pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmHWM:", 0) == 0) {
        return std::stol(line.substr(6));
      }
    }
    return -1;
  }

  std::string pool;
  std::string enrollment;
};

void checkRefused(const ApiResponse& r, int status, const std::string& code,
                  const std::string& named = "") {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.errorCode() == code);
  if (!named.empty()) {
    CHECK(r.json()["error"]["message"].get<std::string>().find(named) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("a gzip snapshot is stored and operators see it with its summary", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  auto viewer = f.operatorToken("viewer");
  CHECK(f.clusters(viewer.token).empty());

  Json first = envelope("prod", 3);
  auto created = f.send(agent, first);
  INFO(created.body);
  REQUIRE(created.status == 201);
  CHECK(created.json() == Json({{"cluster_id", "prod"}, {"version", 3}}));

  Json items = f.clusters(viewer.token);
  REQUIRE(items.size() == 1);
  const Json& c = items[0];
  CHECK(c["cluster_id"] == "prod");
  CHECK(c["agent_id"] == agent.id);
  CHECK(c["version"] == 3);
  CHECK(c["kind"] == "k8s");
  CHECK(c["summary"] == first["summary"]);
  CHECK(c["fetched_at"] == "2026-03-14T09:30:00.000Z");
  CHECK(c["received_at"].is_string());
  CHECK(c["staleness_s"].get<int64_t>() >= 0);
  CHECK(c["size_bytes"] == first.dump().size());

  auto snapshot = f.api.get("/api/v1/clusters/prod/snapshot", viewer.token);
  REQUIRE(snapshot.status == 200);
  CHECK(snapshot.json() == first);

  Json next = envelope("prod", 4);
  next["summary"] = {{"nodes", 7}};
  auto replaced = f.send(agent, next);
  CHECK(replaced.status == 200);
  CHECK(f.clusters(viewer.token)[0]["summary"] == next["summary"]);
  CHECK(f.api.get("/api/v1/clusters/prod/snapshot", viewer.token).json() == next);
}

TEST_CASE("an unencoded snapshot is accepted too", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  Json body = envelope("prod", 1);
  REQUIRE(f.upload(agent.token, body.dump(), "").status == 201);
  REQUIRE(f.upload(agent.token, envelope("prod", 2).dump(), "identity").status == 200);
  CHECK(f.api.get("/api/v1/clusters/prod/snapshot", f.admin()).json() == envelope("prod", 2));
}

TEST_CASE("a snapshot not newer than the stored one is a conflict", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  REQUIRE(f.send(agent, envelope("prod", 10)).status == 201);
  checkRefused(f.send(agent, envelope("prod", 10)), 409, "conflict",
               "version 10 of cluster 'prod' is not newer than the stored version 10");
  checkRefused(f.send(agent, envelope("prod", 9)), 409, "conflict",
               "version 9 of cluster 'prod' is not newer than the stored version 10");
  CHECK(f.clusters(f.admin())[0]["version"] == 10);
}

TEST_CASE("a compression bomb stops inflating at snapshots.max_bytes", "[integration]") {
  SnapshotFixture f(withConfig("snapshots: {max_bytes: 1048576}\n"));
  auto agent = f.clusterAgent("prod");
  // 100 MiB of zeros compress to about 100 KiB.
  std::string bomb = gzip(std::string(size_t(100) << 20, '\0'));
  REQUIRE(bomb.size() < (size_t(200) << 10));
  long before = f.peakMemoryKiB();
  REQUIRE(before > 0);
  checkRefused(f.upload(agent.token, bomb), 413, "payload_too_large", "snapshots.max_bytes");
  // Had the bytes been inflated whole, the master would have held 100 MiB at once.
  constexpr long kGrowthKiB = 48L * 1024;
  CHECK(f.peakMemoryKiB() - before < kGrowthKiB);

  // A bomb aimed at another route is refused before the body is read, let alone inflated.
  checkRefused(f.upload(f.admin(), bomb, "gzip", "application/json", "/api/v1/agent-pools"), 415,
               "unsupported_media_type", "Content-Encoding 'gzip'");
  CHECK(f.peakMemoryKiB() - before < kGrowthKiB);

  CHECK(f.api.get("/healthz", "").status == 200);
  CHECK(f.api.get("/readyz", "").status == 200);
  CHECK(f.send(agent, envelope("prod", 1)).status == 201);
}

TEST_CASE("malformed snapshots are refused by what is wrong with them", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  std::string good = gzip(envelope("prod", 1).dump());

  checkRefused(f.upload(agent.token, "this is not gzip"), 400, "bad_request", "gzip");
  checkRefused(f.upload(agent.token, good.substr(0, good.size() - 10)), 400, "bad_request", "gzip");
  checkRefused(f.upload(agent.token, gzip("{\"cluster_id\": ")), 400, "bad_request");
  checkRefused(f.upload(agent.token, "{\"cluster_id\": ", ""), 400, "bad_request");

  Json missing = envelope("prod", 1);
  missing.erase("version");
  checkRefused(f.send(agent, missing), 422, "invalid_argument", "'version'");
  Json wrong = envelope("prod", 1);
  wrong["summary"] = "everything is fine";
  checkRefused(f.send(agent, wrong), 422, "invalid_argument", "'summary'");

  checkRefused(f.upload(agent.token, good, "gzip", "text/plain"), 415, "unsupported_media_type");
  checkRefused(f.upload(agent.token, good, "br"), 415, "unsupported_media_type", "'br'");
  checkRefused(f.upload(agent.token, good, "deflate"), 415, "unsupported_media_type", "'deflate'");

  CHECK(f.clusters(f.admin()).empty());
  CHECK(f.api.get("/healthz", "").status == 200);
}

TEST_CASE("only the cluster's own agents may send its snapshots", "[integration]") {
  SnapshotFixture f;
  auto prod = f.clusterAgent("prod");
  auto viewer = f.operatorToken("viewer");
  std::string body = gzip(envelope("prod", 1).dump());

  checkRefused(f.upload("", body), 401, "unauthenticated");
  checkRefused(f.upload("crl_agt_not-a-real-token", body), 401, "unauthenticated");
  checkRefused(f.upload(viewer.token, body), 401, "unauthenticated");
  checkRefused(f.upload(f.enrollment, body), 401, "unauthenticated");
  // Refused before the body is read, however large it is.
  checkRefused(f.upload("", noise(size_t(20) << 20)), 401, "unauthenticated");

  checkRefused(f.send(prod, envelope("staging", 1)), 403, "permission_denied", "'prod'");
  auto host = f.registerAgent(f.enrollment, "plain-host");
  checkRefused(f.send(host, envelope("prod", 1)), 403, "permission_denied", "'prod'");

  REQUIRE(
      f.api.post("/api/v1/agents/" + prod.id + "/revoke-token", f.admin(), Json::object()).status ==
      204);
  checkRefused(f.send(prod, envelope("prod", 1)), 401, "unauthenticated");
  CHECK(f.clusters(viewer.token).empty());
}

TEST_CASE("operators read clusters with a viewer token", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  REQUIRE(f.send(agent, envelope("prod", 1)).status == 201);
  checkRefused(f.api.get("/api/v1/clusters", ""), 401, "unauthenticated");
  checkRefused(f.api.get("/api/v1/clusters", agent.token), 401, "unauthenticated");
  checkRefused(f.api.get("/api/v1/clusters/prod/snapshot", ""), 401, "unauthenticated");
  checkRefused(f.api.get("/api/v1/clusters/nowhere/snapshot", f.admin()), 404, "not_found");
  checkRefused(f.api.get("/api/v1/clusters?limit=0", f.admin()), 422, "invalid_argument",
               "'limit'");

  auto second = f.clusterAgent("dev");
  REQUIRE(f.send(second, envelope("dev", 1)).status == 201);
  auto page = f.api.get("/api/v1/clusters?limit=1", f.admin()).json();
  REQUIRE(page["items"].size() == 1);
  CHECK(page["items"][0]["cluster_id"] == "dev");
  auto rest = f.api
                  .get("/api/v1/clusters?limit=1&continue=" + page["continue"].get<std::string>(),
                       f.admin())
                  .json();
  REQUIRE(rest["items"].size() == 1);
  CHECK(rest["items"][0]["cluster_id"] == "prod");
}

TEST_CASE("a snapshot counts as a sign of life of its agent", "[integration]") {
  SnapshotFixture f(withConfig("agents: {offline_after: 1s}\nmonitor: {interval: 50ms}\n"));
  auto agent = f.clusterAgent("prod");
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (f.agentView(agent.id)["status"] != "offline" && std::chrono::steady_clock::now() < until) {
  }
  REQUIRE(f.agentView(agent.id)["status"] == "offline");
  REQUIRE(f.send(agent, envelope("prod", 1)).status == 201);
  CHECK(f.agentView(agent.id)["status"] == "online");
}

TEST_CASE("the snapshot route has its own body limit", "[integration]") {
  SnapshotFixture f(
      withConfig("http: {max_body_bytes: 4096}\nsnapshots: {max_compressed_bytes: 65536}\n"));
  auto agent = f.clusterAgent("prod");

  // Over http.max_body_bytes, within the snapshot limit.
  Json big = envelope("prod", 1);
  big["resources"]["padding"] = std::string(40'000, 'x');
  CHECK(f.upload(agent.token, big.dump(), "").status == 201);
  big["version"] = 2;
  CHECK(f.send(agent, big).status == 200);

  checkRefused(f.upload(agent.token, noise(70'000)), 413, "payload_too_large",
               "snapshots.max_compressed_bytes");
  // Every other route keeps http.max_body_bytes, whether the length is declared or not.
  checkRefused(f.api.post("/api/v1/agent-pools", f.admin(),
                          {{"name", "big"}, {"description", std::string(8192, 'x')}}),
               413, "payload_too_large", "http.max_body_bytes");
  httplib::Client client("127.0.0.1", f.master.port());
  std::string chunked = Json({{"name", "big"}, {"description", std::string(8192, 'x')}}).dump();
  auto r = client.Post(
      "/api/v1/agent-pools", httplib::Headers{{"Authorization", "Bearer " + f.admin()}},
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset < chunked.size()) {
          sink.write(chunked.data() + offset, std::min<size_t>(1000, chunked.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  checkRefused(convert(r), 413, "payload_too_large", "http.max_body_bytes");
  CHECK(f.api.post("/api/v1/agent-pools", f.admin(), {{"name", "small"}}).status == 201);
}

TEST_CASE("the latest snapshot survives a restart of the master", "[integration]") {
  SnapshotFixture f;
  auto agent = f.clusterAgent("prod");
  Json body = envelope("prod", 42);
  REQUIRE(f.send(agent, body).status == 201);
  REQUIRE(f.master.terminate() == 0);

  MasterProcess::Options options;
  options.data_dir = f.master.dataDir();
  MasterProcess again(options);
  corral::testing::ApiClient api("127.0.0.1", again.port());
  auto snapshot = api.get("/api/v1/clusters/prod/snapshot", again.adminToken());
  REQUIRE(snapshot.status == 200);
  CHECK(snapshot.json() == body);
  auto listed = api.get("/api/v1/clusters", again.adminToken()).json()["items"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["version"] == 42);
  CHECK(listed[0]["agent_id"] == agent.id);
}
