// The master over HTTPS, with a CA and a server certificate made for the test.

#include <unistd.h>

#include <cstdlib>

#include "tests/integration/fleet_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

using corral::Json;
using corral::testing::ApiClient;
using corral::testing::ChildProcess;
using corral::testing::MasterProcess;
using corral::testing::readFile;
using corral::testing::TempDir;

namespace {

// ChildProcess does not search PATH.
std::string findOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? end : end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return {};
}

class Certificates {
 public:
  Certificates() : openssl_(findOnPath("openssl")) {
    REQUIRE_FALSE(openssl_.empty());
    // EC keys: as good as RSA for the test, and quick to generate.
    makeCa("ca");
    makeCa("stranger-ca");
    std::ofstream(dir_.file("server.ext")) << "subjectAltName=IP:127.0.0.1\n"
                                              "basicConstraints=CA:FALSE\n"
                                              "keyUsage=critical,digitalSignature\n"
                                              "extendedKeyUsage=serverAuth\n";
    run({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", keyFile(), "-out", dir_.file("server.csr"), "-subj", "/CN=127.0.0.1"});
    run({"x509", "-req", "-in", dir_.file("server.csr"), "-CA", caFile(), "-CAkey",
         dir_.file("ca.key"), "-set_serial", "2", "-days", "2", "-extfile", dir_.file("server.ext"),
         "-out", certFile()});
  }

  std::string caFile() const { return dir_.file("ca.crt"); }
  std::string strangerCaFile() const { return dir_.file("stranger-ca.crt"); }
  std::string certFile() const { return dir_.file("server.crt"); }
  std::string keyFile() const { return dir_.file("server.key"); }

 private:
  void makeCa(const std::string& name) {
    run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", dir_.file(name + ".key"), "-out", dir_.file(name + ".crt"), "-days", "2",
         "-subj", "/CN=corral " + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
         "keyUsage=critical,keyCertSign,cRLSign"});
  }

  void run(std::vector<std::string> args) {
    args.insert(args.begin(), openssl_);
    std::string err = dir_.file("openssl.stderr");
    ChildProcess process(args, err);
    auto code = process.wait(std::chrono::seconds(60));
    INFO(readFile(err));
    REQUIRE(code == 0);
  }

  TempDir dir_;
  std::string openssl_;
};

}  // namespace

TEST_CASE("the master serves HTTPS with a configured certificate", "[integration]") {
  Certificates certs;
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
  ApiClient stranger(master.host(), master.port(), certs.strangerCaFile());
  CHECK(stranger.get("/healthz", "").status == 0);

  // Still serving after the failed handshakes.
  CHECK(api.get("/healthz", "").status == 200);
}
