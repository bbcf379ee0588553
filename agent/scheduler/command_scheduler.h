#pragma once

// The command loop: long-polls the master for as many commands as it has free slots, runs each on
// a thread of its own through the CommandExecutor, and reports the outcome. A 409 on a report
// means the lease expired and the command went elsewhere: the outcome is dropped. A command
// delivered again while it still runs here is not run twice; it reports under the newer fence.
// stop() ends polling; drain() waits for running commands (bounded) so they can still report.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "agent/gateway/master_gateway.h"
#include "agent/scheduler/session.h"
#include "agent/service/command_executor.h"
#include "common/backoff.h"
#include "common/clock.h"

namespace corral::agent {

// What the loop tells its owner.
struct CommandSchedulerHooks {
  // A command that changed the cluster finished (a fresh snapshot is worth pushing).
  std::function<void()> cluster_changed;
  // The master refused the credential and registering again failed for good; the loop has
  // stopped polling. The owner decides how the process ends.
  std::function<void(const Status&)> credential_lost;
};

struct CommandSchedulerOptions {
  int slots = 3;
  int poll_wait_s = 30;
};

class CommandScheduler {
 public:
  CommandScheduler(MasterGateway& gateway, Session& session, CommandExecutor& executor,
                   Clock& clock, Backoff backoff, CommandSchedulerOptions options,
                   CommandSchedulerHooks hooks);
  ~CommandScheduler();

  void start();
  // Stops taking new commands.
  void stop();
  // Waits up to `grace` for running commands to finish and report. Returns how many still run.
  int drain(std::chrono::milliseconds grace);

  // Ids of the commands running now, for heartbeats.
  std::vector<std::string> running() const;
  // The master cancelled these; Kubernetes operations are single API calls, so a running one
  // finishes, and its outcome is reported as cancelled.
  void cancel(const std::vector<std::string>& ids);

  // One pass of the loop (poll once and start what came); for tests.
  Status pollOnce();

 private:
  void loop();
  void runCommand(proto::Command command);

  MasterGateway& gateway_;
  Session& session_;
  CommandExecutor& executor_;
  Clock& clock_;
  Backoff backoff_;
  CommandSchedulerOptions options_;
  CommandSchedulerHooks hooks_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mutex_
  // Running command id -> the newest fence it was delivered with.
  std::map<std::string, int64_t> running_;  // guarded by mutex_
  std::set<std::string> cancelled_;         // guarded by mutex_
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  // Joined once done, so a long-lived agent does not pile up finished threads.
  std::vector<Worker> workers_;  // guarded by mutex_
  std::thread loop_thread_;
};

}  // namespace corral::agent
