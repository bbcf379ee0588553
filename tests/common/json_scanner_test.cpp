// JsonScanner: accepts exactly what nlohmann's parser accepts, reads strings and numbers as it
// does, skips any value however nested, and names the byte and the reason of an error.

#include "common/json_scanner.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace corral {

namespace {

// Whether the scanner takes `text` as one JSON value, skipping it whole.
bool scannerAccepts(std::string_view text) {
  JsonScanner scanner(text);
  return scanner.skipByteOrderMark() && scanner.skipValue() && scanner.expectEnd();
}

// The scalar `text` read by the scanner.
Json scalar(std::string_view text) {
  JsonScanner scanner(text);
  Json out;
  REQUIRE(scanner.readScalar(out));
  REQUIRE(scanner.expectEnd());
  return out;
}

const std::vector<std::string> kValid = {
    R"({})",
    R"([])",
    R"( { "a" : [ 1 , -2.5e3 , true , false , null , "x" ] } )",
    R"({"a":{"b":{"c":[[],[{}],[[[]]]]}},"d":"]}{[\"\\"})",
    R"(["\u00e9\u4e2d\ud83d\ude00", "é中😀", "\/\b\f\n\r\t\"\\", "\u0000"])",
    R"([0, -0, 1.0, 1e5, 1E+5, 1e-5, 0.5, -0.0, 18446744073709551615, 18446744073709551616])",
    R"([-9223372036854775808, -9223372036854775809, 123456789012345678901234567890])",
    "\xEF\xBB\xBF{\"bom\":1}",
    R"("just a string")",
    R"(42)",
    "\t\r\n[1]\n",
    std::string("{\"a\":1} \0 trailing", 18),  // nlohmann stops at a NUL byte
};

const std::vector<std::string> kInvalid = {
    "",
    " ",
    "{",
    "}",
    "[1,]",
    "[,1]",
    R"({"a":1,})",
    R"({"a" 1})",
    R"({a:1})",
    R"({"a":1 "b":2})",
    R"(["a" "b"])",
    R"({"a":[1,2})",
    R"({"a":{"b":1])",
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[-]",
    "[+1]",
    "[1e400]",
    "[-1e400]",
    "[tru]",
    "[nul]",
    "[True]",
    "[truex]",
    R"(["\x"])",
    R"(["\u12"])",
    R"(["\u12G4"])",
    R"(["\ud800"])",
    R"(["\ud800\u0041"])",
    R"(["\udc00"])",
    "[\"tab\there\"]",
    "[\"new\nline\"]",
    "[\"\xC0\xAF\"]",          // an overlong '/'
    "[\"\xED\xA0\x80\"]",      // a UTF-8 encoded surrogate
    "[\"\xF4\x90\x80\x80\"]",  // above U+10FFFF
    "[\"\xE4\xB8\"]",          // a truncated sequence
    "[\"\x80\"]",              // a lone continuation byte
    "\xEF\xBB{}",              // a broken byte order mark
    " \xEF\xBB\xBF{}",         // a byte order mark after whitespace
    R"({"a":1} x)",
    R"({"a":1}{})",
    R"("unterminated)",
    "[1,2",
    "/* comment */ 1",
    std::string("\0{}", 3),
    std::string("{\"a\":\0}", 7),
};

}  // namespace

TEST_CASE("the scanner accepts what nlohmann accepts and refuses what it refuses", "[json]") {
  for (const std::string& text : kValid) {
    INFO(text);
    CHECK(Json::accept(text));
    CHECK(scannerAccepts(text));
  }
  for (const std::string& text : kInvalid) {
    INFO(text);
    CHECK_FALSE(Json::accept(text));
    CHECK_FALSE(scannerAccepts(text));
  }
}

TEST_CASE("every truncation of a document is refused, as nlohmann refuses it", "[json]") {
  std::string text = R"({"metadata":{"name":"a\"b","labels":{"app":"web"}},
    "spec":{"containers":[{"name":"c","args":["--x",null,true,1.5e-3,-3]}],"u":"\u00e9😀"}})";
  for (size_t length = 0; length < text.size(); ++length) {
    std::string_view prefix(text.data(), length);
    INFO(length);
    CHECK(scannerAccepts(prefix) == Json::accept(prefix));
  }
  CHECK(scannerAccepts(text));
}

