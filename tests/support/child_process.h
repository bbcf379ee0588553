#pragma once

// A child process for integration tests: started with argv (no shell), its stdout read line by
// line through a pipe with a deadline, stopped with a signal. The destructor kills and reaps it,
// so a failing test leaves no process behind.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace corral::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with the given arguments; stderr goes to `stderr_file` when not empty.
  ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_file = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout, or nullopt at end of output or when `timeout` passes first.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout);
  // Reads lines until one contains `needle`; returns it, or nullopt on timeout or exit.
  std::optional<std::string> waitForLine(const std::string& needle,
                                         std::chrono::milliseconds timeout);

  void signal(int signal_number);
  // Waits for the exit and returns the exit code (128 + signal when killed), or nullopt when it
  // is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  std::optional<int> exit_code_;
};

}  // namespace corral::testing
