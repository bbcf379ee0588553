// The master as a process: crash recovery, clean shutdown, configuration errors and the CLI.

#include <algorithm>
#include <csignal>
#include <fstream>

#include "tests/integration/fleet_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

using corral::Json;
using corral::testing::ApiClient;
using corral::testing::ChildProcess;
using corral::testing::FleetFixture;
using corral::testing::idsOf;
using corral::testing::masterBinary;
using corral::testing::readFile;
using corral::testing::TempDir;

namespace {

using std::chrono::seconds;

// A master started by hand rather than through MasterProcess, to see everything it prints
// before it listens.
struct StartedMaster {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  std::vector<std::string> startup_lines;
};

StartedMaster startMaster(const std::string& data_dir, const std::string& stderr_file) {
  StartedMaster m;
  m.process = std::make_unique<ChildProcess>(
      std::vector<std::string>{masterBinary(), "--data-dir", data_dir, "--listen", "127.0.0.1:0"},
      stderr_file);
  auto until = std::chrono::steady_clock::now() + seconds(30);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    auto line = left.count() > 0 ? m.process->readLine(left) : std::nullopt;
    if (!line) {
      FAIL("the master did not start again: " << readFile(stderr_file));
    }
    m.startup_lines.push_back(*line);
    if (line->find("listening on") != std::string::npos) {
      m.port = std::stoi(line->substr(line->rfind(':') + 1));
      return m;
    }
  }
}

struct Exit {
  int code = -1;
  std::string stderr_text;
};

// Runs the master binary with `args` to its end.
Exit runMaster(const std::vector<std::string>& args, const std::string& stderr_file) {
  std::vector<std::string> argv = {masterBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess process(argv, stderr_file);
  auto code = process.wait(seconds(30));
  REQUIRE(code.has_value());
  return {*code, readFile(stderr_file)};
}

}  // namespace

TEST_CASE("queued commands survive a crash of the master and go out in order", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("durable");
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto r = f.enqueue(
        {{"target", {{"agent_id", agent.id}}}, {"action", "step"}, {"params", {{"n", i}}}});
    REQUIRE(r.status == 201);
    ids.push_back(r.json()["id"].get<std::string>());
  }
  std::string admin_file = f.master.dataDir() + "/admin.token";
  std::string admin_before = readFile(admin_file);
  REQUIRE_FALSE(admin_before.empty());
  f.master.kill9();

  TempDir scratch;
  StartedMaster again = startMaster(f.master.dataDir(), scratch.file("restart.stderr"));
  for (const auto& line : again.startup_lines) {
    CHECK(line.find("admin token") == std::string::npos);
  }
  CHECK(readFile(admin_file) == admin_before);
  ApiClient api("127.0.0.1", again.port);
  auto tokens = api.get("/api/v1/tokens", f.admin());
  REQUIRE(tokens.status == 200);
  CHECK(tokens.json()["items"].size() == 1);  // the first admin token, and no new one

  auto queued = api.get("/api/v1/commands?state=queued&limit=100&agent_id=" + agent.id, f.admin());
  REQUIRE(queued.status == 200);
  auto listed = idsOf(queued.json()["items"]);
  std::reverse(listed.begin(), listed.end());  // the list is newest first
  CHECK(listed == ids);

  std::vector<std::string> delivered;
  for (int batch = 0; batch < 3; ++batch) {
    auto r = api.get("/api/v1/agent/commands?wait=0&max=20", agent.token);
    REQUIRE(r.status == 200);
    Json batch_json = r.json();
    for (const auto& c : batch_json["commands"]) {
      CHECK(c["params"]["n"] == static_cast<int>(delivered.size()));
      CHECK(c["fence"] == 1);
      delivered.push_back(c["id"].get<std::string>());
    }
  }
  CHECK(delivered == ids);
  CHECK(api.get("/api/v1/agent/commands?wait=0", agent.token).status == 204);

  again.process->signal(SIGTERM);
  CHECK(again.process->wait(seconds(20)) == 0);
}

TEST_CASE("SIGTERM ends a parked long-poll and the master exits with 0", "[integration]") {
  FleetFixture f;
  auto agent = f.poolWithAgent("stop");
  auto parked = f.pollAsync(agent, 30);
  REQUIRE(f.waitUntilPolling(agent.id));

  auto started = std::chrono::steady_clock::now();
  f.master.process().signal(SIGTERM);
  auto code = f.master.process().wait(seconds(10));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  REQUIRE(parked.wait_for(seconds(10)) == std::future_status::ready);
  auto r = parked.get();
  CHECK((r.status == 204 || r.status == 0));
  CHECK(std::chrono::steady_clock::now() - started < seconds(10));
  CHECK(f.api.get("/healthz", "").status == 0);
}

TEST_CASE("a bad configuration file stops the master with a message naming file and key",
          "[integration]") {
  TempDir dir;
  struct Case {
    const char* name;
    const char* yaml;
    const char* needle;
  };
  for (const Case& c :
       {Case{"unknown-key", "queue:\n  bogus: 1\n", "queue.bogus"},
        Case{"wrong-type", "agents: {offline_after: soon}\n", "agents.offline_after"},
        Case{"out-of-range", "http: {max_body_bytes: 1}\n", "http.max_body_bytes"},
        Case{"syntax", "queue: {lease_grace: 0s\nagents: [\n", "YAML"}}) {
    INFO(c.name);
    std::string config = dir.file(std::string(c.name) + ".yaml");
    std::ofstream(config) << c.yaml;
    Exit exit =
        runMaster({"--config", config, "--data-dir", dir.file("data"), "--listen", "127.0.0.1:0"},
                  dir.file(std::string(c.name) + ".stderr"));
    INFO(exit.stderr_text);
    CHECK(exit.code != 0);
    CHECK(exit.stderr_text.find(config) != std::string::npos);
    CHECK(exit.stderr_text.find(c.needle) != std::string::npos);
  }

  std::string missing = dir.file("missing.yaml");
  Exit exit =
      runMaster({"--config", missing, "--data-dir", dir.file("data")}, dir.file("missing.stderr"));
  CHECK(exit.code != 0);
  CHECK(exit.stderr_text.find(missing) != std::string::npos);
}

TEST_CASE("token create prints an operator token the running master accepts", "[integration]") {
  FleetFixture f;
  TempDir dir;
  ChildProcess cli({masterBinary(), "token", "create", "--role", "viewer", "--name", "ci",
                    "--data-dir", f.master.dataDir()},
                   dir.file("cli.stderr"));
  auto line = cli.readLine(seconds(30));
  REQUIRE(line.has_value());
  CHECK(cli.wait(seconds(30)) == 0);
  std::string token = *line;
  CHECK(token.rfind("crl_op_", 0) == 0);
  CHECK(readFile(dir.file("cli.stderr")).find("viewer") != std::string::npos);

  CHECK(f.api.get("/api/v1/agents", token).status == 200);
  auto write = f.api.post("/api/v1/agent-pools", token, {{"name", "nope"}});
  CHECK(write.status == 403);
  CHECK(write.errorCode() == "permission_denied");

  Exit no_role =
      runMaster({"token", "create", "--data-dir", f.master.dataDir()}, dir.file("no-role.stderr"));
  CHECK(no_role.code != 0);
  CHECK(no_role.stderr_text.find("--role") != std::string::npos);
}
