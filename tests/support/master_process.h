#pragma once

// The real corral-master binary on a free loopback port with a temporary data directory, for
// integration tests. The first admin token is read from the data directory.

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace corral::testing {

class MasterProcess {
 public:
  struct Options {
    std::string config_yaml;              // written to a file and passed with --config
    std::vector<std::string> extra_args;  // appended to the command line
    std::string data_dir;                 // empty: a fresh temporary directory
    bool tls = false;                     // the base URL is https
  };

  // Starts the master and waits until it listens. Fails the current test if it does not.
  explicit MasterProcess(Options options);
  MasterProcess() : MasterProcess(Options{}) {}
  ~MasterProcess();

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  const std::string& dataDir() const { return data_dir_; }
  const std::string& adminToken() const { return admin_token_; }
  const std::string& stderrFile() const { return stderr_file_; }
  ChildProcess& process() { return *process_; }

  // SIGKILL and reap, as a crash would.
  void kill9();
  // SIGTERM; returns the exit code.
  int terminate();

 private:
  TempDir scratch_;
  std::string data_dir_;
  std::string stderr_file_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string admin_token_;
  std::unique_ptr<ChildProcess> process_;
};

// The corral-master binary built with this tree.
std::string masterBinary();

}  // namespace corral::testing