TEST_CASE("scalars read as nlohmann types and decodes them", "[json]") {
  for (const char* text : {R"("plain")",
                           R"("a\"b\\c\/d\b\f\n\r\t")",
                           R"("\u00e9\u4e2d\ud83d\ude00")",
                           "\"é中😀\"",
                           R"("\u0000x")",
                           "0",
                           "-0",
                           "7",
                           "-7",
                           "18446744073709551615",
                           "18446744073709551616",
                           "-9223372036854775808",
                           "-9223372036854775809",
                           "1.5",
                           "-2.5e-3",
                           "1E2",
                           "1e-400",
                           "true",
                           "false",
                           "null"}) {
    INFO(text);
    Json expected = Json::parse(text);
    Json got = scalar(text);
    CHECK(got == expected);
    CHECK(got.type() == expected.type());
  }
  CHECK(scalar(R"("\ud83d\ude00")").get<std::string>() == "\xF0\x9F\x98\x80");
  CHECK(scalar(R"("\u0000x")").get<std::string>() == std::string("\0x", 2));
}

TEST_CASE("skipping a value leaves the cursor on what follows it", "[json]") {
  std::string text = R"({"skip":{"a":["]",{"b":"}\"{"}],"c":[[[]]]},"keep":"yes"})";
  JsonScanner scanner(text);
  REQUIRE(scanner.consume('{'));
  std::string scratch;
  std::string_view name;
  REQUIRE(scanner.readKey(name, scratch));
  CHECK(name == "skip");
  REQUIRE(scanner.skipValue());
  REQUIRE(scanner.consume(','));
  REQUIRE(scanner.readKey(name, scratch));
  CHECK(name == "keep");
  std::string value;
  REQUIRE(scanner.readString(value));
  CHECK(value == "yes");
  CHECK(scanner.consume('}'));
  CHECK(scanner.expectEnd());
}

TEST_CASE("a member name with escapes is decoded into the scratch string", "[json]") {
  JsonScanner scanner(R"({"a\"b\u00e9":1})");
  REQUIRE(scanner.consume('{'));
  std::string scratch;
  std::string_view name;
  REQUIRE(scanner.readKey(name, scratch));
  CHECK(name == "a\"b\xC3\xA9");
  CHECK(name.data() == scratch.data());
}

TEST_CASE("skipping nests without limit and without recursion", "[json]") {
  const size_t depth = 200000;
  std::string deep = std::string(depth, '[') + std::string(depth, ']');
  CHECK(scannerAccepts(deep));
  std::string objects;
  for (size_t i = 0; i < depth; ++i) {
    objects += R"({"k":)";
  }
  objects += "1" + std::string(depth, '}');
  CHECK(scannerAccepts(objects));
  CHECK_FALSE(scannerAccepts(std::string(depth, '[')));
}

TEST_CASE("an error names its byte offset and what is wrong", "[json]") {
  struct Case {
    const char* text;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"a":[1,2}})", "at byte 9: expected ',' or ']'"},
           {R"({"a":"b\q"})", "at byte 8: an invalid escape in a string"},
           {R"({"a" 1})", "at byte 5: expected ':' after a member name"},
           {R"({"a":1)", "at byte 6: the text ends before the JSON value does"},
           {R"({"a":"b)", "at byte 7: the text ends inside a string"},
           {"[\"\xFF\"]", "at byte 2: invalid UTF-8 in a string"},
           {"[1e999]", "at byte 1: a number too large for a double"},
           {R"({"a":1} x)", "at byte 8: unexpected text after the JSON value"},
       }) {
    INFO(c.text);
    JsonScanner scanner(c.text);
    bool ok = scanner.skipValue() && scanner.expectEnd();
    CHECK_FALSE(ok);
    CHECK(scanner.error() == c.error);
  }
}

}  // namespace corral
