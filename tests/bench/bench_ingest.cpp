// bench_ingest: how fast a real corral-master takes a large cluster snapshot and answers queries
// over it, and what each cluster costs it in memory. The snapshot is the Kubernetes API
// emulator's cluster multiplied to --pods pods (the recorded fixtures, through the agent's own
// converters and summary), gzip-compressed as the agent sends it, uploaded over loopback.
//
// - ingest: the time from the last byte of the upload to the answer (inflated, checked, indexed,
//   stored, published), and to the first query that sees the new version;
// - queries: list queries with filters and detail queries with correlation, over HTTP, one
//   connection per request, against the indexed cluster;
// - memory: the master's resident memory before any snapshot, after the first cluster, and after
//   --clusters clusters (each further one took two snapshots, so each has replaced its index once,
//   as in steady state).
//
//   bench_ingest [--pods 5000] [--runs 20] [--clusters 5] [--queries 2000] [--markdown FILE]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/gzip.h"
#include "common/json.h"
#include "master/inventory/list_query.h"
#include "master/inventory/object_detail.h"
#include "master/inventory/snapshot_parser.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/raw_http.h"
#include "tests/master/inventory/sample_snapshots.h"

namespace corral::bench {
namespace {

constexpr const char* kMasterConfig =
    "log: {level: warn}\n"
    "agents: {heartbeat_interval: 1h, offline_after: 2h, snapshot_interval: 1h}\n"
    "snapshots: {max_bytes: 268435456, max_compressed_bytes: 67108864}\n";

constexpr double kIngestTargetMs = 100;
constexpr double kQueryTargetMs = 5;
constexpr double kMemoryTargetRatio = 3;

struct Options {
  int pods = 5000;
  int runs = 20;
  int clusters = 5;
  int queries = 2000;
  std::string markdown;
};

std::string fmt(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string verdict(bool ok) { return ok ? "met" : "**missed**"; }

double mb(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// The envelope text for another cluster and version: the base envelope is serialized with its
// members in name order, so it starts with the cluster id and ends with the version.
std::string envelopeFor(const std::string& base, const std::string& cluster_id, int64_t version) {
  const std::string head = "{\"cluster_id\":\"sample\",";
  const std::string tail = "\"version\":1}";
  if (base.compare(0, head.size(), head) != 0 ||
      base.compare(base.size() - tail.size(), tail.size(), tail) != 0) {
    throw std::runtime_error("the sample envelope does not have the expected shape");
  }
  return "{\"cluster_id\":\"" + cluster_id + "\"," +
         base.substr(head.size(), base.size() - head.size() - tail.size()) +
         "\"version\":" + std::to_string(version) + "}";
}

// CPU time of this thread, in microseconds.
int64_t threadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

std::string gzip(const std::string& text) {
  auto compressed = gzipCompress(text);
  if (!compressed.isOk()) {
    throw std::runtime_error("gzip failed");
  }
  return std::move(*compressed);
}

struct TimedUpload {
  int status = 0;
  int64_t sent_us = 0;      // when the last byte of the request was written
  int64_t answered_us = 0;  // when the whole answer was read
};

// POSTs a gzip snapshot on a fresh connection, timing the end of the upload and the answer.
TimedUpload upload(int port, const std::string& token, const std::string& body) {
  TimedUpload out;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return out;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::string request =
      "POST /api/v1/agent/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      token +
      "\r\n"
      "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
      "Content-Length: " +
      std::to_string(body.size()) +
      "\r\n"
      "Connection: close\r\n\r\n" +
      body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return out;
    }
    sent += static_cast<size_t>(n);
  }
  out.sent_us = nowUs();
  std::string response;
  char buffer[4096];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      break;
    }
    response.append(buffer, static_cast<size_t>(n));
  }
  out.answered_us = nowUs();
  ::close(fd);
  if (response.size() > 12 && response.compare(0, 5, "HTTP/") == 0) {
    out.status = std::atoi(response.c_str() + 9);
  }
  return out;
}

