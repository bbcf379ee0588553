#include "tests/support/test_certificates.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "tests/support/child_process.h"
#include "tests/support/file_text.h"

namespace corral::testing {

TestCertificates::TestCertificates() {
  INFO("the openssl command, found when the build was configured: " CORRAL_OPENSSL_COMMAND);
  REQUIRE(access(CORRAL_OPENSSL_COMMAND, X_OK) == 0);
  makeCa("ca");
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

std::string TestCertificates::makeUnrelatedCa(const std::string& name) {
  makeCa(name);
  return dir_.file(name + ".crt");
}

void TestCertificates::makeCa(const std::string& name) {
  run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", dir_.file(name + ".key"), "-out", dir_.file(name + ".crt"), "-days", "2", "-subj",
       "/CN=corral test " + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"});
}

void TestCertificates::run(std::vector<std::string> args) {
  args.insert(args.begin(), CORRAL_OPENSSL_COMMAND);
  std::string err = dir_.file("openssl.stderr");
  ChildProcess process(args, err);
  auto code = process.wait(std::chrono::seconds(60));
  INFO(readFile(err));
  REQUIRE(code == 0);
}

}  // namespace corral::testing
