#include "agent/repository/converters/quantity.h"

#include <catch2/catch.hpp>
#include <limits>

namespace corral::agent {
namespace {

TEST_CASE("CPU quantities become millicores, rounded up", "[agent][quantity]") {
  CHECK(parseCpuMillis("100m") == 100);
  CHECK(parseCpuMillis("1") == 1000);
  CHECK(parseCpuMillis("3") == 3000);
  CHECK(parseCpuMillis("0.5") == 500);
  CHECK(parseCpuMillis(".25") == 250);
  CHECK(parseCpuMillis("2.") == 2000);
  CHECK(parseCpuMillis("0.1") == 100);
  CHECK(parseCpuMillis("0.0001") == 1);
  CHECK(parseCpuMillis("250000u") == 250);
  CHECK(parseCpuMillis("+2") == 2000);
}

TEST_CASE("memory quantities become bytes", "[agent][quantity]") {
  CHECK(parseBytes("100Mi") == 100 * 1024 * 1024);
  CHECK(parseBytes("2Gi") == 2LL * 1024 * 1024 * 1024);
  CHECK(parseBytes("30873004Ki") == 30873004LL * 1024);
  CHECK(parseBytes("100M") == 100'000'000);
  CHECK(parseBytes("1k") == 1000);
  CHECK(parseBytes("128974848") == 128974848);
  CHECK(parseBytes("129e6") == 129'000'000);
  CHECK(parseBytes("1.5Gi") == 1610612736);
  CHECK(parseBytes("1500m") == 2);  // a fraction of a byte rounds up
  CHECK(parseBytes("1Ei") == 1LL << 60);
}

TEST_CASE("text that is not a quantity is refused", "[agent][quantity]") {
  for (const char* bad : {"", "m", "Gi", "abc", "1Qi", "1 Gi", "5e", "5e+", "1.2.3", "--1", "1ki",
                          "0x10", "1Gib", "1e3m"}) {
    INFO(bad);
    CHECK_FALSE(parseBytes(bad));
    CHECK_FALSE(parseCpuMillis(bad));
  }
}

TEST_CASE("quantities beyond int64 are clamped", "[agent][quantity]") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK(parseBytes("99999999999Ei") == kMax);
  CHECK(parseBytes("1e400") == kMax);
  CHECK(parseCpuMillis("1E99999") == kMax);
  CHECK(parseBytes(std::string(6000, '9')) == kMax);
}

}  // namespace
}  // namespace corral::agent