// A k8s agent registered for `cluster_id`; returns its token.
std::string clusterAgent(int port, const std::string& enrollment, const std::string& cluster_id) {
  Json body = {{"name", cluster_id + "-agent"}, {"type", "k8s"}, {"protocol_version", "1.0"},
               {"cluster_id", cluster_id},      {"slots", 3},    {"labels", Json::object()}};
  auto r = rawRequest(port, "POST", "/api/v1/agent/register", enrollment, body.dump());
  if (r.status != 201) {
    throw std::runtime_error("registration failed: " + std::to_string(r.status) + " " + r.body);
  }
  return Json::parse(r.body)["agent_token"].get<std::string>();
}

Json getJson(const BenchMaster& master, const std::string& path) {
  auto r = rawRequest(master.port(), "GET", path, master.admin());
  if (r.status != 200) {
    throw std::runtime_error("GET " + path + ": " + std::to_string(r.status) + " " + r.body);
  }
  return Json::parse(r.body);
}

struct IngestResult {
  Percentiles answer;     // end of upload -> answer
  Percentiles queryable;  // end of upload -> a query sees the version
  double cpu_ms = 0;      // master CPU per ingest
};

struct QueryResult {
  std::map<std::string, Percentiles> by_query;
  Percentiles lists;
  Percentiles details;
};

struct MemoryResult {
  int64_t rss_start = 0;
  int64_t rss_one = 0;  // after the first cluster (its uploads and the queries)
  int64_t rss_end = 0;
  int64_t peak = 0;
  int clusters = 0;
  int64_t index_bytes = 0;  // one cluster's index, as the master accounts it
};

struct Report {
  Options options;
  size_t json_bytes = 0;
  size_t gzip_bytes = 0;
  std::map<std::string, int64_t> counts;
  IngestResult ingest;
  double index_cpu_ms = 0;  // inflate + parse + index in this process, median CPU time
  QueryResult queries;
  QueryResult in_process;  // the same queries without HTTP
  MemoryResult memory;
};

IngestResult runIngest(BenchMaster& master, const std::string& token, const std::string& base,
                       const std::string& cluster_id, int runs) {
  std::vector<std::string> bodies;
  for (int run = 0; run < runs; ++run) {
    bodies.push_back(gzip(envelopeFor(base, cluster_id, 100 + run)));
  }
  std::vector<int64_t> answer;
  std::vector<int64_t> queryable;
  double cpu = 0;
  for (int run = 0; run < runs; ++run) {
    double cpu_before = cpuSeconds(master.pid());
    TimedUpload up = upload(master.port(), token, bodies[static_cast<size_t>(run)]);
    if (up.status != 200 && up.status != 201) {
      throw std::runtime_error("upload answered " + std::to_string(up.status));
    }
    cpu += cpuSeconds(master.pid()) - cpu_before;
    std::string wanted = "\"version\":" + std::to_string(100 + run);
    auto r = rawRequest(master.port(), "GET", "/api/v1/clusters/" + cluster_id + "/pods?limit=1",
                        master.admin());
    int64_t seen = nowUs();
    if (r.status != 200 || r.body.find(wanted) == std::string::npos) {
      throw std::runtime_error("the query after the upload did not see its version");
    }
    answer.push_back(up.answered_us - up.sent_us);
    queryable.push_back(seen - up.sent_us);
  }
  IngestResult out;
  out.answer = percentilesMs(answer);
  out.queryable = percentilesMs(queryable);
  out.cpu_ms = cpu * 1000.0 / runs;
  return out;
}

// One query of the mix: a list (kind and parameters) or a detail (kind, namespace, name).
struct QuerySpec {
  std::string name;
  master::Kind kind = master::Kind::kPods;
  bool list = true;
  master::QueryParams params;
  std::string ns;
  std::string object;
};

