#include "common/config_file.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace corral {
namespace {

using Catch::Contains;
using std::chrono::milliseconds;

constexpr char kName[] = "corral.yaml";

ConfigFile parsed(const std::string& text) {
  Result<ConfigFile> r = ConfigFile::parse(text, kName);
  INFO(r.status().toString());
  REQUIRE(r.isOk());
  return std::move(r).value();
}

// Reads one duration at the top level and returns what finish() said.
Status readDuration(const std::string& text, milliseconds& out) {
  ConfigFile file = parsed(text);
  file.root().getDuration("timeout", out, milliseconds(0), std::chrono::hours(48));
  return file.finish();
}

}  // namespace

TEST_CASE("Config getters keep the defaults when keys are absent", "[config_file]") {
  ConfigFile file = parsed("other: 1\n");
  ConfigSection root = file.root();
  std::string name = "default";
  bool enabled = true;
  int64_t port = 8443;
  int workers = 4;
  milliseconds timeout(30'000);
  std::vector<std::string> peers = {"a", "b"};
  std::map<std::string, std::string> labels = {{"k", "v"}};
  std::string mode = "fast";
  root.get("name", name);
  root.get("enabled", enabled);
  root.get("port", port, 1, 65535);
  root.get("workers", workers, 1, 64);
  root.getDuration("timeout", timeout, milliseconds(1), std::chrono::hours(1));
  root.get("peers", peers);
  root.get("labels", labels);
  root.getEnum("mode", mode, {"fast", "safe"});
  ConfigSection server = root.section("server");
  std::string listen = "0.0.0.0:8443";
  server.get("listen", listen);
  int64_t other = 0;
  root.get("other", other, 0, 10);

  REQUIRE(file.finish().isOk());
  CHECK(name == "default");
  CHECK(enabled);
  CHECK(port == 8443);
  CHECK(workers == 4);
  CHECK(timeout == milliseconds(30'000));
  CHECK(peers == std::vector<std::string>{"a", "b"});
  CHECK(labels == std::map<std::string, std::string>{{"k", "v"}});
  CHECK(mode == "fast");
  CHECK(listen == "0.0.0.0:8443");
  CHECK(other == 1);
}

TEST_CASE("Config treats a key with no value like an absent key", "[config_file]") {
  ConfigFile file = parsed("name:\nserver:\n");
  std::string name = "default";
  file.root().get("name", name);
  std::string listen = "x";
  file.root().section("server").get("listen", listen);
  REQUIRE(file.finish().isOk());
  CHECK(name == "default");
  CHECK(listen == "x");
}

TEST_CASE("Config reads every supported type", "[config_file]") {
  ConfigFile file = parsed(R"(
name: corral-master
enabled: false
port: 9000
workers: 12
timeout: 90s
peers: [alpha, beta, "gamma delta"]
labels:
  zone: eu-1
  rack: "7"
mode: safe
server:
  listen: 127.0.0.1:9000
  tls:
    cert: /etc/corral/cert.pem
)");
  ConfigSection root = file.root();
  std::string name;
  bool enabled = true;
  int64_t port = 0;
  int workers = 0;
  milliseconds timeout(0);
  std::vector<std::string> peers;
  std::map<std::string, std::string> labels;
  std::string mode = "fast";
  std::string listen;
  std::string cert;
  root.get("name", name);
  root.get("enabled", enabled);
  root.get("port", port, 1, 65535);
  root.get("workers", workers, 1, 64);
  root.getDuration("timeout", timeout, milliseconds(1), std::chrono::hours(1));
  root.get("peers", peers);
  root.get("labels", labels);
  root.getEnum("mode", mode, {"fast", "safe"});
  ConfigSection server = root.section("server");
  server.get("listen", listen);
  server.section("tls").get("cert", cert);

  Status s = file.finish();
  INFO(s.toString());
  REQUIRE(s.isOk());
  CHECK(name == "corral-master");
  CHECK_FALSE(enabled);
  CHECK(port == 9000);
  CHECK(workers == 12);
  CHECK(timeout == milliseconds(90'000));
  CHECK(peers == std::vector<std::string>{"alpha", "beta", "gamma delta"});
  CHECK(labels == std::map<std::string, std::string>{{"rack", "7"}, {"zone", "eu-1"}});
  CHECK(mode == "safe");
  CHECK(listen == "127.0.0.1:9000");
  CHECK(cert == "/etc/corral/cert.pem");
}

TEST_CASE("Config reads a number as a string where a string is asked for", "[config_file]") {
  ConfigFile file = parsed("name: 8080\n");
  std::string name;
  file.root().get("name", name);
  REQUIRE(file.finish().isOk());
  CHECK(name == "8080");
}

TEST_CASE("Config reads the YAML spellings of booleans", "[config_file]") {
  ConfigFile file = parsed("a: true\nb: no\nc: On\n");
  bool a = false;
  bool b = true;
  bool c = false;
  file.root().get("a", a);
  file.root().get("b", b);
  file.root().get("c", c);
  REQUIRE(file.finish().isOk());
  CHECK(a);
  CHECK_FALSE(b);
  CHECK(c);
}

TEST_CASE("Config reports a key of the wrong type with the file and the full key path",
          "[config_file]") {
  ConfigFile file = parsed("server:\n  listen: [1, 2]\n");
  std::string listen = "default";
  file.root().section("server").get("listen", listen);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK(s.code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains(kName));
  CHECK_THAT(s.message(), Contains("'server.listen'"));
  CHECK_THAT(s.message(), Contains("expected a string"));
  CHECK_THAT(s.message(), Contains("a list"));
  CHECK(listen == "default");
}

TEST_CASE("Config reports a section that is not a map", "[config_file]") {
  ConfigFile file = parsed("server: 8080\n");
  std::string listen = "default";
  file.root().section("server").get("listen", listen);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'server'"));
  CHECK_THAT(s.message(), Contains("expected a map"));
  CHECK(listen == "default");
}

TEST_CASE("Config reports a boolean that is not true or false", "[config_file]") {
  ConfigFile file = parsed("enabled: maybe\n");
  bool enabled = true;
  file.root().get("enabled", enabled);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'enabled'"));
  CHECK_THAT(s.message(), Contains("expected true or false"));
  CHECK_THAT(s.message(), Contains("maybe"));
  CHECK(enabled);
}

TEST_CASE("Config reports an integer out of range with the allowed range", "[config_file]") {
  ConfigFile file = parsed("server:\n  port: 70000\n");
  int64_t port = 8443;
  file.root().section("server").get("port", port, 1, 65535);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains(kName));
  CHECK_THAT(s.message(), Contains("'server.port'"));
  CHECK_THAT(s.message(), Contains("expected an integer from 1 to 65535, got 70000"));
  CHECK(port == 8443);
}

TEST_CASE("Config reports an int below its minimum", "[config_file]") {
  ConfigFile file = parsed("workers: 0\n");
  int workers = 4;
  file.root().get("workers", workers, 1, 64);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("expected an integer from 1 to 64, got 0"));
  CHECK(workers == 4);
}

TEST_CASE("Config reports text that is not an integer", "[config_file]") {
  for (const char* value : {"abc", "1.5", "12abc", "0x10", "99999999999999999999"}) {
    INFO(value);
    ConfigFile file = parsed(std::string("port: ") + value + "\n");
    int64_t port = 8443;
    file.root().get("port", port, 1, 65535);
    Status s = file.finish();
    REQUIRE_FALSE(s.isOk());
    CHECK_THAT(s.message(), Contains("'port': expected an integer"));
    CHECK(port == 8443);
  }
}

TEST_CASE("Config reads negative integers within range", "[config_file]") {
  ConfigFile file = parsed("offset: -5\n");
  int64_t offset = 0;
  file.root().get("offset", offset, -10, 10);
  REQUIRE(file.finish().isOk());
  CHECK(offset == -5);
}

TEST_CASE("Config durations accept the units ms, s, m and h", "[config_file]") {
  milliseconds out(0);
  SECTION("milliseconds") {
    REQUIRE(readDuration("timeout: 250ms\n", out).isOk());
    CHECK(out == milliseconds(250));
  }
  SECTION("seconds") {
    REQUIRE(readDuration("timeout: 30s\n", out).isOk());
    CHECK(out == milliseconds(30'000));
  }
  SECTION("minutes") {
    REQUIRE(readDuration("timeout: 5m\n", out).isOk());
    CHECK(out == milliseconds(300'000));
  }
  SECTION("hours") {
    REQUIRE(readDuration("timeout: 24h\n", out).isOk());
    CHECK(out == milliseconds(86'400'000));
  }
  SECTION("fractions") {
    REQUIRE(readDuration("timeout: 1.5s\n", out).isOk());
    CHECK(out == milliseconds(1'500));
  }
}

TEST_CASE("Config durations read a bare number as seconds", "[config_file]") {
  milliseconds out(0);
  REQUIRE(readDuration("timeout: 45\n", out).isOk());
  CHECK(out == milliseconds(45'000));
  REQUIRE(readDuration("timeout: 0.25\n", out).isOk());
  CHECK(out == milliseconds(250));
}

TEST_CASE("Config reports a duration with an unknown unit or no number", "[config_file]") {
  for (const char* value : {"5d", "30 s", "ms", "soon", "-1s"}) {
    INFO(value);
    milliseconds out(7);
    Status s = readDuration(std::string("timeout: ") + value + "\n", out);
    REQUIRE_FALSE(s.isOk());
    CHECK_THAT(s.message(), Contains(kName));
    CHECK_THAT(s.message(), Contains("'timeout'"));
    CHECK(out == milliseconds(7));
  }
}

TEST_CASE("Config reports a duration out of range in milliseconds", "[config_file]") {
  ConfigFile file = parsed("timeout: 2h\n");
  milliseconds timeout(1'000);
  file.root().getDuration("timeout", timeout, milliseconds(100), std::chrono::hours(1));
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(),
             Contains("'timeout': expected a duration from 100ms to 3600000ms, got 2h"));
  CHECK(timeout == milliseconds(1'000));
}

TEST_CASE("parseDuration converts every unit to milliseconds", "[config_file]") {
  CHECK(*parseDuration("250ms") == milliseconds(250));
  CHECK(*parseDuration("30s") == milliseconds(30'000));
  CHECK(*parseDuration("5m") == milliseconds(300'000));
  CHECK(*parseDuration("24h") == milliseconds(86'400'000));
  CHECK(*parseDuration("10") == milliseconds(10'000));
  CHECK(*parseDuration("0") == milliseconds(0));
}

TEST_CASE("parseDuration refuses text that is not a finite non-negative duration",
          "[config_file]") {
  for (const char* text : {"", "abc", "-5s", "5d", "5 m", "nan", "inf", "infs", "1e300h"}) {
    INFO("'" << text << "'");
    Result<milliseconds> r = parseDuration(text);
    CHECK_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("Config reports a list that holds something other than strings", "[config_file]") {
  ConfigFile file = parsed("peers:\n  - a\n  - [b, c]\n");
  std::vector<std::string> peers = {"default"};
  file.root().get("peers", peers);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'peers': expected a list of strings"));
  CHECK(peers == std::vector<std::string>{"default"});
}

TEST_CASE("Config reports a scalar where a list is expected", "[config_file]") {
  ConfigFile file = parsed("peers: alpha\n");
  std::vector<std::string> peers;
  file.root().get("peers", peers);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'peers': expected a list of strings, got a scalar"));
}

TEST_CASE("Config reports a map entry that is not a string with its full path", "[config_file]") {
  ConfigFile file = parsed("agent:\n  labels:\n    zone: [a]\n");
  std::map<std::string, std::string> labels;
  file.root().section("agent").get("labels", labels);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'agent.labels.zone': expected a string"));
  CHECK(labels.empty());
}

TEST_CASE("Config map values may use any keys without being reported as unknown", "[config_file]") {
  ConfigFile file = parsed("labels:\n  anything: x\n  goes: y\n");
  std::map<std::string, std::string> labels;
  file.root().get("labels", labels);
  REQUIRE(file.finish().isOk());
  CHECK(labels.size() == 2);
}

TEST_CASE("Config finish reports an unknown top-level key with the file", "[config_file]") {
  ConfigFile file = parsed("name: x\nnmae: y\n");
  std::string name;
  file.root().get("name", name);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK(s.code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(s.message(), Contains(kName));
  CHECK_THAT(s.message(), Contains("unknown key 'nmae'"));
}

TEST_CASE("Config finish reports an unknown key inside a section with its full path",
          "[config_file]") {
  ConfigFile file = parsed("server:\n  listen: x\n  lisen: y\n");
  std::string listen;
  file.root().section("server").get("listen", listen);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains(kName));
  CHECK_THAT(s.message(), Contains("unknown key 'server.lisen'"));
  CHECK(listen == "x");
}

TEST_CASE("Config finish reports a whole section nobody opened", "[config_file]") {
  ConfigFile file = parsed("name: x\nlegacy:\n  a: 1\n");
  std::string name;
  file.root().get("name", name);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("unknown key 'legacy'"));
}

TEST_CASE("Config finish reports an unknown key two sections deep", "[config_file]") {
  ConfigFile file = parsed("server:\n  tls:\n    cert: c\n    kye: k\n");
  std::string cert;
  file.root().section("server").section("tls").get("cert", cert);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("unknown key 'server.tls.kye'"));
}

TEST_CASE("Config finish reports the first getter error before unknown keys", "[config_file]") {
  ConfigFile file = parsed("port: abc\nextra: 1\n");
  int64_t port = 1;
  file.root().get("port", port, 1, 65535);
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains("'port'"));
}

TEST_CASE("Config getEnum accepts an allowed value", "[config_file]") {
  ConfigFile file = parsed("level: debug\n");
  std::string level = "info";
  file.root().getEnum("level", level, {"debug", "info", "warn"});
  REQUIRE(file.finish().isOk());
  CHECK(level == "debug");
}

TEST_CASE("Config getEnum refusal lists the allowed values", "[config_file]") {
  ConfigFile file = parsed("log:\n  level: loud\n");
  std::string level = "info";
  file.root().section("log").getEnum("level", level, {"debug", "info", "warn"});
  Status s = file.finish();
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains(kName));
  CHECK_THAT(s.message(), Contains("'log.level'"));
  CHECK_THAT(s.message(), Contains("expected one of debug, info, warn, got 'loud'"));
  CHECK(level == "info");
}

TEST_CASE("Config accepts an empty file", "[config_file]") {
  for (const char* text : {"", "\n", "# only a comment\n", "---\n"}) {
    INFO("'" << text << "'");
    ConfigFile file = parsed(text);
    std::string name = "default";
    file.root().get("name", name);
    file.root().section("server").get("listen", name);
    CHECK(file.finish().isOk());
    CHECK(name == "default");
  }
}

TEST_CASE("Config refuses a file whose top level is not a map", "[config_file]") {
  Result<ConfigFile> r = ConfigFile::parse("- a\n- b\n", kName);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Contains(kName));
  CHECK_THAT(r.status().message(), Contains("expected a map of settings"));
}

TEST_CASE("Config reports a YAML syntax error with the file name", "[config_file]") {
  Result<ConfigFile> r = ConfigFile::parse("server:\n  listen: [unclosed\n", kName);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Contains(kName));
  CHECK_THAT(r.status().message(), Contains("not valid YAML"));
}

TEST_CASE("Config load reads a file from disk and names it in errors", "[config_file]") {
  testing::TempDir dir;
  std::string path = dir.file("master.yaml");
  {
    std::ofstream out(path);
    out << "name: from-disk\nbogus: 1\n";
  }
  Result<ConfigFile> r = ConfigFile::load(path);
  REQUIRE(r.isOk());
  std::string name;
  r->root().get("name", name);
  Status s = r->finish();
  CHECK(name == "from-disk");
  REQUIRE_FALSE(s.isOk());
  CHECK_THAT(s.message(), Contains(path));
  CHECK_THAT(s.message(), Contains("unknown key 'bogus'"));
}

TEST_CASE("Config load of a missing file names the path", "[config_file]") {
  testing::TempDir dir;
  std::string path = dir.file("missing.yaml");
  Result<ConfigFile> r = ConfigFile::load(path);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Contains(path));
}

TEST_CASE("Config load reports a YAML syntax error with the path", "[config_file]") {
  testing::TempDir dir;
  std::string path = dir.file("broken.yaml");
  {
    std::ofstream out(path);
    out << "a: [1, 2\n";
  }
  Result<ConfigFile> r = ConfigFile::load(path);
  REQUIRE_FALSE(r.isOk());
  CHECK_THAT(r.status().message(), Contains(path));
  CHECK_THAT(r.status().message(), Contains("not valid YAML"));
}

}  // namespace corral
