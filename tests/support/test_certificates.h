#pragma once

// Certificates made for one test with the openssl command: a CA and a server certificate it
// signed for 127.0.0.1, plus on request more CAs that signed nothing, for clients that must not
// trust the server. P-256 keys (as good as RSA for a test, and quick to make), valid for two
// days, as PEM files in a temporary directory that goes away with the object. Making them blocks
// for as long as openssl runs; a failure fails the test.

#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace corral::testing {

class TestCertificates {
 public:
  TestCertificates();

  // The CA's certificate, for clients that trust the server.
  std::string caFile() const { return dir_.file("ca.crt"); }
  // The server's certificate (subjectAltName IP:127.0.0.1) and its private key.
  std::string certFile() const { return dir_.file("server.crt"); }
  std::string keyFile() const { return dir_.file("server.key"); }

  // Makes one more CA named `name` (not "ca" or "server"), which signed nothing, and returns its
  // certificate file.
  std::string makeUnrelatedCa(const std::string& name);

 private:
  void makeCa(const std::string& name);
  // Runs openssl with `args`; its stderr is in the failure message.
  void run(std::vector<std::string> args);

  TempDir dir_;
};

}  // namespace corral::testing