std::string urlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if ((std::isalnum(u) != 0) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' ||
        c == '/') {
      out.push_back(c);
    } else {
      out += '%';
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    }
  }
  return out;
}

std::string pathOf(const std::string& cluster_id, const QuerySpec& q) {
  std::string path = "/api/v1/clusters/" + cluster_id + "/" + std::string(master::kindName(q.kind));
  if (!q.list) {
    return path + (q.ns.empty() ? "" : "/" + q.ns) + "/" + q.object;
  }
  char joiner = '?';
  for (const auto& [name, value] : q.params) {
    path += joiner + name + "=" + urlEncode(value);
    joiner = '&';
  }
  return path;
}

// The mix of queries a dashboard makes, over objects found in the cluster.
std::vector<QuerySpec> queryMix(BenchMaster& master, const std::string& cluster_id) {
  using master::Kind;
  const std::string base = "/api/v1/clusters/" + cluster_id;
  Json pods = getJson(master, base + "/pods?namespace=default&limit=50");
  Json deployments = getJson(master, base + "/deployments?namespace=default&limit=20");
  Json services = getJson(master, base + "/services?namespace=default&limit=20");
  Json nodes = getJson(master, base + "/nodes?limit=20");
  Json page1 = getJson(master, base + "/pods?limit=100&sort=-restarts");
  std::string app = deployments["items"].back()["name"].get<std::string>();
  std::string node = nodes["items"][0]["name"].get<std::string>();
  std::vector<QuerySpec> mix = {
      {"namespace", Kind::kPods, true, {{"namespace", "default"}}, "", ""},
      {"label selector",
       Kind::kPods,
       true,
       {{"label", "app=" + app + ",pod-template-hash"}},
       "",
       ""},
      {"status", Kind::kPods, true, {{"status", "CrashLoopBackOff,ErrImagePull"}}, "", ""},
      {"node", Kind::kPods, true, {{"node", node}}, "", ""},
      {"owner",
       Kind::kPods,
       true,
       {{"owner", "ReplicaSet/" + pods["items"][0]["owner_name"].get<std::string>()}},
       "",
       ""},
      {"text and phase", Kind::kPods, true, {{"q", "oom"}, {"phase", "Failed"}}, "", ""},
      {"sorted, second page",
       Kind::kPods,
       true,
       {{"limit", "100"},
        {"sort", "-restarts"},
        {"continue", page1["continue"].get<std::string>()}},
       "",
       ""},
      {"events, warnings", Kind::kEvents, true, {{"status", "Warning"}, {"limit", "50"}}, "", ""},
      {"deployments, unhealthy", Kind::kDeployments, true, {{"status", "Unhealthy"}}, "", ""},
  };
  for (size_t i = 0; i < 5; ++i) {
    const Json& pod = pods["items"][i * 7 % pods["items"].size()];
    mix.push_back({"pod", Kind::kPods, false, {}, "default", pod["name"].get<std::string>()});
  }
  mix.push_back({"node", Kind::kNodes, false, {}, "", node});
  mix.push_back({"deployment", Kind::kDeployments, false, {}, "default", app});
  mix.push_back({"service",
                 Kind::kServices,
                 false,
                 {},
                 "default",
                 services["items"].back()["name"].get<std::string>()});
  return mix;
}

