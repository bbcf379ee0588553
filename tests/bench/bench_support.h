#pragma once

// Shared pieces of the benchmarks: a master process, percentiles, threads with small stacks,
// process statistics and the machine description for docs/benchmarks.md.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace corral::bench {

class BenchMaster {
 public:
  // Starts corral-master on a free port with `config_yaml` and waits until it listens.
  explicit BenchMaster(const std::string& config_yaml, const std::string& data_dir = "");
  ~BenchMaster();

  int port() const { return port_; }
  const std::string& admin() const { return admin_; }
  pid_t pid() const { return process_->pid(); }
  const std::string& dataDir() const { return data_dir_; }
  void kill9();
  // SIGTERM and wait; idempotent.
  void stop();

 private:
  testing::TempDir scratch_;
  std::string data_dir_;
  int port_ = 0;
  std::string admin_;
  std::unique_ptr<testing::ChildProcess> process_;
};

// Runs `fn` on `count` threads with `stack_bytes` stacks and joins them.
void runThreads(int count, size_t stack_bytes, const std::function<void(int)>& fn);

struct Percentiles {
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
};
// Over microsecond samples; reported in milliseconds.
Percentiles percentilesMs(std::vector<int64_t> samples_us);

int64_t rssBytes(pid_t pid);
// The peak resident set (VmHWM) of the process so far.
int64_t peakRssBytes(pid_t pid);
// CPU seconds (user + system) used by the process so far.
double cpuSeconds(pid_t pid);
// Context switches (voluntary and not) of all the process's threads so far: each wake-up of a
// blocked thread counts one.
int64_t contextSwitches(pid_t pid);
std::string machineDescription();

// Creates a pool and an enrollment token; returns {pool id, token}.
std::pair<std::string, std::string> makePool(int port, const std::string& admin,
                                             const std::string& name);
struct SimAgent {
  std::string id;
  std::string token;
};
// Registers `count` agents with `threads` parallel registrations.
std::vector<SimAgent> registerAgents(int port, const std::string& enrollment, int count,
                                     int threads);

int64_t nowUs();

}  // namespace corral::bench
