#include "common/crypto.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace corral {
namespace {

bool isBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

TEST_CASE("newSecretToken is the prefix followed by 43 base64url characters", "[crypto]") {
  for (std::string_view prefix :
       {kEnrollmentTokenPrefix, kAgentTokenPrefix, kOperatorTokenPrefix}) {
    std::string token = newSecretToken(prefix);
    REQUIRE(token.size() == prefix.size() + 43);
    CHECK(token.substr(0, prefix.size()) == prefix);
    std::string body = token.substr(prefix.size());
    CHECK(std::all_of(body.begin(), body.end(), isBase64Url));
    CHECK(body.find('=') == std::string::npos);
  }
}

TEST_CASE("newSecretToken differs on every call", "[crypto]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    seen.insert(newSecretToken(kAgentTokenPrefix));
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("newSecretToken ends in a character that encodes only the last four bits", "[crypto]") {
  // 256 bits fill 42 characters and leave 4 bits, padded with two zero bits, for the last one.
  // Its 6-bit value is therefore a multiple of 4: one of A E I M Q U Y c g k o s w 0 4 8.
  const std::string allowed = "AEIMQUYcgkosw048";
  for (int i = 0; i < 50; ++i) {
    std::string token = newSecretToken("");
    REQUIRE(token.size() == 43);
    CHECK(allowed.find(token.back()) != std::string::npos);
  }
}

TEST_CASE("newId is the prefix followed by 16 lower-case hex characters", "[crypto]") {
  std::string id = newId("job_");
  REQUIRE(id.size() == 4 + 16);
  CHECK(id.substr(0, 4) == "job_");
  std::string body = id.substr(4);
  CHECK(std::all_of(body.begin(), body.end(), isLowerHex));
}

TEST_CASE("newId differs on every call", "[crypto]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    seen.insert(newId("n_"));
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("sha256Hex matches the published test vectors", "[crypto]") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256Hex hashes embedded NUL bytes rather than stopping at them", "[crypto]") {
  std::string with_nul("a\0b", 3);
  CHECK(sha256Hex(with_nul) != sha256Hex("a"));
  CHECK(sha256Hex(with_nul).size() == 64);
}

TEST_CASE("constantTimeEquals is true for equal strings", "[crypto]") {
  CHECK(constantTimeEquals("", ""));
  CHECK(constantTimeEquals("crl_agt_secret", "crl_agt_secret"));
}

TEST_CASE("constantTimeEquals is false for strings that differ", "[crypto]") {
  CHECK_FALSE(constantTimeEquals("crl_agt_secret", "crl_agt_secreT"));
  CHECK_FALSE(constantTimeEquals("Xrl_agt_secret", "crl_agt_secret"));
}

TEST_CASE("constantTimeEquals is false for strings of different lengths", "[crypto]") {
  CHECK_FALSE(constantTimeEquals("abc", "abcd"));
  CHECK_FALSE(constantTimeEquals("abcd", "abc"));
  CHECK_FALSE(constantTimeEquals("", "a"));
}

}  // namespace corral
