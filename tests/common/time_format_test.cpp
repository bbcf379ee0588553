#include "common/time_format.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

namespace corral {
namespace {

constexpr int64_t kNewYear2026Millis = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

int64_t parsedMillis(const std::string& text) {
  Result<WallTime> r = parseRfc3339(text);
  INFO("parsing '" << text << "': " << r.status().toString());
  REQUIRE(r.isOk());
  return toUnixMillis(*r);
}

}  // namespace

TEST_CASE("formatRfc3339 writes UTC with milliseconds and a Z", "[time_format]") {
  CHECK(formatRfc3339(fromUnixMillis(kNewYear2026Millis + 123)) == "2026-01-01T00:00:00.123Z");
  CHECK(formatRfc3339(fromUnixMillis(kNewYear2026Millis)) == "2026-01-01T00:00:00.000Z");
  CHECK(formatRfc3339(fromUnixMillis(0)) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("formatRfc3339 handles instants before the epoch", "[time_format]") {
  CHECK(formatRfc3339(fromUnixMillis(-1)) == "1969-12-31T23:59:59.999Z");
  CHECK(formatRfc3339(fromUnixMillis(-1000)) == "1969-12-31T23:59:59.000Z");
}

TEST_CASE("formatRfc3339 handles a leap day", "[time_format]") {
  // 2028-02-29T12:34:56.789Z
  CHECK(formatRfc3339(fromUnixMillis(1'835'440'496'789)) == "2028-02-29T12:34:56.789Z");
}

TEST_CASE("parseRfc3339 reads a UTC timestamp with a Z", "[time_format]") {
  CHECK(parsedMillis("2026-01-01T00:00:00.123Z") == kNewYear2026Millis + 123);
  CHECK(parsedMillis("2026-01-01T00:00:00.123z") == kNewYear2026Millis + 123);
}

TEST_CASE("parseRfc3339 reads a timestamp without a fraction", "[time_format]") {
  CHECK(parsedMillis("2026-01-01T00:00:00Z") == kNewYear2026Millis);
}

TEST_CASE("parseRfc3339 reads fractions of any length as milliseconds", "[time_format]") {
  CHECK(parsedMillis("2026-01-01T00:00:00.1Z") == kNewYear2026Millis + 100);
  CHECK(parsedMillis("2026-01-01T00:00:00.12Z") == kNewYear2026Millis + 120);
  CHECK(parsedMillis("2026-01-01T00:00:00.123456789Z") == kNewYear2026Millis + 123);
}

TEST_CASE("parseRfc3339 applies a positive offset", "[time_format]") {
  // 02:00 at +02:00 is midnight UTC.
  CHECK(parsedMillis("2026-01-01T02:00:00.123+02:00") == kNewYear2026Millis + 123);
}

TEST_CASE("parseRfc3339 applies a negative offset with minutes", "[time_format]") {
  // 18:30 on New Year's Eve at -05:30 is midnight UTC.
  CHECK(parsedMillis("2025-12-31T18:30:00-05:30") == kNewYear2026Millis);
}

TEST_CASE("parseRfc3339 treats +00:00 like Z", "[time_format]") {
  CHECK(parsedMillis("2026-01-01T00:00:00+00:00") == parsedMillis("2026-01-01T00:00:00Z"));
}

TEST_CASE("parseRfc3339 accepts the 29th of February only in leap years", "[time_format]") {
  CHECK(parsedMillis("2028-02-29T12:34:56.789Z") == 1'835'440'496'789);
  CHECK(parseRfc3339("2000-02-29T00:00:00Z").isOk());
  CHECK_FALSE(parseRfc3339("2026-02-29T00:00:00Z").isOk());
  CHECK_FALSE(parseRfc3339("2100-02-29T00:00:00Z").isOk());
  CHECK_FALSE(parseRfc3339("2028-02-30T00:00:00Z").isOk());
  CHECK_FALSE(parseRfc3339("2026-04-31T00:00:00Z").isOk());
}

TEST_CASE("formatRfc3339 and parseRfc3339 round trip", "[time_format]") {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, kNewYear2026Millis, kNewYear2026Millis + 999,
                     int64_t{1'835'440'496'789}, int64_t{4'102'444'800'001}}) {
    std::string text = formatRfc3339(fromUnixMillis(ms));
    INFO(text);
    CHECK(parsedMillis(text) == ms);
    CHECK(formatRfc3339(fromUnixMillis(parsedMillis(text))) == text);
  }
}

TEST_CASE("parseRfc3339 refuses garbage", "[time_format]") {
  for (const char* text : {"", "yesterday", "2026", "2026-01-01", "2026-01-01 00:00:00Z",
                           "T00:00:00Z", "1767225600123"}) {
    INFO("'" << text << "'");
    Result<WallTime> r = parseRfc3339(text);
    CHECK_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("parseRfc3339 refuses a timestamp without a zone", "[time_format]") {
  for (const char* text : {"2026-01-01T00:00:00", "2026-01-01T00:00:00.123"}) {
    INFO("'" << text << "'");
    Result<WallTime> r = parseRfc3339(text);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("zone"));
  }
}

TEST_CASE("parseRfc3339 refuses trailing junk", "[time_format]") {
  for (const char* text : {"2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00.123Z ",
                           "2026-01-01T00:00:00+02:00x", "2026-01-01T00:00:00+02:000"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(parseRfc3339(text).isOk());
  }
}

TEST_CASE("parseRfc3339 refuses a malformed offset", "[time_format]") {
  for (const char* text :
       {"2026-01-01T00:00:00+02", "2026-01-01T00:00:00+0200", "2026-01-01T00:00:00+2:00",
        "2026-01-01T00:00:00+2:005", "2026-01-01T00:00:00+-1:00", "2026-01-01T00:00:00+02:0",
        "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+02:60"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(parseRfc3339(text).isOk());
  }
}

TEST_CASE("parseRfc3339 refuses fields that are not two or four digits", "[time_format]") {
  for (const char* text : {" 2026-01-01T00:00:00Z", "+2026-01-01T00:00:00Z", "2026-1-01T00:00:00Z",
                           "2026-01-1T00:00:00Z", "2026-01-01T0:00:00Z", "2026-01-01T00:-1:00Z",
                           "2026-01-01T00:00:00.Z"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(parseRfc3339(text).isOk());
  }
}

TEST_CASE("parseRfc3339 refuses fields out of range", "[time_format]") {
  for (const char* text : {"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-32T00:00:00Z",
                           "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                           "2026-01-01T00:00:61Z"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(parseRfc3339(text).isOk());
  }
}

}  // namespace corral
