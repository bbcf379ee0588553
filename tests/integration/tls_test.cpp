// The master over HTTPS, with a CA and a server certificate made for the test.

#include "tests/integration/fleet_fixture.h"
#include "tests/support/test_certificates.h"

using corral::Json;
using corral::testing::ApiClient;
using corral::testing::MasterProcess;
using corral::testing::TestCertificates;

TEST_CASE("the master serves HTTPS with a configured certificate", "[integration]") {
  TestCertificates certs;
  std::string stranger_ca = certs.makeUnrelatedCa("stranger");
  MasterProcess::Options options;
  options.tls = true;
  options.config_yaml =
      "tls:\n  cert_file: \"" + certs.certFile() + "\"\n  key_file: \"" + certs.keyFile() + "\"\n";
  MasterProcess master(options);
  ApiClient api(master.host(), master.port(), certs.caFile());
  const std::string& admin = master.adminToken();

  REQUIRE(api.get("/healthz", "").status == 200);
  auto pool = api.post("/api/v1/agent-pools", admin, {{"name", "secure"}});
  REQUIRE(pool.status == 201);
  std::string pool_id = pool.json()["id"];
  auto enrollment = api.post("/api/v1/agent-pools/" + pool_id + "/tokens", admin, Json::object());
  REQUIRE(enrollment.status == 201);
  auto registered =
      api.post("/api/v1/agent/register", enrollment.json()["token"].get<std::string>(),
               {{"name", "secure-agent"}, {"type", "host"}, {"protocol_version", "1.0"}});
  REQUIRE(registered.status == 201);
  std::string agent_id = registered.json()["agent_id"];
  std::string agent_token = registered.json()["agent_token"];

  CHECK(api.get("/api/v1/agent/commands?wait=0", agent_token).status == 204);
  auto created = api.post("/api/v1/commands", admin,
                          {{"target", {{"agent_id", agent_id}}}, {"action", "over-tls"}});
  REQUIRE(created.status == 201);
  auto polled = api.get("/api/v1/agent/commands?wait=5", agent_token);
  REQUIRE(polled.status == 200);
  CHECK(polled.json()["commands"][0]["id"] == created.json()["id"]);

  // Plain HTTP gets no answer, and neither does a client that does not trust the certificate.
  ApiClient plain(master.host(), master.port());
  auto cleartext = plain.get("/healthz", "");
  CHECK(cleartext.status != 200);
  CHECK((cleartext.status == 0 || cleartext.status == 400));
  ApiClient stranger(master.host(), master.port(), stranger_ca);
  CHECK(stranger.get("/healthz", "").status == 0);

  // Still serving after the failed handshakes.
  CHECK(api.get("/healthz", "").status == 200);
}