QueryResult runQueries(BenchMaster& master, const std::string& cluster_id,
                       const std::vector<QuerySpec>& mix, int count) {
  std::vector<const QuerySpec*> lists;
  std::vector<const QuerySpec*> details;
  for (const QuerySpec& q : mix) {
    (q.list ? lists : details).push_back(&q);
  }
  std::map<std::string, std::vector<int64_t>> samples;
  std::vector<int64_t> list_samples;
  std::vector<int64_t> detail_samples;
  for (int i = 0; i < count; ++i) {
    bool list = i % 2 == 0;
    const auto& chosen = list ? lists : details;
    const QuerySpec& q = *chosen[static_cast<size_t>(i / 2) % chosen.size()];
    std::string path = pathOf(cluster_id, q);
    int64_t start = nowUs();
    auto r = rawRequest(master.port(), "GET", path, master.admin());
    int64_t took = nowUs() - start;
    if (r.status != 200) {
      throw std::runtime_error("GET " + path + ": " + std::to_string(r.status) + " " + r.body);
    }
    samples[(list ? "list: " : "detail: ") + q.name].push_back(took);
    (list ? list_samples : detail_samples).push_back(took);
  }
  QueryResult out;
  for (auto& [name, s] : samples) {
    out.by_query[name] = percentilesMs(s);
  }
  out.lists = percentilesMs(list_samples);
  out.details = percentilesMs(detail_samples);
  return out;
}

// The same queries answered in this process from an index of the same snapshot: what a query
// costs without HTTP, a new thread per connection and the machine's scheduling.
QueryResult runQueriesInProcess(const master::ClusterIndex& index,
                                const std::vector<QuerySpec>& mix, int count) {
  std::vector<int64_t> list_samples;
  std::vector<int64_t> detail_samples;
  size_t answered = 0;
  for (int i = 0; i < count; ++i) {
    const QuerySpec& q = mix[static_cast<size_t>(i) % mix.size()];
    int64_t start = nowUs();
    if (q.list) {
      auto parsed = master::parseListQuery(q.kind, q.params);
      if (!parsed.isOk()) {
        throw std::runtime_error(q.name + ": " + parsed.status().message());
      }
      answered +=
          master::renderListPage(index, q.kind, master::runListQuery(index, *parsed)).size();
      list_samples.push_back(nowUs() - start);
    } else {
      auto answer = master::describeObject(index, q.kind, q.ns, q.object);
      if (!answer.isOk()) {
        throw std::runtime_error(q.name + ": " + answer.status().message());
      }
      answered += answer->size();
      detail_samples.push_back(nowUs() - start);
    }
  }
  QueryResult out;
  out.lists = percentilesMs(list_samples);
  out.details = percentilesMs(detail_samples);
  return out;
}

