#include "tests/bench/bench_support.h"

#include <pthread.h>
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/bench/raw_http.h"

namespace corral::bench {

int64_t nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

BenchMaster::BenchMaster(const std::string& config_yaml, const std::string& data_dir) {
  data_dir_ = data_dir.empty() ? scratch_.file("data") : data_dir;
  std::string config = scratch_.file("master.yaml");
  std::ofstream(config) << config_yaml;
  process_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{CORRAL_MASTER_BIN, "--data-dir", data_dir_, "--listen",
                               "127.0.0.1:0", "--config", config},
      scratch_.file("master.stderr"));
  auto line = process_->waitForLine("listening on", std::chrono::seconds(60));
  if (!line) {
    throw std::runtime_error("corral-master did not start");
  }
  port_ = std::stoi(line->substr(line->rfind(':') + 1));
  std::ifstream token(data_dir_ + "/admin.token");
  std::getline(token, admin_);
}

BenchMaster::~BenchMaster() { stop(); }

void BenchMaster::stop() {
  process_->signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(60))) {
    process_->signal(SIGKILL);
  }
}

void BenchMaster::kill9() {
  process_->signal(SIGKILL);
  (void)process_->wait(std::chrono::seconds(30));
}

namespace {

struct ThreadArg {
  const std::function<void(int)>* fn;
  int index;
};

void* threadMain(void* p) {
  auto* arg = static_cast<ThreadArg*>(p);
  (*arg->fn)(arg->index);
  return nullptr;
}

}  // namespace

void runThreads(int count, size_t stack_bytes, const std::function<void(int)>& fn) {
  std::vector<pthread_t> threads(static_cast<size_t>(count));
  std::vector<ThreadArg> args(static_cast<size_t>(count));
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  for (int i = 0; i < count; ++i) {
    args[static_cast<size_t>(i)] = {&fn, i};
    if (pthread_create(&threads[static_cast<size_t>(i)], &attr, threadMain,
                       &args[static_cast<size_t>(i)]) != 0) {
      throw std::runtime_error("cannot start thread " + std::to_string(i));
    }
  }
  pthread_attr_destroy(&attr);
  for (auto& t : threads) {
    pthread_join(t, nullptr);
  }
}

Percentiles percentilesMs(std::vector<int64_t> samples) {
  Percentiles p;
  if (samples.empty()) {
    return p;
  }
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1));
    return static_cast<double>(samples[i]) / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = static_cast<double>(samples.back()) / 1000.0;
  return p;
}

namespace {

// The value of `key` ("VmRSS:") in a /proc status file, or 0.
int64_t statusField(const std::string& path, const std::string& key) {
  std::ifstream status(path);
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) {
      return std::stoll(line.substr(key.size()));
    }
  }
  return 0;
}

}  // namespace

int64_t rssBytes(pid_t pid) {
  return statusField("/proc/" + std::to_string(pid) + "/status", "VmRSS:") * 1024;
}

int64_t peakRssBytes(pid_t pid) {
  return statusField("/proc/" + std::to_string(pid) + "/status", "VmHWM:") * 1024;
}

int64_t contextSwitches(pid_t pid) {
  int64_t total = 0;
  std::error_code error;
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::string status = task.path().string() + "/status";
    total += statusField(status, "voluntary_ctxt_switches:") +
             statusField(status, "nonvoluntary_ctxt_switches:");
  }
  return total;
}

double cpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start after the last ')'.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) {
      utime = std::stod(field);
    } else if (i == 15) {
      stime = std::stod(field);
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string machineDescription() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  utsname u{};
  uname(&u);
  std::ostringstream out;
  out << std::thread::hardware_concurrency() << " × " << model << ", "
      << (static_cast<double>(pages) * static_cast<double>(page_size) / (1 << 30)) << " GiB, "
      << u.sysname << " " << u.release;
  return out.str();
}

std::pair<std::string, std::string> makePool(int port, const std::string& admin,
                                             const std::string& name) {
  auto pool = rawRequest(port, "POST", "/api/v1/agent-pools", admin,
                         Json{{"name", name}, {"selection_strategy", "least_busy"}}.dump());
  if (pool.status != 201) {
    throw std::runtime_error("cannot create pool: " + pool.body);
  }
  std::string pool_id = Json::parse(pool.body)["id"];
  auto token = rawRequest(port, "POST", "/api/v1/agent-pools/" + pool_id + "/tokens", admin,
                          Json{{"name", "bench"}}.dump());
  if (token.status != 201) {
    throw std::runtime_error("cannot create token: " + token.body);
  }
  return {pool_id, Json::parse(token.body)["token"]};
}

std::vector<SimAgent> registerAgents(int port, const std::string& enrollment, int count,
                                     int threads) {
  std::vector<SimAgent> agents(static_cast<size_t>(count));
  std::atomic<int> next{0};
  runThreads(threads, 256 * 1024, [&](int) {
    for (int i = next++; i < count; i = next++) {
      Json body = {{"name", "sim-" + std::to_string(i)},
                   {"type", "host"},
                   {"protocol_version", "1.0"},
                   {"slots", 3}};
      auto r = rawRequest(port, "POST", "/api/v1/agent/register", enrollment, body.dump());
      if (r.status != 201) {
        throw std::runtime_error("registration failed: " + std::to_string(r.status) + " " + r.body);
      }
      Json j = Json::parse(r.body);
      agents[static_cast<size_t>(i)] = {j["agent_id"], j["agent_token"]};
    }
  });
  return agents;
}

}  // namespace corral::bench
