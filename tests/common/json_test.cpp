#include "common/json.h"

#include <catch2/catch.hpp>
#include <string>

namespace corral {

TEST_CASE("parseJson reads a well-formed document", "[json]") {
  Result<Json> r = parseJson(R"({"name": "agent-1", "slots": 4, "tags": ["a", "b"]})");
  REQUIRE(r.isOk());
  CHECK((*r)["name"] == "agent-1");
  CHECK((*r)["slots"] == 4);
  CHECK((*r)["tags"].size() == 2);
}

TEST_CASE("parseJson of malformed text is a bad request mentioning malformed JSON", "[json]") {
  for (const char* text : {"", "{", "{\"a\": }", "[1, 2", "nul", "{\"a\": 1} trailing"}) {
    INFO("'" << text << "'");
    Result<Json> r = parseJson(text);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kBadRequest);
    CHECK_THAT(r.status().message(), Catch::Contains("malformed JSON"));
  }
}

TEST_CASE("parseJson passes on the parser's explanation of the error", "[json]") {
  Result<Json> r = parseJson("{\"a\": 1,,}");
  REQUIRE_FALSE(r.isOk());
  CHECK_THAT(r.status().message(), Catch::Contains("parse error"));
}

}  // namespace corral