void writeMarkdown(const Report& r, std::ostream& md) {
  const Options& o = r.options;
  auto json_bytes = static_cast<double>(r.json_bytes);
  double first_ratio = static_cast<double>(r.memory.rss_one - r.memory.rss_start) / json_bytes;
  int more = r.memory.clusters - 1;
  double more_bytes =
      more > 0 ? static_cast<double>(r.memory.rss_end - r.memory.rss_one) / more : 0;
  double ratio = more_bytes / json_bytes;
  double average =
      static_cast<double>(r.memory.rss_end - r.memory.rss_start) / r.memory.clusters / json_bytes;
  md << "## bench_ingest\n\n"
     << "Machine: " << machineDescription() << ". Master and load generator share the machine.\n\n"
     << "A snapshot of the emulator's cluster multiplied to " << o.pods << " pods (";
  bool first = true;
  for (const auto& [kind, n] : r.counts) {
    md << (first ? "" : ", ") << n << " " << kind;
    first = false;
  }
  md << "): " << fmt(mb(static_cast<int64_t>(r.json_bytes)), 1) << " MB of JSON, "
     << fmt(mb(static_cast<int64_t>(r.gzip_bytes)), 2) << " MB gzip-compressed as the agent "
     << "sends it.\n\n"
     << "### Ingest: " << o.runs << " uploads of a new version of one cluster\n\n"
     << "From the last byte of the upload to the answer (inflated, checked, indexed, committed "
     << "with `synchronous=full`, published), and to the answer of the first list query that "
     << "sees the new version.\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| answer p50 / p90 / max | " << fmt(r.ingest.answer.p50) << " / "
     << fmt(r.ingest.answer.p90) << " / " << fmt(r.ingest.answer.max) << " ms | |\n"
     << "| queryable p50 | " << fmt(r.ingest.queryable.p50) << " ms | ≤ " << kIngestTargetMs
     << " ms: " << verdict(r.ingest.queryable.p50 <= kIngestTargetMs) << " |\n"
     << "| queryable p90 / max | " << fmt(r.ingest.queryable.p90) << " / "
     << fmt(r.ingest.queryable.max) << " ms | |\n"
     << "| master CPU per ingest, every thread | " << fmt(r.ingest.cpu_ms, 1) << " ms | |\n"
     << "| of which inflating, checking and indexing (measured alone) | " << fmt(r.index_cpu_ms, 1)
     << " ms | |\n\n"
     << "### Queries: " << o.queries << " requests over HTTP, a new connection each\n\n"
     << "| query | p50 | p99 | max |\n|---|---|---|---|\n";
  for (const auto& [name, p] : r.queries.by_query) {
    md << "| " << name << " | " << fmt(p.p50, 3) << " ms | " << fmt(p.p99, 3) << " ms | "
       << fmt(p.max, 3) << " ms |\n";
  }
  md << "\n| measure | value | target |\n|---|---|---|\n"
     << "| list queries with filters p99 | " << fmt(r.queries.lists.p99, 3) << " ms | ≤ "
     << kQueryTargetMs << " ms: " << verdict(r.queries.lists.p99 <= kQueryTargetMs) << " |\n"
     << "| correlation detail queries p99 | " << fmt(r.queries.details.p99, 3) << " ms | ≤ "
     << kQueryTargetMs << " ms: " << verdict(r.queries.details.p99 <= kQueryTargetMs) << " |\n"
     << "| the same lists answered in process (no HTTP), p50 / p99 | "
     << fmt(r.in_process.lists.p50, 3) << " / " << fmt(r.in_process.lists.p99, 3) << " ms | |\n"
     << "| the same details answered in process, p50 / p99 | " << fmt(r.in_process.details.p50, 3)
     << " / " << fmt(r.in_process.details.p99, 3) << " ms | |\n\n"
     << "### Memory: " << r.memory.clusters << " clusters, two snapshots each\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| master RSS before any snapshot | " << fmt(mb(r.memory.rss_start), 1) << " MB | |\n"
     << "| master RSS after | " << fmt(mb(r.memory.rss_end), 1) << " MB (peak "
     << fmt(mb(r.memory.peak), 1) << " MB) | |\n"
     << "| growth with the first cluster (its " << o.runs + 1
     << " uploads and the queries; fixed costs included) | "
     << fmt(mb(r.memory.rss_one - r.memory.rss_start), 1) << " MB = " << fmt(first_ratio)
     << " × | |\n"
     << "| growth per further cluster | " << fmt(more_bytes / (1024.0 * 1024.0), 1)
     << " MB = " << fmt(ratio) << " × the snapshot's JSON | ≤ " << kMemoryTargetRatio
     << " ×: " << verdict(ratio <= kMemoryTargetRatio) << " |\n"
     << "| growth per cluster, all " << r.memory.clusters << " together | " << fmt(average)
     << " × | |\n"
     << "| one cluster's index, as the master counts it | " << fmt(mb(r.memory.index_bytes), 1)
     << " MB = "
     << fmt(static_cast<double>(r.memory.index_bytes) / static_cast<double>(r.json_bytes))
     << " × | |\n\n"
     << "Notes. The index keeps the snapshot's compact JSON once and, per object, the fields "
     << "lists filter and sort on and the links between objects; answers are spliced from the "
     << "kept text, so no query parses JSON. The upload is parsed without a DOM (a DOM of this "
     << "snapshot takes several times its size and, with nlohmann, most of the time budget). "
     << "\"Queryable\" includes one more HTTP round trip than \"answer\". On a shared, loaded "
     << "machine the wall times stretch with the load; the CPU per ingest does not.\n";
}

