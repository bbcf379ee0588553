// The DOM-free JSON layer under the cluster index: the validator must agree with nlohmann on what
// is JSON, compaction must not change a value, and the cursor must read what the text says.

#include "master/inventory/json_text.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "common/json.h"
#include "tests/master/inventory/sample_snapshots.h"

namespace corral::master {
namespace {

bool valid(std::string_view text) {
  bool whitespace = false;
  return validateJson(text, whitespace).isOk();
}

TEST_CASE("the validator accepts what RFC 8259 allows", "[inventory][json]") {
  for (std::string_view text : {
           R"({})",
           R"([])",
           R"("")",
           R"(0)",
           R"(-0.5e+10)",
           R"(1E5)",
           R"(true)",
           R"(null)",
           R"({"a":[1,2,{"b":null}],"c":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"})",
           " \t\n{ \"a\" : [ 1 , 2 ] }\r\n",
           "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
       }) {
    INFO(text);
    CHECK(valid(text));
    CHECK(Json::accept(text));
  }
}

TEST_CASE("the validator refuses malformed JSON and says where", "[inventory][json]") {
  for (std::string_view text : {
           "",
           "{",
           "{\"a\"}",
           "{\"a\":1,}",
           "[1,]",
           "[1 2]",
           "01",
           "1.",
           "-",
           "1e",
           "tru",
           "nul",
           "'a'",
           "{a:1}",
           "\"abc",
           R"("\x")",
           R"("\u12")",
           R"("\ud800")",
           R"("\udc00")",
           R"("\ud800\u0041")",
           "\"\x01\"",
           "\"\xc3\"",
           "\"\xc0\xaf\"",
           "\"\xed\xa0\x80\"",
           "\"\xf5\x80\x80\x80\"",
           "{} {}",
           "[1]]",
           "{\"a\":1]",
           "[1}",
       }) {
    INFO(text);
    bool whitespace = false;
    Status status = validateJson(text, whitespace);
    CHECK(status.code() == ErrorCode::kBadRequest);
    CHECK(status.message().find("malformed JSON at byte") != std::string::npos);
    CHECK_FALSE(Json::accept(text));
  }
}

TEST_CASE("nesting deeper than the limit is refused, not recursed into", "[inventory][json]") {
  std::string deep(static_cast<size_t>(kMaxJsonDepth) + 1, '[');
  deep += std::string(static_cast<size_t>(kMaxJsonDepth) + 1, ']');
  bool whitespace = false;
  Status status = validateJson(deep, whitespace);
  CHECK(status.code() == ErrorCode::kBadRequest);
  CHECK(status.message().find("nested") != std::string::npos);
  std::string ok(static_cast<size_t>(kMaxJsonDepth), '[');
  ok += std::string(static_cast<size_t>(kMaxJsonDepth), ']');
  CHECK(valid(ok));
}

TEST_CASE("the validator agrees with nlohmann on mangled copies of a real snapshot",
          "[inventory][json]") {
  std::string original = testing::sampleSnapshotJson(0).substr(0, 20'000);
  // Cut where an object ends, so the unmangled text is valid.
  original = original.substr(0, original.rfind("},{") + 1) + "]}}";
  std::mt19937 random(7);
  const std::string bytes = "{}[]\",:\\ 0-.eEtfnu\x01\x7f\xc3\xa9\xed\xf0";
  int disagreements = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text = original;
    int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = random() % text.size();
      switch (random() % 3) {
        case 0:
          text[at] = bytes[random() % bytes.size()];
          break;
        case 1:
          text.erase(at, 1 + random() % 4);
          break;
        default:
          text.insert(at, 1, bytes[random() % bytes.size()]);
      }
    }
    if (valid(text) != Json::accept(text)) {
      ++disagreements;
      INFO(text.substr(0, 200));
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("compaction removes only the whitespace outside strings", "[inventory][json]") {
  std::string pretty = Json::parse(R"({"a": [1, 2, {"b c": " x \" y "}], "d": "\t"})").dump(2);
  bool whitespace = false;
  REQUIRE(validateJson(pretty, whitespace).isOk());
  CHECK(whitespace);
  std::string compact = pretty;
  compactJson(compact);
  CHECK(compact == Json::parse(pretty).dump());
  REQUIRE(validateJson(compact, whitespace).isOk());
  CHECK_FALSE(whitespace);
}

TEST_CASE("unescaping and escaping round-trip every kind of escape", "[inventory][json]") {
  std::string raw = R"(a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00\u0001)";
  std::string decoded = unescapeJson(raw);
  CHECK(decoded == Json::parse("\"" + raw + "\"").get<std::string>());
  std::string quoted;
  appendJsonString(quoted, decoded);
  CHECK(Json::parse(quoted).get<std::string>() == decoded);
}

TEST_CASE("the cursor walks members, arrays and values of compact JSON", "[inventory][json]") {
  std::string text =
      R"({"name":"w\"eb","n":-42,"f":3.9,"ok":true,"list":[1,{"x":[]},"s"],"o":{"k":"v"}})";
  JsonCursor c(text);
  REQUIRE(c.enterObject());
  std::string_view key;
  REQUIRE(c.nextMember(key));
  CHECK(key == "name");
  bool escaped = false;
  std::string_view raw = c.readRawString(escaped);
  CHECK(escaped);
  CHECK(unescapeJson(raw) == "w\"eb");
  REQUIRE(c.nextMember(key));
  CHECK(c.readInt() == -42);
  REQUIRE(c.nextMember(key));
  CHECK(c.readInt() == 3);
  REQUIRE(c.nextMember(key));
  CHECK(c.readBool());
  REQUIRE(c.nextMember(key));
  CHECK(key == "list");
  REQUIRE(c.enterArray());
  REQUIRE(c.nextElement());
  CHECK(c.readInt() == 1);
  REQUIRE(c.nextElement());
  CHECK(c.skipValue() == R"({"x":[]})");
  REQUIRE(c.nextElement());
  CHECK(c.readRawString(escaped) == "s");
  CHECK_FALSE(c.nextElement());
  REQUIRE(c.nextMember(key));
  CHECK(key == "o");
  CHECK(c.readRawString(escaped).empty());  // an object read as a string is skipped
  CHECK_FALSE(c.nextMember(key));
  CHECK(c.atEnd());
}

}  // namespace
}  // namespace corral::master
