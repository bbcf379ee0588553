// bench_dispatch: how fast the master hands commands to long-polling agents, how many parked
// agents it holds, and how many durable enqueues per second its API takes. Agents are simulated
// by threads of this process speaking real HTTP over loopback to a real corral-master.
//
//   bench_dispatch [--agents 1000] [--commands 100000] [--parked 10000] [--enqueue-seconds 10]
//                  [--markdown FILE]

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "tests/bench/bench_support.h"
#include "tests/bench/raw_http.h"

namespace corral::bench {
namespace {

// Long waits and a long offline threshold keep liveness out of the measurement.
constexpr const char* kConfig =
    "log: {level: warn}\n"
    "agents: {offline_after: 1h, poll_wait: 60s}\n"
    "http: {max_poll_wait: 60s}\n";

struct Options {
  int agents = 1000;
  int commands = 100'000;
  int parked = 10'000;
  int enqueue_seconds = 10;
  int enqueuers = 2;
  std::string markdown;
};

std::string fmt(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string verdict(bool ok) { return ok ? "met" : "**missed**"; }

// --- scenario 1: dispatch latency -----------------------------------------------------------

struct DispatchResult {
  Percentiles latency;
  int64_t enqueued = 0;
  int64_t received = 0;
  int64_t duplicates = 0;
  int64_t early = 0;  // delivered before the enqueuer read its 201
  double seconds = 0;
};

DispatchResult runDispatch(const Options& o) {
  BenchMaster master(kConfig);
  auto [pool, enrollment] = makePool(master.port(), master.admin(), "dispatch");
  auto agents = registerAgents(master.port(), enrollment, o.agents, 16);

  std::mutex mutex;
  std::unordered_map<std::string, int64_t> acked_at;  // id -> when the 201 was read
  std::unordered_map<std::string, int64_t> got_at;    // id -> when an agent read it
  int64_t duplicates = 0;
  std::atomic<int64_t> received{0};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> enqueued{0};

  auto agentLoop = [&](int i) {
    const SimAgent& a = agents[static_cast<size_t>(i)];
    while (!stop) {
      auto r = rawRequest(master.port(), "GET", "/api/v1/agent/commands?wait=2&max=4", a.token);
      int64_t t = nowUs();
      if (r.status != 200) {
        continue;
      }
      Json j = Json::parse(r.body, nullptr, false);
      for (const auto& c : j["commands"]) {
        std::string id = c["id"];
        {
          std::lock_guard lock(mutex);
          if (!got_at.emplace(id, t).second) {
            ++duplicates;
          }
        }
        ++received;
        Json result = {{"fence", c["fence"]}, {"success", true}, {"data", Json::object()}};
        rawRequest(master.port(), "POST", "/api/v1/agent/commands/" + id.append("/result"), a.token,
                   result.dump());
      }
    }
  };

  auto enqueueLoop = [&](int worker) {
    std::mt19937 rng(static_cast<unsigned>(worker) * 7919u + 1);
    std::uniform_int_distribution<int> pick(0, o.agents - 1);
    while (true) {
      int64_t n = enqueued++;
      if (n >= o.commands) {
        return;
      }
      const SimAgent& target = agents[static_cast<size_t>(pick(rng))];
      Json body = {{"target", {{"agent_id", target.id}}}, {"action", "noop"}, {"timeout_s", 600}};
      auto r = rawRequest(master.port(), "POST", "/api/v1/commands", master.admin(), body.dump());
      int64_t t = nowUs();
      if (r.status != 201) {
        std::cerr << "enqueue failed: " << r.status << " " << r.body << "\n";
        continue;
      }
      std::lock_guard lock(mutex);
      acked_at[Json::parse(r.body)["id"]] = t;
    }
  };

  DispatchResult out;
  int64_t start = nowUs();
  std::thread agents_thread([&] { runThreads(o.agents, 128 * 1024, agentLoop); });
  // Let every agent park before the clock of the measurement starts mattering.
  auto parked = [&] {
    auto r = rawRequest(master.port(), "GET", "/readyz", "");
    return r.status == 200 ? Json::parse(r.body)["parked_polls"].get<int64_t>() : 0;
  };
  for (int tries = 0; tries < 600 && parked() < o.agents; ++tries) {
    rawRequest(master.port(), "GET", "/api/v1/agent-pools?limit=1", master.admin());
  }
  start = nowUs();
  runThreads(o.enqueuers, 256 * 1024, enqueueLoop);
  // Wait (bounded) until every acknowledged command has been received.
  for (int tries = 0; tries < 3000; ++tries) {
    {
      std::lock_guard lock(mutex);
      if (received.load() >= static_cast<int64_t>(acked_at.size())) {
        break;
      }
    }
    rawRequest(master.port(), "GET", "/healthz", "");
  }
  out.seconds = static_cast<double>(nowUs() - start) / 1e6;
  stop = true;
  agents_thread.join();

  std::vector<int64_t> samples;
  std::lock_guard lock(mutex);
  for (const auto& [id, t201] : acked_at) {
    auto it = got_at.find(id);
    if (it == got_at.end()) {
      continue;
    }
    int64_t d = it->second - t201;
    if (d < 0) {
      ++out.early;
      d = 0;
    }
    samples.push_back(d);
  }
  out.enqueued = static_cast<int64_t>(acked_at.size());
  out.received = static_cast<int64_t>(samples.size());
  out.duplicates = duplicates;
  out.latency = percentilesMs(std::move(samples));
  return out;
}

// --- scenario 2: many parked agents ---------------------------------------------------------

struct ParkedResult {
  int64_t parked = 0;
  double rss_mb = 0;
  double idle_cpu_percent = 0;
  Percentiles healthz;
  Percentiles reads;
};

ParkedResult runParked(const Options& o) {
  BenchMaster master(kConfig);
  auto [pool, enrollment] = makePool(master.port(), master.admin(), "parked");
  // One agent more than parked: it measures the idle stretch without disturbing the others.
  auto agents = registerAgents(master.port(), enrollment, o.parked + 1, 16);
  std::atomic<bool> stop{false};
  std::thread pollers([&] {
    runThreads(o.parked, 64 * 1024, [&](int i) {
      while (!stop) {
        rawRequest(master.port(), "GET", "/api/v1/agent/commands?wait=60",
                   agents[static_cast<size_t>(i)].token);
      }
    });
  });
  ParkedResult out;
  auto parked = [&] {
    auto r = rawRequest(master.port(), "GET", "/readyz", "");
    return r.status == 200 ? Json::parse(r.body)["parked_polls"].get<int64_t>() : 0;
  };
  for (int tries = 0; tries < 20'000 && parked() < o.parked; ++tries) {
    rawRequest(master.port(), "GET", "/api/v1/agent-pools?limit=1", master.admin());
  }
  out.parked = parked();

  // Idle cost: CPU used by the master over a stretch of parked time, measured by parking one
  // more request of our own for the stretch instead of sleeping.
  double cpu_before = cpuSeconds(master.pid());
  int64_t t0 = nowUs();
  rawRequest(master.port(), "GET", "/api/v1/agent/commands?wait=5", agents.back().token);
  double idle_s = static_cast<double>(nowUs() - t0) / 1e6;
  out.idle_cpu_percent = 100.0 * (cpuSeconds(master.pid()) - cpu_before) / idle_s;

  std::vector<int64_t> health;
  std::vector<int64_t> reads;
  for (int i = 0; i < 2000; ++i) {
    int64_t a = nowUs();
    rawRequest(master.port(), "GET", "/healthz", "");
    int64_t b = nowUs();
    const char* path = i % 2 == 0 ? "/api/v1/agents?limit=20" : "/api/v1/agent-pools";
    rawRequest(master.port(), "GET", path, master.admin());
    int64_t c = nowUs();
    health.push_back(b - a);
    reads.push_back(c - b);
  }
  out.rss_mb = static_cast<double>(rssBytes(master.pid())) / (1024.0 * 1024.0);
  out.healthz = percentilesMs(std::move(health));
  out.reads = percentilesMs(std::move(reads));
  stop = true;
  master.stop();  // ends the parked polls; the pollers see `stop` and return
  pollers.join();
  return out;
}

// --- scenario 3: durable enqueue throughput -------------------------------------------------

struct EnqueueResult {
  int64_t acknowledged = 0;
  int64_t on_disk = 0;
  double seconds = 0;
  double per_second = 0;
  Percentiles latency;
};

EnqueueResult runEnqueue(const Options& o) {
  testing::TempDir dir;
  std::string data = dir.file("data");
  EnqueueResult out;
  {
    BenchMaster master(kConfig, data);
    auto [pool, enrollment] = makePool(master.port(), master.admin(), "enqueue");
    auto agents = registerAgents(master.port(), enrollment, 1, 1);
    std::atomic<int64_t> acked{0};
    std::mutex mutex;
    std::vector<int64_t> latencies;
    int64_t end_at = nowUs() + int64_t(o.enqueue_seconds) * 1'000'000;
    int64_t start = nowUs();
    runThreads(32, 256 * 1024, [&](int) {
      std::vector<int64_t> mine;
      while (nowUs() < end_at) {
        Json body = {{"agent_id", agents[0].id}, {"action", "noop"}};
        int64_t a = nowUs();
        auto r = rawRequest(master.port(), "POST", "/api/v1/commands", master.admin(), body.dump());
        if (r.status == 201) {
          ++acked;
          mine.push_back(nowUs() - a);
        }
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
    out.seconds = static_cast<double>(nowUs() - start) / 1e6;
    out.acknowledged = acked;
    out.per_second = static_cast<double>(out.acknowledged) / out.seconds;
    out.latency = percentilesMs(std::move(latencies));
    // A crash right after the last acknowledgement must lose nothing.
    master.kill9();
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data + "/corral.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM commands", -1, &stmt, nullptr);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      out.on_disk = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--agents") {
      o.agents = std::stoi(value);
    } else if (flag == "--commands") {
      o.commands = std::stoi(value);
    } else if (flag == "--parked") {
      o.parked = std::stoi(value);
    } else if (flag == "--enqueue-seconds") {
      o.enqueue_seconds = std::stoi(value);
    } else if (flag == "--enqueuers") {
      o.enqueuers = std::stoi(value);
    } else if (flag == "--markdown") {
      o.markdown = value;
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      std::exit(2);
    }
  }
  return o;
}

}  // namespace
}  // namespace corral::bench

int main(int argc, char** argv) {
  using namespace corral::bench;
  Options o = parse(argc, argv);
  std::cerr << "dispatch: " << o.agents << " agents, " << o.commands << " commands\n";
  DispatchResult d = runDispatch(o);
  std::cerr << "parked: " << o.parked << " agents\n";
  ParkedResult p = runParked(o);
  std::cerr << "enqueue: " << o.enqueue_seconds << " s\n";
  EnqueueResult e = runEnqueue(o);

  bool lost_none = d.received == d.enqueued && d.enqueued == o.commands;
  std::ostringstream md;
  md << "## bench_dispatch\n\n"
     << "Machine: " << machineDescription() << ". Master and load generator share the machine.\n\n"
     << "### Dispatch latency: " << o.agents << " agents long-polling, " << d.enqueued
     << " commands\n\n"
     << "Time from the enqueuer reading its `201` to the agent reading the command, " << o.enqueuers
     << " enqueuers, commands to random agents; each agent reports a result and "
     << "polls again.\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| p50 | " << fmt(d.latency.p50, 3) << " ms | ≤ 1 ms: " << verdict(d.latency.p50 <= 1.0)
     << " |\n"
     << "| p90 | " << fmt(d.latency.p90, 3) << " ms | |\n"
     << "| p99 | " << fmt(d.latency.p99, 3) << " ms | ≤ 5 ms: " << verdict(d.latency.p99 <= 5.0)
     << " |\n"
     << "| max | " << fmt(d.latency.max, 3) << " ms | |\n"
     << "| acknowledged / received / delivered twice | " << d.enqueued << " / " << d.received
     << " / " << d.duplicates
     << " | none lost, none twice: " << verdict(lost_none && d.duplicates == 0) << " |\n"
     << "| delivered before the 201 reached the enqueuer | " << d.early
     << " | (counted as 0 ms) |\n"
     << "| throughput | " << fmt(static_cast<double>(d.enqueued) / d.seconds, 0)
     << " commands/s end to end | |\n\n"
     << "### " << p.parked << " agents parked at once\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| master RSS | " << fmt(p.rss_mb, 0) << " MB | ≤ 400 MB: " << verdict(p.rss_mb <= 400)
     << " |\n"
     << "| master CPU while parked | " << fmt(p.idle_cpu_percent, 1) << " % of one core | |\n"
     << "| `GET /healthz` p50 / p99 | " << fmt(p.healthz.p50, 3) << " / " << fmt(p.healthz.p99, 3)
     << " ms | p99 ≤ 50 ms: " << verdict(p.healthz.p99 <= 50) << " |\n"
     << "| operator reads p50 / p99 | " << fmt(p.reads.p50, 3) << " / " << fmt(p.reads.p99, 3)
     << " ms | p99 ≤ 50 ms: " << verdict(p.reads.p99 <= 50) << " |\n\n"
     << "### Durable enqueue through the HTTP API\n\n"
     << "32 clients for " << fmt(e.seconds, 1) << " s, a new connection per request, "
     << "`synchronous=full`; then the master is killed with SIGKILL and the database counted.\n\n"
     << "| measure | value | target |\n|---|---|---|\n"
     << "| acknowledged (`201`) | " << e.acknowledged << " | |\n"
     << "| rate | " << fmt(e.per_second, 0)
     << " commands/s | ≥ 5000/s: " << verdict(e.per_second >= 5000) << " |\n"
     << "| enqueue latency p50 / p99 | " << fmt(e.latency.p50, 3) << " / " << fmt(e.latency.p99, 3)
     << " ms | |\n"
     << "| on disk after kill -9 | " << e.on_disk
     << " | all acknowledged: " << verdict(e.on_disk >= e.acknowledged) << " |\n";
  std::cout << md.str();
  if (!o.markdown.empty()) {
    std::ofstream(o.markdown) << md.str();
  }
  return 0;
}
