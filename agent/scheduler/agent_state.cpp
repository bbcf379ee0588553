#include "agent/scheduler/agent_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "common/json.h"

namespace corral::agent {

namespace {

// Reads the fields of a state file, remembering the first one that holds the wrong type (nlohmann's
// value() would throw instead). A missing or null field keeps its default.
class StateReader {
 public:
  explicit StateReader(const Json& json) : json_(json) {}

  void string(const char* name, std::string& out) {
    const Json* field = find(name);
    if (field == nullptr) {
      return;
    }
    if (!field->is_string()) {
      bad_ = name;
      return;
    }
    out = field->get<std::string>();
  }

  template <typename Int>
  void integer(const char* name, Int& out) {
    const Json* field = find(name);
    if (field == nullptr) {
      return;
    }
    if (!field->is_number_integer() || field->get<int64_t>() < 0 ||
        field->get<int64_t>() > std::numeric_limits<Int>::max()) {
      bad_ = name;
      return;
    }
    out = static_cast<Int>(field->get<int64_t>());
  }

  // The first field of the wrong type, or nullptr.
  const char* bad() const { return bad_; }

 private:
  const Json* find(const char* name) const {
    auto it = json_.find(name);
    return it == json_.end() || it->is_null() ? nullptr : &*it;
  }

  const Json& json_;
  const char* bad_ = nullptr;
};

}  // namespace

Result<AgentState> loadAgentState(const std::string& dir) {
  std::string path = dir + "/agent.json";
  std::ifstream in(path);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) {
      return AgentState{};  // never registered
    }
    // Starting afresh here would enrol a second agent and overwrite the kept credential.
    return internalError(path + ": cannot read the agent's state file");
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string corrupt = path + ": not the agent's state file (delete it to enrol again)";
  auto json = parseJson(text.str());
  if (!json.isOk() || !json->is_object()) {
    return invalidArgument(corrupt);
  }
  AgentState s;
  StateReader r(*json);
  r.string("agent_id", s.agent_id);
  r.string("agent_token", s.agent_token);
  r.string("pool_id", s.pool_id);
  r.integer("snapshot_version", s.snapshot_version);
  r.integer("heartbeat_interval_s", s.heartbeat_interval_s);
  r.integer("poll_wait_s", s.poll_wait_s);
  r.integer("snapshot_interval_s", s.snapshot_interval_s);
  r.integer("offline_after_s", s.offline_after_s);
  if (r.bad() != nullptr) {
    return invalidArgument(corrupt + ": field '" + r.bad() + "' has the wrong type");
  }
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
            {"snapshot_version", state.snapshot_version},
            {"heartbeat_interval_s", state.heartbeat_interval_s},
            {"poll_wait_s", state.poll_wait_s},
            {"snapshot_interval_s", state.snapshot_interval_s},
            {"offline_after_s", state.offline_after_s}};
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
