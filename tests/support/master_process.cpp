#include "tests/support/master_process.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace corral::testing {

std::string masterBinary() { return CORRAL_MASTER_BIN; }

MasterProcess::MasterProcess(Options options) {
  data_dir_ = options.data_dir.empty() ? scratch_.file("data") : options.data_dir;
  stderr_file_ = scratch_.file("master.stderr");
  std::vector<std::string> argv = {masterBinary(), "--data-dir", data_dir_, "--listen",
                                   "127.0.0.1:0"};
  if (!options.config_yaml.empty()) {
    std::string config = scratch_.file("master.yaml");
    std::ofstream(config) << options.config_yaml;
    argv.push_back("--config");
    argv.push_back(config);
  }
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, stderr_file_);
  auto line = process_->waitForLine("listening on", std::chrono::seconds(30));
  if (!line) {
    std::ifstream err(stderr_file_);
    std::stringstream text;
    text << err.rdbuf();
    FAIL("corral-master did not start: " << text.str());
  }
  port_ = std::stoi(line->substr(line->rfind(':') + 1));
  std::ifstream token(data_dir_ + "/admin.token");
  std::getline(token, admin_token_);
}

MasterProcess::~MasterProcess() {
  if (process_) {
    process_->signal(SIGTERM);
    if (!process_->wait(std::chrono::seconds(20))) {
      process_->signal(SIGKILL);
    }
  }
}

void MasterProcess::kill9() {
  process_->signal(SIGKILL);
  (void)process_->wait(std::chrono::seconds(30));
}

int MasterProcess::terminate() {
  process_->signal(SIGTERM);
  return process_->wait(std::chrono::seconds(30)).value_or(-1);
}

}  // namespace corral::testing
