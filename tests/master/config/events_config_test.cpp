// The master's configuration keys for live events and the stream cap.

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "master/config/master_config.h"
#include "tests/support/temp_dir.h"

namespace corral::master {
namespace {

using std::chrono::milliseconds;

Result<MasterConfig> load(const std::string& yaml) {
  testing::TempDir dir;
  std::string path = dir.file("master.yaml");
  std::ofstream(path) << yaml;
  return loadMasterConfig(path);
}

TEST_CASE("event keys have their documented defaults", "[config]") {
  for (const std::string& yaml : {std::string(), std::string("log: {level: info}\n")}) {
    auto c = yaml.empty() ? loadMasterConfig("") : load(yaml);
    REQUIRE(c.isOk());
    CHECK(c->max_streams == 256);
    CHECK(c->events_retain == 10'000);
    CHECK(c->events_retain_for == milliseconds(600'000));
    CHECK(c->events_keepalive == milliseconds(15'000));
  }
}

TEST_CASE("the stream cap defaults to a tenth of a small connection cap", "[config]") {
  auto small = load("http: {max_connections: 100}\n");
  REQUIRE(small.isOk());
  CHECK(small->max_streams == 10);
  auto tiny = load("http: {max_connections: 16}\n");
  REQUIRE(tiny.isOk());
  CHECK(tiny->max_streams == 1);
}

TEST_CASE("event keys are read and checked", "[config]") {
  auto c = load(
      "http: {max_connections: 1000, max_streams: 999}\n"
      "events: {retain: 50, retain_for: 2m, keepalive: 250ms}\n");
  REQUIRE(c.isOk());
  CHECK(c->max_streams == 999);
  CHECK(c->events_retain == 50);
  CHECK(c->events_retain_for == milliseconds(120'000));
  CHECK(c->events_keepalive == milliseconds(250));

  auto all = load("http: {max_connections: 1000, max_streams: 1000}\n");
  REQUIRE_FALSE(all.isOk());
  CHECK(all.status().message().find("'http.max_streams'") != std::string::npos);
  CHECK(all.status().message().find("'http.max_connections'") != std::string::npos);

  CHECK_FALSE(load("events: {retain: 0}\n").isOk());
  CHECK_FALSE(load("events: {keepalive: 10ms}\n").isOk());
  CHECK_FALSE(load("events: {retian: 5}\n").isOk());
}

}  // namespace
}  // namespace corral::master