int run(const Options& o) {
  std::cerr << "building the " << o.pods << "-pod snapshot...\n";
  std::string base = testing::sampleSnapshotJson(o.pods);
  Report report;
  report.options = o;
  report.json_bytes = base.size();
  report.gzip_bytes = gzip(base).size();
  Json totals = Json::parse(base)["summary"]["totals"];
  for (const auto& item : totals.items()) {
    report.counts[item.key()] = item.value().get<int64_t>();
  }

  {
    std::string compressed = gzip(base);
    std::vector<int64_t> cpu;
    for (int i = 0; i < 5; ++i) {
      int64_t start = threadCpuUs();
      auto inflated = gzipDecompress(compressed, size_t{1} << 30);
      auto parsed = inflated.isOk() ? master::parseSnapshot(std::move(*inflated))
                                    : Result<master::ParsedSnapshot>(inflated.status());
      if (!parsed.isOk()) {
        throw std::runtime_error("the sample does not parse: " + parsed.status().message());
      }
      cpu.push_back(threadCpuUs() - start);
    }
    report.index_cpu_ms = percentilesMs(cpu).p50;
  }

  BenchMaster master(kMasterConfig);
  auto [pool, enrollment] = makePool(master.port(), master.admin(), "clusters");
  std::vector<std::string> tokens;
  for (int c = 0; c < o.clusters; ++c) {
    tokens.push_back(clusterAgent(master.port(), enrollment, "bench-" + std::to_string(c)));
  }
  report.memory.rss_start = rssBytes(master.pid());
  report.memory.clusters = o.clusters;

  std::cerr << "ingest...\n";
  auto first = upload(master.port(), tokens[0], gzip(envelopeFor(base, "bench-0", 1)));
  if (first.status != 201) {
    throw std::runtime_error("the first upload answered " + std::to_string(first.status));
  }
  report.ingest = runIngest(master, tokens[0], base, "bench-0", o.runs);

  std::cerr << "queries...\n";
  std::vector<QuerySpec> mix = queryMix(master, "bench-0");
  report.queries = runQueries(master, "bench-0", mix, o.queries);
  {
    auto parsed = master::parseSnapshot(envelopeFor(base, "bench-0", 100 + o.runs - 1));
    if (!parsed.isOk()) {
      throw std::runtime_error("the sample does not parse: " + parsed.status().message());
    }
    report.in_process = runQueriesInProcess(*parsed->index, mix, o.queries);
  }

  report.memory.rss_one = rssBytes(master.pid());
  std::cerr << "memory...\n";
  for (int c = 1; c < o.clusters; ++c) {
    std::string id = "bench-" + std::to_string(c);
    for (int64_t version : {1, 2}) {
      auto up = upload(master.port(), tokens[static_cast<size_t>(c)],
                       gzip(envelopeFor(base, id, version)));
      if (up.status != 200 && up.status != 201) {
        throw std::runtime_error("upload answered " + std::to_string(up.status));
      }
    }
  }
  report.memory.rss_end = rssBytes(master.pid());
  report.memory.peak = peakRssBytes(master.pid());
  report.memory.index_bytes = getJson(master, "/api/v1/clusters/bench-0")["index_bytes"];

  std::ostringstream md;
  writeMarkdown(report, md);
  std::cout << md.str();
  if (!o.markdown.empty()) {
    std::ofstream(o.markdown) << md.str();
  }
  return 0;
}

}  // namespace
}  // namespace corral::bench

int main(int argc, char** argv) {
  corral::bench::Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--pods") {
      o.pods = std::stoi(value);
    } else if (flag == "--runs") {
      o.runs = std::stoi(value);
    } else if (flag == "--clusters") {
      o.clusters = std::stoi(value);
    } else if (flag == "--queries") {
      o.queries = std::stoi(value);
    } else if (flag == "--markdown") {
      o.markdown = value;
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  try {
    return corral::bench::run(o);
  } catch (const std::exception& e) {
    std::cerr << "bench_ingest: " << e.what() << "\n";
    return 1;
  }
}
