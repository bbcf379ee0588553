// bench_agent: what the Kubernetes agent costs against a large cluster. The Kubernetes API
// emulator serves its recorded pods multiplied to --pods (nodes, deployments, replica sets,
// services and events in proportion), a real corral-master takes the snapshots, and:
//
// - in this process, the agent's own layers (the SDK client from makeK8sClient, the repositories,
//   the snapshot service, the HTTP gateway) collect, convert and push snapshots over loopback,
//   timed per run and, in one serial run, per part; each snapshot is pushed twice, through the
//   gateway as corral-agent does and as the gzip body model::gzipEnvelope() streams, and the
//   memory of each step is measured;
// - the real corral-agent binary (or --agent), as a child process, enrols, pushes its snapshot
//   and is then watched idle: resident memory, peak memory, and CPU over an idle window.
//
//   bench_agent [--pods 5000] [--runs 5] [--idle-seconds 5] [--agent FILE] [--markdown FILE]

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agent/gateway/http_master_gateway.h"
#include "agent/model/cluster_snapshot.h"
#include "agent/repository/resource_repository.h"
#include "agent/sdk/k8s_client_factory.h"
#include "agent/sdk/kube_config.h"
#include "agent/sdk/rest_k8s_client.h"
#include "agent/service/snapshot_service.h"
#include "common/gzip.h"
#include "common/http_transport.h"
#include "common/system_clock.h"
#include "tests/bench/bench_support.h"
#include "tests/bench/raw_http.h"

