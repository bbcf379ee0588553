#include "agent/scheduler/session.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "agent/scheduler/agent_state.h"
#include "tests/agent/support/fake_master_gateway.h"
#include "tests/support/temp_dir.h"

namespace corral::agent {
namespace {

using testing::FakeMasterGateway;

constexpr const char* kEnrollment = "crl_enr_pool_secret";

proto::RegisterRequest identity() {
  proto::RegisterRequest r;
  r.name = "edge-1";
  r.type = "k8s";
  r.protocol_version = proto::kProtocolVersion;
  r.cluster_id = "prod-eu";
  r.labels = {{"zone", "eu-1"}};
  r.slots = 4;
  return r;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

// The state directory of an agent that registered once and was stopped.
void enrolOnce(const std::string& state_dir) {
  FakeMasterGateway gateway;
  Session first(gateway, identity(), kEnrollment, state_dir);
  REQUIRE(first.start().isOk());
  REQUIRE(gateway.registrations().size() == 1);
}

TEST_CASE("the first start registers with the enrollment token and keeps the credential",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  const std::string state_dir = dir.file("state");  // created on demand
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, state_dir);

  REQUIRE(session.start().isOk());

  auto registrations = gateway.registrations();
  REQUIRE(registrations.size() == 1);
  CHECK(registrations[0].enrollment_token == kEnrollment);
  CHECK(registrations[0].request.name == "edge-1");
  CHECK(registrations[0].request.cluster_id == "prod-eu");
  CHECK(registrations[0].request.slots == 4);
  CHECK(registrations[0].request.previous_token.empty());
  CHECK(session.agentId() == "agt_fake");
  CHECK(session.intervals().heartbeat_interval_s == 20);

  auto kept = loadAgentState(state_dir);
  REQUIRE(kept.isOk());
  CHECK(kept->agent_id == "agt_fake");
  CHECK(kept->agent_token == "crl_agt_1");
  CHECK(kept->pool_id == "pool_fake");
  CHECK(kept->heartbeat_interval_s == 20);
  // The file holds a credential: only the agent's user may read it.
  struct stat st {};
  REQUIRE(::stat((state_dir + "/agent.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a restart on the same state directory uses the kept token and does not register",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  enrolOnce(dir.path().string());

  // With or without the enrollment token: registering on every restart would spend a use of the
  // token (or fail once it expired) and replace the credential each time.
  std::string enrollment = GENERATE(std::string(kEnrollment), std::string());
  INFO("enrollment token '" << enrollment << "'");
  FakeMasterGateway gateway;
  Session restarted(gateway, identity(), enrollment, dir.path().string());
  REQUIRE(restarted.start().isOk());

  CHECK(gateway.registrations().empty());
  CHECK(gateway.keptTokens() == std::vector<std::string>{"crl_agt_1"});
  CHECK(restarted.agentId() == "agt_fake");
  // The intervals of the registration behind the kept credential still apply.
  CHECK(restarted.intervals().heartbeat_interval_s == 20);
  CHECK(restarted.intervals().snapshot_interval_s == 40);
}

TEST_CASE("without a kept credential nor an enrollment token, start says what to set",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  FakeMasterGateway gateway;
  Session session(gateway, identity(), "", dir.path().string());
  Status started = session.start();
  CHECK(started.code() == ErrorCode::kUnauthenticated);
  CHECK_THAT(started.message(), Catch::Contains("enrollment_token"));
  CHECK(gateway.registrations().empty());
}

TEST_CASE("recover() enrols again presenting the refused agent token",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());
  REQUIRE(session.start().isOk());
  REQUIRE(gateway.token() == "crl_agt_1");

  REQUIRE(session.recover().isOk());

  auto registrations = gateway.registrations();
  REQUIRE(registrations.size() == 2);
  CHECK(registrations[1].enrollment_token == kEnrollment);
  CHECK(registrations[1].request.previous_token == "crl_agt_1");
  CHECK(registrations[1].request.name == "edge-1");
  CHECK(gateway.token() == "crl_agt_2");
  auto kept = loadAgentState(dir.path().string());
  REQUIRE(kept.isOk());
  CHECK(kept->agent_token == "crl_agt_2");
}

TEST_CASE("recover() after a restart presents the kept token", "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  enrolOnce(dir.path().string());
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());
  REQUIRE(session.start().isOk());

  REQUIRE(session.recover().isOk());

  auto registrations = gateway.registrations();
  REQUIRE(registrations.size() == 1);
  CHECK(registrations[0].request.previous_token == "crl_agt_1");
}

TEST_CASE("recover() without an enrollment token fails with what the operator must do",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  enrolOnce(dir.path().string());
  FakeMasterGateway gateway;
  Session session(gateway, identity(), "", dir.path().string());
  REQUIRE(session.start().isOk());

  Status recovered = session.recover();

  CHECK(recovered.code() == ErrorCode::kUnauthenticated);
  CHECK_THAT(recovered.message(), Catch::Contains("enrollment token"));
  CHECK_THAT(recovered.message(), Catch::Contains("set enrollment_token"));
  CHECK(gateway.registrations().empty());
}

TEST_CASE("recover() refused with 409 (the name is no longer ours) is final and says why",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());
  REQUIRE(session.start().isOk());
  gateway.queueRegister(conflict("agent name 'edge-1' is taken in this pool (HTTP 409)"));

  Status recovered = session.recover();

  // kUnauthenticated makes the command loop stop instead of enrolling in a loop.
  CHECK(recovered.code() == ErrorCode::kUnauthenticated);
  CHECK_THAT(recovered.message(), Catch::Contains("'edge-1' is taken"));
  CHECK_THAT(recovered.message(), Catch::Contains("delete the old agent"));
  auto kept = loadAgentState(dir.path().string());
  REQUIRE(kept.isOk());
  CHECK(kept->agent_token == "crl_agt_1");
}

TEST_CASE("recover() passes other failures on as they are", "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());
  REQUIRE(session.start().isOk());
  gateway.queueRegister(unavailable("the master is starting (HTTP 503)"));

  Status recovered = session.recover();

  // Worth another try later: the loop backs off and polls again.
  CHECK(recovered.code() == ErrorCode::kUnavailable);
  CHECK(gateway.token() == "crl_agt_1");
}

TEST_CASE("snapshot versions grow strictly, never fall below the clock and survive a restart",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  const std::string state_dir = dir.path().string();
  {
    FakeMasterGateway gateway;
    Session session(gateway, identity(), kEnrollment, state_dir);
    REQUIRE(session.start().isOk());

    auto v1 = session.nextSnapshotVersion(1'000);
    REQUIRE(v1.isOk());
    CHECK(*v1 == 1'000);
    // The same millisecond, or a clock that went back, still gives a higher version.
    CHECK(*session.nextSnapshotVersion(1'000) == 1'001);
    CHECK(*session.nextSnapshotVersion(400) == 1'002);
    // A clock ahead of the last version wins.
    CHECK(*session.nextSnapshotVersion(5'000) == 5'000);
    // Enrolling again keeps the version.
    REQUIRE(session.recover().isOk());
    CHECK(*session.nextSnapshotVersion(0) == 5'001);
  }
  FakeMasterGateway gateway;
  Session restarted(gateway, identity(), kEnrollment, state_dir);
  REQUIRE(restarted.start().isOk());
  CHECK(*restarted.nextSnapshotVersion(0) == 5'002);
  CHECK(*restarted.nextSnapshotVersion(9'000) == 9'000);
}

TEST_CASE("a corrupt state file is an error naming it, and nothing is registered",
          "[agent][scheduler][session]") {
  // Enrolling afresh would overwrite the kept credential and, with the name still registered,
  // be refused anyway; the operator decides by deleting the file.
  corral::testing::TempDir dir;
  const std::string path = dir.file("agent.json");
  std::string text = GENERATE(std::string(""), std::string("{\"agent_id\": \"agt_1\", \"agent_tok"),
                              std::string("[1, 2]"), std::string("{\"agent_token\": 42}"),
                              std::string("{\"agent_token\": \"t\", \"snapshot_version\": \"7\"}"),
                              std::string("{\"snapshot_version\": -3}"));
  INFO("state file: " << text);
  writeFile(path, text);
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());

  Status started = session.start();

  CHECK(started.code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(started.message(), Catch::Contains(path));
  CHECK_THAT(started.message(), Catch::Contains("delete it to enrol again"));
  CHECK(gateway.registrations().empty());
  CHECK(readFile(path) == text);
}

TEST_CASE("a state file without the intervals is accepted; they are then unknown (0)",
          "[agent][scheduler][session]") {
  corral::testing::TempDir dir;
  writeFile(dir.file("agent.json"),
            R"({"agent_id": "agt_7", "agent_token": "crl_agt_old", "pool_id": "pool_1",
                "snapshot_version": 12})");
  FakeMasterGateway gateway;
  Session session(gateway, identity(), kEnrollment, dir.path().string());

  REQUIRE(session.start().isOk());

  CHECK(gateway.keptTokens() == std::vector<std::string>{"crl_agt_old"});
  CHECK(session.agentId() == "agt_7");
  CHECK(session.intervals().heartbeat_interval_s == 0);
  CHECK(*session.nextSnapshotVersion(0) == 13);
}

}  // namespace
}  // namespace corral::agent
