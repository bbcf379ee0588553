#include "agent/scheduler/agent_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json.h"

namespace corral::agent {

Result<AgentState> loadAgentState(const std::string& dir) {
  std::string path = dir + "/agent.json";
  std::ifstream in(path);
  if (!in) {
    return AgentState{};
  }
  std::stringstream text;
  text << in.rdbuf();
  auto json = parseJson(text.str());
  if (!json.isOk() || !json->is_object()) {
    return invalidArgument(path + ": not the agent's state file (delete it to enrol again)");
  }
  AgentState s;
  s.agent_id = json->value("agent_id", "");
  s.agent_token = json->value("agent_token", "");
  s.pool_id = json->value("pool_id", "");
  s.snapshot_version = json->value("snapshot_version", int64_t{0});
  return s;
}

Status saveAgentState(const std::string& dir, const AgentState& state) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return invalidArgument("state_dir: cannot create '" + dir + "': " + ec.message());
  }
  Json j = {{"agent_id", state.agent_id},
            {"agent_token", state.agent_token},
            {"pool_id", state.pool_id},
            {"snapshot_version", state.snapshot_version}};
  std::string text = j.dump(2) + "\n";
  std::string tmp = dir + "/agent.json.tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return internalError("cannot write '" + tmp + "': " + std::strerror(errno));
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), (dir + "/agent.json").c_str()) != 0) {
    return internalError("cannot write '" + dir + "/agent.json'");
  }
  return Status::ok();
}

}  // namespace corral::agent