namespace corral::bench {
namespace {

using agent::K8sClient;
using agent::ResourceRepository;

constexpr const char* kClusterToken = "bench-cluster-token";
constexpr const char* kAgentCluster = "bench";          // the corral-agent process reports this
constexpr const char* kInProcessCluster = "bench-lib";  // the in-process pushes report this

// Heartbeats, snapshots and polls far apart, so the idle window sees none of them; room for the
// snapshots of large clusters.
constexpr const char* kMasterConfig =
    "log: {level: warn}\n"
    "agents: {heartbeat_interval: 1h, offline_after: 2h, poll_wait: 60s, snapshot_interval: 1h}\n"
    "http: {max_poll_wait: 60s}\n"
    "snapshots: {max_bytes: 268435456, max_compressed_bytes: 67108864}\n";

constexpr double kCollectTargetMs = 500;
constexpr double kIdleRssTargetMb = 20;
constexpr double kPeakRssTargetMb = 64;

struct Options {
  double load_average = 0;  // of the machine, read at start
  int pods = 5000;
  int runs = 5;
  int idle_seconds = 5;
  std::string agent = CORRAL_AGENT_BIN;  // the corral-agent binary to measure
  std::string markdown;
};

std::string fmt(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string verdict(bool ok) { return ok ? "met" : "**missed**"; }

double mb(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

double ms(int64_t us) { return static_cast<double>(us) / 1000.0; }

// Polls `condition` until it holds or `timeout` passes. The condition reads the state of another
// process; the short pause between reads only spaces them out.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// --- the processes --------------------------------------------------------------------------

// corral-k8s-emulator with the multiplied cluster, and the kubeconfig it wrote.
class EmulatorProcess {
 public:
  explicit EmulatorProcess(int pods) : kubeconfig_(scratch_.file("kubeconfig")) {
    process_ = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{CORRAL_K8S_EMULATOR_BIN, "--listen", "127.0.0.1:0", "--token",
                                 kClusterToken, "--pods", std::to_string(pods), "--kubeconfig-out",
                                 kubeconfig_},
        scratch_.file("emulator.stderr"));
    auto line = process_->waitForLine("listening on", std::chrono::minutes(3));
    if (!line) {
      throw std::runtime_error("corral-k8s-emulator did not start");
    }
    port_ = std::stoi(line->substr(line->rfind(':') + 1));
  }
  ~EmulatorProcess() {
    process_->signal(SIGTERM);
    if (!process_->wait(std::chrono::seconds(30))) {
      process_->signal(SIGKILL);
    }
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return process_->pid(); }
  const std::string& kubeconfig() const { return kubeconfig_; }

 private:
  testing::TempDir scratch_;
  std::string kubeconfig_;
  int port_ = 0;
  std::unique_ptr<testing::ChildProcess> process_;
};

// The cluster's record on the master ({} when it has sent no snapshot yet).
Json clusterRecord(const BenchMaster& master, const std::string& cluster_id) {
  auto r = rawRequest(master.port(), "GET", "/api/v1/clusters", master.admin());
  if (r.status != 200) {
    return Json::object();
  }
  Json page = Json::parse(r.body, nullptr, false);
  if (!page.is_object() || !page["items"].is_array()) {
    return Json::object();
  }
  for (const Json& item : page["items"]) {
    if (item.value("cluster_id", "") == cluster_id) {
      return item;
    }
  }
  return Json::object();
}

int64_t clusterVersion(const BenchMaster& master, const std::string& cluster_id) {
  return clusterRecord(master, cluster_id).value("version", int64_t{0});
}

int64_t parkedPolls(const BenchMaster& master) {
  auto r = rawRequest(master.port(), "GET", "/readyz", "");
  if (r.status != 200) {
    return 0;
  }
  Json j = Json::parse(r.body, nullptr, false);
  return j.is_object() ? j.value("parked_polls", int64_t{0}) : 0;
}

// --- in process: the agent's layers, timed --------------------------------------------------

// Wall-clock and this thread's CPU time, in microseconds.
struct Stamp {
  int64_t wall_us = 0;
  int64_t cpu_us = 0;
};

Stamp stamp() {
  timespec cpu{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
  return {nowUs(), static_cast<int64_t>(cpu.tv_sec) * 1'000'000 + cpu.tv_nsec / 1000};
}

// Time added up over calls, wall-clock and CPU of the calling threads.
struct Spent {
  std::atomic<int64_t> wall_us{0};
  std::atomic<int64_t> cpu_us{0};
  void add(const Stamp& from, const Stamp& to) {
    wall_us += to.wall_us - from.wall_us;
    cpu_us += to.cpu_us - from.cpu_us;
  }
  void subtract(const Stamp& from, const Stamp& to) {
    wall_us -= to.wall_us - from.wall_us;
    cpu_us -= to.cpu_us - from.cpu_us;
  }
};

// Counts the time spent in the transport: the HTTP exchanges, the server's answer included.
class TimedTransport final : public HttpTransport {
 public:
  explicit TimedTransport(HttpTransport& inner) : inner_(inner) {}
  Result<HttpResponse> send(const HttpRequest& request) override {
    Stamp start = stamp();
    Result<HttpResponse> response = inner_.send(request);
    spent.add(start, stamp());
    ++requests;
    if (response.isOk()) {
      bytes += static_cast<int64_t>(response->body.size());
    }
    return response;
  }
  Spent spent;
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> bytes{0};

 private:
  HttpTransport& inner_;
};

// Splits the time of K8sClient lists into the client's own work (the transport, then parsing the
// pages into items) and the caller's work on each item (conversion).
class TimedClient final : public K8sClient {
 public:
  explicit TimedClient(K8sClient& inner) : inner_(inner) {}
  Result<std::vector<Json>> list(const std::string& path,
                                 const agent::ListOptions& options) override {
    Stamp start = stamp();
    auto items = inner_.list(path, options);
    spent.add(start, stamp());
    return items;
  }
  Status listEach(const std::string& path, const agent::ListOptions& options,
                  const std::function<void(Json& item)>& visit,
                  const std::function<void()>& restarted) override {
    Stamp start = stamp();
    Status status = inner_.listEach(
        path, options,
        [&](Json& item) {
          Stamp visit_start = stamp();
          visit(item);
          spent.subtract(visit_start, stamp());
        },
        restarted);
    spent.add(start, stamp());
    return status;
  }
  Result<Json> get(const std::string& path) override { return inner_.get(path); }
  Result<Json> patch(const std::string& path, const Json& body, agent::PatchType type) override {
    return inner_.patch(path, body, type);
  }
  Result<Json> remove(const std::string& path, std::optional<int> grace_period_s) override {
    return inner_.remove(path, grace_period_s);
  }
  Result<std::string> logs(const std::string& ns, const std::string& pod,
                           const agent::LogOptions& options) override {
    return inner_.logs(ns, pod, options);
  }
  Result<Json> request(const std::string& method, const std::string& path,
                       const std::string& body) override {
    return inner_.request(method, path, body);
  }
  Spent spent;  // in the client, outside the callers' visits of items

 private:
  K8sClient& inner_;
};

// Counts the time spent in a repository's list: the client's list, then the conversion.
template <typename T>
class TimedRepository final : public ResourceRepository<T> {
 public:
  TimedRepository(std::unique_ptr<ResourceRepository<T>> inner, Spent& spent)
      : inner_(std::move(inner)), spent_(spent) {}
  Result<std::vector<T>> list(const agent::Scope& scope) override {
    Stamp start = stamp();
    auto items = inner_->list(scope);
    spent_.add(start, stamp());
    return items;
  }

 private:
  std::unique_ptr<ResourceRepository<T>> inner_;
  Spent& spent_;
};

template <typename T>
void timed(std::unique_ptr<ResourceRepository<T>>& repository, Spent& spent) {
  repository = std::make_unique<TimedRepository<T>>(std::move(repository), spent);
}

agent::Repositories timedRepositories(K8sClient& client, Spent& spent) {
  agent::Repositories r = agent::makeK8sRepositories(client);
  timed(r.pods, spent);
  timed(r.nodes, spent);
  timed(r.deployments, spent);
  timed(r.replica_sets, spent);
  timed(r.stateful_sets, spent);
  timed(r.daemon_sets, spent);
  timed(r.services, spent);
  timed(r.events, spent);
  timed(r.config_maps, spent);
  timed(r.ingresses, spent);
  timed(r.namespaces, spent);
  return r;
}

// One serial collection (one list at a time) split into where its time went: wall-clock, and
// CPU of the threads doing each part.
struct Phase {
  int64_t wall_us = 0;
  int64_t cpu_us = 0;
};

struct Phases {
  Phase total;
  Phase client;   // in the K8sClient, outside the visits of items: waiting for pages, parsing
  Phase http;     // the HTTP exchanges, on whichever thread made them
  Phase convert;  // the repositories beyond the client: JSON -> model, dropping the JSON
  Phase rest;     // the service beyond the repositories: summary, bookkeeping
  int64_t requests = 0;
  int64_t http_bytes = 0;
  double emulator_cpu_s = 0;  // the emulator's CPU time meanwhile
};

// One way of pushing a collected snapshot to the master, timed, with the memory it needs.
struct PushPath {
  std::vector<int64_t> us;
  int64_t peak_extra_bytes = 0;  // the most the resident set grew above its level before a push
  int64_t body_bytes = 0;        // the gzip body sent
  std::string error;             // of the last push that failed
};

struct InProcessResult {
  std::vector<int64_t> collect_us;
  std::vector<int64_t> collect_cpu_us;   // this process (the agent's code and libcurl)
  std::vector<int64_t> emulator_cpu_us;  // the emulator answering meanwhile
  int64_t collect_peak_extra_bytes = 0;  // the most the resident set rose during a collection
  int64_t snapshot_bytes = 0;            // what the collected snapshot holds once collected
  int64_t json_bytes = 0;                // the envelope's JSON text
  PushPath push;  // HttpMasterGateway::pushSnapshot(model::gzipEnvelope(snapshot))
  std::map<std::string, int64_t> totals;  // kind -> objects in the snapshot
  std::map<std::string, std::string> errors;
  Phases phases;
};

// The resident set now; the peak (VmHWM) starts again from here.
int64_t resetPeakRss() {
  // Freed memory the allocator still holds would hide what the next step needs.
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
  return rssBytes(getpid());
}

// Runs `push` as one sample of `path`.
void samplePush(PushPath& path, const std::function<Status()>& push) {
  int64_t before = resetPeakRss();
  int64_t start = nowUs();
  Status pushed = push();
  path.us.push_back(nowUs() - start);
  path.peak_extra_bytes = std::max(path.peak_extra_bytes, peakRssBytes(getpid()) - before);
  if (!pushed.isOk()) {
    path.error = pushed.message();
  }
}

InProcessResult runInProcess(const Options& o, const EmulatorProcess& emulator,
                             const BenchMaster& master, const std::string& enrollment) {
  InProcessResult out;
  SystemClock clock;
  auto connection = agent::loadKubeconfig(emulator.kubeconfig(), "");
  if (!connection.isOk()) {
    throw std::runtime_error("kubeconfig: " + connection.status().message());
  }

  // The gateway to the master, wired as corral-agent wires it, registered as its own agent.
  TransportOptions master_transport;
  master_transport.reuse_connections = false;
  auto transport = makeCurlTransport(master_transport);
  if (!transport.isOk()) {
    throw std::runtime_error(transport.status().message());
  }
  agent::GatewayOptions gateway_options;
  gateway_options.server_url = "http://127.0.0.1:" + std::to_string(master.port());
  agent::HttpMasterGateway gateway(
      **transport, clock,
      Backoff(std::chrono::seconds(1), std::chrono::seconds(5), [] { return uint64_t{0}; }),
      gateway_options);
  proto::RegisterRequest identity;
  identity.name = "bench-in-process";
  identity.type = "k8s";
  identity.protocol_version = proto::kProtocolVersion;
  identity.cluster_id = kInProcessCluster;
  auto registered = gateway.registerAgent(identity, enrollment);
  if (!registered.isOk()) {
    throw std::runtime_error("registration: " + registered.status().message());
  }

  // The production wiring: makeK8sClient, the repositories, the snapshot service.
  {
    auto k8s = agent::makeK8sClient(*connection, clock);
    if (!k8s.isOk()) {
      throw std::runtime_error(k8s.status().message());
    }
    agent::Repositories repositories = agent::makeK8sRepositories(**k8s);
    agent::SnapshotOptions snapshot_options;
    snapshot_options.cluster_id = kInProcessCluster;
    // Even versions; each snapshot is pushed a second time as the next odd one.
    int64_t versions = 0;
    auto service = agent::makeSnapshotService(
        repositories, clock, [&versions] { return versions += 2; }, snapshot_options);
    for (int run = 0; run < o.runs; ++run) {
      int64_t rss_before = resetPeakRss();
      double cpu_before = cpuSeconds(getpid());
      double emulator_before = cpuSeconds(emulator.pid());
      int64_t start = nowUs();
      agent::model::ClusterSnapshot snapshot = service->collect();
      out.collect_us.push_back(nowUs() - start);
      out.collect_cpu_us.push_back(static_cast<int64_t>((cpuSeconds(getpid()) - cpu_before) * 1e6));
      out.emulator_cpu_us.push_back(
          static_cast<int64_t>((cpuSeconds(emulator.pid()) - emulator_before) * 1e6));
      out.collect_peak_extra_bytes =
          std::max(out.collect_peak_extra_bytes, peakRssBytes(getpid()) - rss_before);
      out.snapshot_bytes = std::max(out.snapshot_bytes, resetPeakRss() - rss_before);
      if (run == 0) {
        out.json_bytes =
            static_cast<int64_t>(Json(agent::model::toEnvelope(snapshot)).dump().size());
      }

      // As corral-agent pushes: the snapshot streamed into the compressor object by object, the
      // compressed body handed to the gateway.
      samplePush(out.push, [&]() -> Status {
        auto body = agent::model::gzipEnvelope(snapshot);
        if (!body.isOk()) {
          return body.status();
        }
        out.push.body_bytes = static_cast<int64_t>(body->size());
        return gateway.pushSnapshot(std::move(*body));
      });
      out.totals = snapshot.summary.totals;
      out.errors = snapshot.errors;
      std::cerr << "  run " << run + 1 << ": collect " << fmt(ms(out.collect_us.back()), 1)
                << " ms, push " << fmt(ms(out.push.us.back()), 1) << " ms\n";
    }
  }

  // One serial collection through timing wrappers at each layer.
  {
    TransportOptions k8s_transport;
    k8s_transport.tls = connection->tls;
    k8s_transport.reuse_connections = true;
    auto curl = makeCurlTransport(k8s_transport);
    if (!curl.isOk()) {
      throw std::runtime_error(curl.status().message());
    }
    TimedTransport timed_transport(**curl);
    agent::RestK8sClient rest(timed_transport, clock, connection->endpoint);
    TimedClient client(rest);
    Spent repositories_spent;
    agent::Repositories repositories = timedRepositories(client, repositories_spent);
    agent::SnapshotOptions snapshot_options;
    snapshot_options.cluster_id = kInProcessCluster;
    snapshot_options.max_in_flight = 1;
    auto service = agent::makeSnapshotService(repositories, clock, {}, snapshot_options);
    double emulator_cpu = cpuSeconds(emulator.pid());
    Stamp start = stamp();
    (void)service->collect();
    Stamp end = stamp();
    Phases& p = out.phases;
    p.emulator_cpu_s = cpuSeconds(emulator.pid()) - emulator_cpu;
    auto phase = [](int64_t wall, int64_t cpu) { return Phase{wall, cpu}; };
    p.total = phase(end.wall_us - start.wall_us, end.cpu_us - start.cpu_us);
    p.http = phase(timed_transport.spent.wall_us, timed_transport.spent.cpu_us);
    p.client = phase(client.spent.wall_us, client.spent.cpu_us);
    p.convert = phase(repositories_spent.wall_us - client.spent.wall_us,
                      repositories_spent.cpu_us - client.spent.cpu_us);
    p.rest = phase(p.total.wall_us - repositories_spent.wall_us,
                   p.total.cpu_us - repositories_spent.cpu_us);
    p.requests = timed_transport.requests;
    p.http_bytes = timed_transport.bytes;
  }
  return out;
}

// --- the corral-agent process ---------------------------------------------------------------

struct ProcessResult {
  std::string failure;  // empty when every step worked
  double first_snapshot_s = 0;
  int64_t received_json_bytes = 0;  // as the master reports the snapshot
  int64_t received_stored_bytes = 0;
  int64_t idle_rss = 0;  // after the first snapshot
  int64_t peak_rss = 0;  // VmHWM after the first snapshot
  double idle_s = 0;
  double idle_cpu_s = 0;
  int64_t idle_wakeups = 0;
  bool idle_undisturbed = false;  // the poll stayed parked and no snapshot came in the window
  int64_t idle_rss_second = 0;    // after a second snapshot
  int64_t peak_rss_second = 0;
};

std::unique_ptr<testing::ChildProcess> startAgent(const std::string& binary,
                                                  const testing::TempDir& dir,
                                                  const BenchMaster& master,
                                                  const std::string& enrollment,
                                                  const std::string& kubeconfig) {
  std::string config = dir.file("agent.yaml");
  std::ofstream(config) << "name: bench-agent\n"
                        << "server_url: http://127.0.0.1:" << master.port() << "\n"
                        << "enrollment_token: " << enrollment << "\n"
                        << "cluster_id: " << kAgentCluster << "\n"
                        << "state_dir: " << dir.file("agent-state") << "\n"
                        << "health_listen: 127.0.0.1:0\n"
                        << "snapshot_interval: 1h\n"
                        << "heartbeat_interval: 1h\n"
                        << "poll_wait: 60s\n"
                        << "log: {level: warn}\n"
                        << "kubernetes:\n"
                        << "  in_cluster: false\n"
                        << "  kubeconfig: " << kubeconfig << "\n";
  return std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{binary, "--config", config}, dir.file("agent.stderr"));
}

// Whether every thread of the process is asleep: none running or waiting for a CPU (a thread
// the busy machine has not scheduled yet still counts as running).
bool allThreadsAsleep(pid_t pid) {
  std::error_code error;
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream stat(task.path().string() + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t paren = text.rfind(')');
    if (paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'S') {
      return false;
    }
  }
  return !error;
}

// The agent has finished its snapshot work: its long-poll is parked on the master, and over a
// few samples every thread was asleep and its CPU time stood still.
bool waitUntilSettled(const BenchMaster& master, pid_t agent) {
  return waitUntil(
      [&] {
        if (parkedPolls(master) < 1) {
          return false;
        }
        double before = cpuSeconds(agent);
        for (int sample = 0; sample < 3; ++sample) {
          if (!allThreadsAsleep(agent)) {
            return false;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return allThreadsAsleep(agent) && cpuSeconds(agent) == before;
      },
      std::chrono::seconds(60));
}

ProcessResult runAgentProcess(const Options& o, const EmulatorProcess& emulator,
                              const BenchMaster& master, const std::string& pool,
                              const std::string& enrollment) {
  ProcessResult out;
  testing::TempDir dir;
  int64_t start = nowUs();
  auto agent = startAgent(o.agent, dir, master, enrollment, emulator.kubeconfig());
  pid_t pid = agent->pid();
  auto stopAgent = [&] {
    agent->signal(SIGTERM);
    if (!agent->wait(std::chrono::seconds(60))) {
      agent->signal(SIGKILL);
    }
  };

  // Enrolment and the first snapshot, as the master sees them.
  if (!waitUntil([&] { return clusterVersion(master, kAgentCluster) > 0; },
                 std::chrono::minutes(3))) {
    out.failure = "the agent's snapshot did not reach the master (see agent.stderr)";
    stopAgent();
    return out;
  }
  out.first_snapshot_s = static_cast<double>(nowUs() - start) / 1e6;
  Json record = clusterRecord(master, kAgentCluster);
  int64_t version = record.value("version", int64_t{0});
  out.received_json_bytes = record.value("size_bytes", int64_t{0});
  out.received_stored_bytes = record.value("stored_bytes", int64_t{0});
  if (!waitUntilSettled(master, pid)) {
    out.failure = "the agent did not settle after its snapshot";
    stopAgent();
    return out;
  }
  out.idle_rss = rssBytes(pid);
  out.peak_rss = peakRssBytes(pid);

  // The idle window: a deliberate, measured stretch of time with nothing to do.
  double cpu_before = cpuSeconds(pid);
  int64_t switches_before = contextSwitches(pid);
  int64_t window_start = nowUs();
  std::this_thread::sleep_for(std::chrono::seconds(o.idle_seconds));
  out.idle_s = static_cast<double>(nowUs() - window_start) / 1e6;
  out.idle_cpu_s = cpuSeconds(pid) - cpu_before;
  out.idle_wakeups = contextSwitches(pid) - switches_before;
  out.idle_undisturbed =
      parkedPolls(master) >= 1 && clusterVersion(master, kAgentCluster) == version;

  // A command that changes the cluster makes the agent take a second snapshot at once.
  std::string agent_id;
  auto agents = rawRequest(master.port(), "GET", "/api/v1/agents?pool_id=" + pool, master.admin());
  Json agent_list = Json::parse(agents.body, nullptr, false);
  if (agent_list.is_object() && agent_list["items"].is_array()) {
    for (const Json& a : agent_list["items"]) {
      if (a.value("name", "") == "bench-agent") {
        agent_id = a.value("id", "");
      }
    }
  }
  auto deployments =
      rawRequest(emulator.port(), "GET", "/apis/apps/v1/deployments?limit=1", kClusterToken);
  Json first = Json::parse(deployments.body, nullptr, false);
  if (agent_id.empty() || !first.is_object() || !first["items"].is_array() ||
      first["items"].empty()) {
    out.failure = "no agent id or no deployment to scale";
    stopAgent();
    return out;
  }
  const Json& meta = first["items"][0]["metadata"];
  Json command = {{"target", {{"agent_id", agent_id}}},
                  {"action", "scale"},
                  {"params",
                   {{"namespace", meta.value("namespace", "")},
                    {"name", meta.value("name", "")},
                    {"replicas", 2}}}};
  auto enqueued =
      rawRequest(master.port(), "POST", "/api/v1/commands", master.admin(), command.dump());
  if (enqueued.status != 201) {
    out.failure = "cannot enqueue the scale command: " + enqueued.body;
    stopAgent();
    return out;
  }
  if (!waitUntil([&] { return clusterVersion(master, kAgentCluster) > version; },
                 std::chrono::minutes(3)) ||
      !waitUntilSettled(master, pid)) {
    out.failure = "the second snapshot did not reach the master";
    stopAgent();
    return out;
  }
  out.idle_rss_second = rssBytes(pid);
  out.peak_rss_second = peakRssBytes(pid);
  stopAgent();
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--pods") {
      o.pods = std::stoi(value);
    } else if (flag == "--runs") {
      o.runs = std::max(1, std::stoi(value));
    } else if (flag == "--idle-seconds") {
      o.idle_seconds = std::max(1, std::stoi(value));
    } else if (flag == "--agent") {
      o.agent = value;
    } else if (flag == "--markdown") {
      o.markdown = value;
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      std::exit(2);
    }
  }
  return o;
}

std::string clusterDescription(const std::map<std::string, int64_t>& totals) {
  std::ostringstream out;
  const char* order[] = {"pods",         "nodes",      "deployments", "replicasets",
                         "statefulsets", "daemonsets", "services",    "events",
                         "configmaps",   "ingresses",  "namespaces"};
  bool first = true;
  for (const char* kind : order) {
    auto it = totals.find(kind);
    if (it == totals.end()) {
      continue;
    }
    out << (first ? "" : ", ") << it->second << " " << kind;
    first = false;
  }
  return out.str();
}

constexpr const char* kNotes =
    "Notes. Lists are read with `common/json_scanner`: the parts of each item the agent never "
    "reads (managed fields, most of a pod's spec) are checked and skipped without being built, "
    "and each item is built on its own, so collection holds one item's JSON at a time and at "
    "most two pages of text per list; its memory is the collected model. The push streams the "
    "snapshot into the compressor object by object (`model::gzipEnvelope`), so neither a JSON "
    "tree nor the whole text of the snapshot is ever held. The emulator keeps each object's "
    "serialized text, as an API server's watch cache does, so that it takes little of the two "
    "cores the agent runs on. The wake-ups while idle are libcurl checking the parked long-poll "
    "once a second; they cost no measurable CPU.\n";

std::string markdown(const Options& o, const InProcessResult& in, const ProcessResult& proc) {
  Percentiles collect = percentilesMs(in.collect_us);
  Percentiles push = percentilesMs(in.push.us);
  Percentiles collect_cpu = percentilesMs(in.collect_cpu_us);
  Percentiles emulator_cpu = percentilesMs(in.emulator_cpu_us);
  const Phases& p = in.phases;
  double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  auto pushRow = [&](const std::string& name, const Percentiles& t, const PushPath& path) {
    std::ostringstream row;
    row << "| " << name << ": p50 / max, memory above the snapshot | " << fmt(t.p50, 1) << " / "
        << fmt(t.max, 1) << " ms, " << fmt(mb(path.peak_extra_bytes), 1) << " MB | "
        << (path.error.empty() ? "accepted" : "**failed: " + path.error + "**") << " |\n";
    return row.str();
  };
  std::ostringstream md;
  md << "## bench_agent\n\n"
     << "Machine: " << machineDescription() << ", load average " << fmt(o.load_average, 1)
     << " when the benchmark started. The emulator, the master, the agent and the benchmark "
     << "share the machine.\n\n"
     << "Cluster: the emulator's recorded pods multiplied to " << o.pods << " (`--pods " << o.pods
     << "`): " << clusterDescription(in.totals) << ".\n\n"
     << "### Snapshot collection through the agent's layers\n\n"
     << "In the benchmark's process: the SDK client from `makeK8sClient`, the repositories of "
     << "`makeK8sRepositories` and the snapshot service of `makeSnapshotService` (4 lists at "
     << "once, as configured by default) against the emulator over loopback HTTP, then a push "
     << "to a real corral-master; " << o.runs
     << " runs, the first on a cold connection. The memory of a step is how far the resident set "
     << "rose above its level before the step (freed memory returned first); during a push the "
     << "collected snapshot is held.\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| collect and convert, p50 / max | " << fmt(collect.p50, 1) << " / " << fmt(collect.max, 1)
     << " ms | ≤ " << fmt(kCollectTargetMs, 0)
     << " ms: " << verdict(collect.max <= kCollectTargetMs) << " |\n"
     << "| memory of a collection at its peak / of the collected snapshot | "
     << fmt(mb(in.collect_peak_extra_bytes), 1) << " / " << fmt(mb(in.snapshot_bytes), 1)
     << " MB | |\n"
     << "| snapshot: JSON / gzip as pushed | " << fmt(mb(in.json_bytes), 2) << " MB / "
     << fmt(mb(in.push.body_bytes), 2) << " MB ("
     << fmt(static_cast<double>(in.json_bytes) /
                static_cast<double>(std::max<int64_t>(in.push.body_bytes, 1)),
            1)
     << " : 1) | |\n"
     << pushRow("push, `pushSnapshot(gzipEnvelope(snapshot))` as corral-agent does", push, in.push);
  if (!in.errors.empty()) {
    md << "| kinds not collected | ";
    for (const auto& [kind, why] : in.errors) {
      md << kind << " (" << why << ") ";
    }
    md << "| |\n";
  }
  auto phaseRow = [](const std::string& name, const Phase& phase) {
    return "| " + name + " | " + fmt(ms(phase.wall_us), 1) + " ms | " + fmt(ms(phase.cpu_us), 1) +
           " ms |\n";
  };
  md << "\nThe machine's load shows in the wall-clock times; CPU times depend on it far less. "
     << "Per collection, p50: " << fmt(collect_cpu.p50, 1) << " ms of CPU in the agent's code "
     << "(all its threads) and " << fmt(emulator_cpu.p50, 1) << " ms in the emulator answering, on "
     << std::thread::hardware_concurrency() << " cores.\n\n"
     << "Where the time of one collection goes, one list at a time (`max_in_flight: 1`), "
     << "measured by wrappers around each layer. The client asks for a list's next page while "
     << "it parses the current one, so its HTTP overlaps its parsing; the CPU of the collecting "
     << "thread in the client is almost all JSON parsing.\n\n"
     << "| part | wall-clock | CPU |\n|---|---|---|\n"
     << phaseRow("lists in `RestK8sClient`: waiting for pages and parsing them", p.client)
     << phaseRow("… HTTP exchanges within (" + std::to_string(p.requests) + " requests, " +
                     fmt(mb(p.http_bytes), 1) + " MB of JSON; the emulator spent " +
                     fmt(p.emulator_cpu_s * 1000, 0) + " ms of CPU answering)",
                 p.http)
     << phaseRow("conversion to the model (repositories)", p.convert)
     << phaseRow("summary and the rest (snapshot service)", p.rest) << phaseRow("total", p.total)
     << "\n"
     << "### The corral-agent process\n\n";
  if (!proc.failure.empty()) {
    md << "**Failed:** " << proc.failure << ".\n";
    return md.str();
  }
  md << (o.agent == CORRAL_AGENT_BIN ? "The corral-agent built with this tree"
                                     : "The agent binary given with `--agent`")
     << ", configured by a YAML file (snapshot interval and heartbeat 1 h, "
     << "long-poll 60 s), against the master and the emulator above. It enrolled and its first "
     << "snapshot reached the master " << fmt(proc.first_snapshot_s, 2)
     << " s after it started. Memory is read from `/proc/<pid>/status` once its long-poll is "
     << "parked and its CPU time stands still; the idle window follows at once.\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| RSS idle, after enrolment and the first snapshot | " << fmt(mb(proc.idle_rss), 1)
     << " MB | ≤ " << fmt(kIdleRssTargetMb, 0)
     << " MB: " << verdict(mb(proc.idle_rss) <= kIdleRssTargetMb) << " |\n"
     << "| peak RSS (VmHWM) after the " << o.pods << "-pod snapshot was pushed | "
     << fmt(mb(proc.peak_rss), 1) << " MB | ≤ " << fmt(kPeakRssTargetMb, 0)
     << " MB: " << verdict(mb(proc.peak_rss) <= kPeakRssTargetMb) << " |\n"
     << "| CPU (utime + stime) over " << fmt(proc.idle_s, 1) << " s idle | "
     << fmt(proc.idle_cpu_s, 2) << " s | none (at the " << fmt(tick * 1000, 0)
     << " ms tick): " << verdict(proc.idle_cpu_s < tick && proc.idle_undisturbed) << " |\n"
     << "| wake-ups in that window (context switches, all threads) | " << proc.idle_wakeups
     << " | |\n"
     << "| RSS idle / VmHWM after a second snapshot (after a `scale` command) | "
     << fmt(mb(proc.idle_rss_second), 1) << " / " << fmt(mb(proc.peak_rss_second), 1) << " MB | |\n"
     << "| snapshot as the master received it: JSON / stored gzip | "
     << fmt(mb(proc.received_json_bytes), 2) << " / " << fmt(mb(proc.received_stored_bytes), 2)
     << " MB | |\n";
  if (!proc.idle_undisturbed) {
    md << "\nThe idle window was disturbed: the long-poll ended or a snapshot arrived in it.\n";
  }
  md << "\n" << kNotes;
  return md.str();
}

}  // namespace
}  // namespace corral::bench

int main(int argc, char** argv) {
  using namespace corral::bench;
  Options o = parse(argc, argv);
  std::ifstream("/proc/loadavg") >> o.load_average;
  std::cerr << "emulator: " << o.pods << " pods\n";
  EmulatorProcess emulator(o.pods);
  BenchMaster master(kMasterConfig);
  auto [pool, enrollment] = makePool(master.port(), master.admin(), "clusters");
  std::cerr << "in process: " << o.runs << " snapshots\n";
  InProcessResult in = runInProcess(o, emulator, master, enrollment);
  std::cerr << "corral-agent process\n";
  ProcessResult proc = runAgentProcess(o, emulator, master, pool, enrollment);
  std::string md = markdown(o, in, proc);
  std::cout << md;
  if (!o.markdown.empty()) {
    std::ofstream(o.markdown) << md;
  }
  return 0;
}
