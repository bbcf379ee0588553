// The C++ side of the wire contract: the examples in proto-json/examples must mean to decode<T>()
// what they mean to the JSON Schemas (validate_examples.py checks the schema side).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.h"
#include "proto-json/messages.h"

namespace corral::proto {
namespace {

namespace fs = std::filesystem;

const fs::path kProtoDir = CORRAL_PROTO_DIR;

Json readJsonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  Result<Json> parsed = parseJson(text.str());
  INFO(path.string() << ": " << parsed.status().toString());
  REQUIRE(parsed.isOk());
  return *parsed;
}

// Decodes `j` as T and encodes the value again, so that every message type has the same shape.
template <typename T>
Result<Json> decodeThenEncode(const Json& j) {
  Result<T> value = decode<T>(j);
  if (!value.isOk()) {
    return value.status();
  }
  return Json(*value);
}

using Codec = Result<Json> (*)(const Json&);

// One entry per message: the example folder (and schema file) name and its C++ type.
const std::map<std::string, Codec>& codecs() {
  static const std::map<std::string, Codec> kCodecs = {
      {"error", &decodeThenEncode<ErrorBody>},
      {"register_request", &decodeThenEncode<RegisterRequest>},
      {"register_response", &decodeThenEncode<RegisterResponse>},
      {"heartbeat_request", &decodeThenEncode<HeartbeatRequest>},
      {"heartbeat_response", &decodeThenEncode<HeartbeatResponse>},
      {"command", &decodeThenEncode<Command>},
      {"poll_response", &decodeThenEncode<PollResponse>},
      {"progress_request", &decodeThenEncode<ProgressRequest>},
      {"progress_response", &decodeThenEncode<ProgressResponse>},
      {"result_request", &decodeThenEncode<ResultRequest>},
      {"snapshot_envelope", &decodeThenEncode<SnapshotEnvelope>},
  };
  return kCodecs;
}

struct Example {
  std::string message;  // folder name, e.g. "poll_response"
  fs::path path;
  Codec codec;
};

// The examples of every message whose file name starts with `prefix`, in a stable order.
std::vector<Example> examples(const std::string& prefix) {
  std::vector<Example> found;
  for (const auto& [message, codec] : codecs()) {
    fs::path folder = kProtoDir / "examples" / message;
    if (!fs::is_directory(folder)) {
      continue;
    }
    for (const auto& entry : fs::directory_iterator(folder)) {
      std::string name = entry.path().filename().string();
      if (entry.path().extension() == ".json" && name.rfind(prefix, 0) == 0) {
        found.push_back({message, entry.path(), codec});
      }
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Example& a, const Example& b) { return a.path < b.path; });
  return found;
}

// "field 'commands[0].fence': expected ..." -> "commands[0].fence"; empty when there is none.
std::string refusedField(const std::string& message) {
  const std::string marker = "field '";
  auto start = message.find(marker);
  if (start == std::string::npos) {
    return "";
  }
  start += marker.size();
  auto end = message.find('\'', start);
  return end == std::string::npos ? "" : message.substr(start, end - start);
}

// "commands[0].fence" -> "fence", spelled as in example file names ("slots_total" ->
// "slots-total").
std::string leafFieldForFileName(const std::string& field) {
  std::string leaf = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
  leaf = leaf.substr(0, leaf.find('['));
  std::replace(leaf.begin(), leaf.end(), '_', '-');
  return leaf;
}

TEST_CASE("every message has a schema, valid examples and invalid examples", "[proto]") {
  for (const auto& [message, codec] : codecs()) {
    INFO(message);
    CHECK(fs::exists(kProtoDir / "schemas" / (message + ".schema.json")));
    CHECK(fs::is_directory(kProtoDir / "examples" / message));
  }
  std::map<std::string, int> valid;
  std::map<std::string, int> invalid;
  for (const Example& e : examples("valid")) {
    ++valid[e.message];
  }
  for (const Example& e : examples("invalid-")) {
    ++invalid[e.message];
  }
  for (const auto& [message, codec] : codecs()) {
    INFO(message);
    CHECK(valid[message] >= 1);
    CHECK(invalid[message] >= 1);
  }
}

TEST_CASE("every example folder belongs to a message the C++ types know", "[proto]") {
  for (const auto& entry : fs::directory_iterator(kProtoDir / "examples")) {
    INFO(entry.path().string());
    CHECK(codecs().count(entry.path().filename().string()) == 1);
  }
}

TEST_CASE("every valid example round-trips through the C++ types", "[proto]") {
  for (const Example& e : examples("valid")) {
    INFO(e.path.string());
    Result<Json> first = e.codec(readJsonFile(e.path));
    INFO(first.status().toString());
    REQUIRE(first.isOk());
    Result<Json> second = e.codec(*first);
    INFO(second.status().toString());
    REQUIRE(second.isOk());
    CHECK(*second == *first);
  }
}

TEST_CASE("decoding keeps every field a valid example sets", "[proto]") {
  // Fields the type does not know (from a newer minor) and empty optional fields may be left out
  // when encoding; anything that is encoded must carry the example's value.
  for (const Example& e : examples("valid")) {
    INFO(e.path.string());
    Json original = readJsonFile(e.path);
    Result<Json> encoded = e.codec(original);
    REQUIRE(encoded.isOk());
    for (const auto& [key, value] : original.items()) {
      INFO(key);
      if (encoded->contains(key)) {
        CHECK((*encoded)[key] == value);
      }
    }
  }
}

TEST_CASE("every invalid example is refused with kInvalidArgument naming the field", "[proto]") {
  for (const Example& e : examples("invalid-")) {
    INFO(e.path.string());
    Result<Json> decoded = e.codec(readJsonFile(e.path));
    REQUIRE_FALSE(decoded.isOk());
    INFO(decoded.status().toString());
    CHECK(decoded.status().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(decoded.status().message(), Catch::Contains("field '"));
    // The file name says which rule the example breaks; refusing it for another field would
    // mean the example no longer tests that rule.
    std::string leaf = leafFieldForFileName(refusedField(decoded.status().message()));
    CHECK_FALSE(leaf.empty());
    CHECK_THAT(e.path.stem().string(), Catch::Contains(leaf));
  }
}

TEST_CASE("protocolMajor reads the major number of major.minor", "[proto]") {
  CHECK(protocolMajor("1.0").value() == 1);
  CHECK(protocolMajor("2.3").value() == 2);
  CHECK(protocolMajor("10.12").value() == 10);
  CHECK(protocolMajor(kProtocolVersion).value() == kProtocolMajor);
}

TEST_CASE("protocolMajor refuses versions that are not major.minor, naming the field", "[proto]") {
  for (const char* version : {"x", "", "1.", "1.x", ".1", "-1.0", "v1.0", "1.0.1", "12345.0"}) {
    INFO("'" << version << "'");
    Result<int> major = protocolMajor(version);
    REQUIRE_FALSE(major.isOk());
    CHECK(major.status().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(major.status().message(), Catch::Contains("field 'protocol_version'"));
  }
}

TEST_CASE("a poll response whose command lacks fence names commands[0].fence", "[proto]") {
  Json j = {{"commands",
             {{{"id", "cmd_1"},
               {"action", "scale"},
               {"attempt", 1},
               {"timeout_s", 300},
               {"created_at", "2026-03-14T09:26:53Z"}}}}};
  Result<PollResponse> decoded = decode<PollResponse>(j);
  REQUIRE_FALSE(decoded.isOk());
  CHECK(decoded.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(decoded.status().message(), Catch::Contains("field 'commands[0].fence'"));
}

TEST_CASE("a heartbeat using more slots than it has is refused, a rule the schema cannot express",
          "[proto]") {
  Result<HeartbeatRequest> over = decode<HeartbeatRequest>({{"slots_total", 2}, {"slots_used", 3}});
  REQUIRE_FALSE(over.isOk());
  CHECK(over.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(over.status().message(), Catch::Contains("field 'slots_used'"));

  // slots_total defaults to 3 when absent.
  CHECK(decode<HeartbeatRequest>({{"slots_used", 3}}).isOk());
  CHECK_FALSE(decode<HeartbeatRequest>({{"slots_used", 4}}).isOk());
}

TEST_CASE("null in an optional field decodes as if the field were absent", "[proto]") {
  // The schemas allow null in optional fields for this reason.
  Json j = {{"name", "build-03"},  {"type", "host"},           {"protocol_version", "1.0"},
            {"labels", nullptr},   {"capabilities", nullptr},  {"slots", nullptr},
            {"hostname", nullptr}, {"previous_token", nullptr}};
  Result<RegisterRequest> decoded = decode<RegisterRequest>(j);
  REQUIRE(decoded.isOk());
  CHECK(decoded->slots == 3);
  CHECK(decoded->labels.empty());
  CHECK(decoded->capabilities == Json::object());

  Json required_null = {{"name", nullptr}, {"type", "host"}, {"protocol_version", "1.0"}};
  Result<RegisterRequest> refused = decode<RegisterRequest>(required_null);
  REQUIRE_FALSE(refused.isOk());
  CHECK_THAT(refused.status().message(), Catch::Contains("field 'name'"));
}

TEST_CASE("integers written with a fraction are refused, unlike in JSON Schema", "[proto]") {
  // JSON Schema counts 1.0 as an integer; the decoder goes by the spelling, as README.md says.
  Result<Json> parsed = parseJson(R"({"fence": 1.0, "success": true})");
  REQUIRE(parsed.isOk());
  Result<ResultRequest> decoded = decode<ResultRequest>(*parsed);
  REQUIRE_FALSE(decoded.isOk());
  CHECK_THAT(decoded.status().message(), Catch::Contains("field 'fence'"));
}

TEST_CASE("labels are limited to 64 entries, keys of 1 to 63 bytes and values of 256 bytes",
          "[proto]") {
  auto withLabels = [](Json labels) {
    return decode<RegisterRequest>(
        {{"name", "a"}, {"type", "host"}, {"protocol_version", "1.0"}, {"labels", labels}});
  };
  Json most = Json::object();
  for (int i = 0; i < 64; ++i) {
    most["k" + std::to_string(i)] = "v";
  }
  CHECK(withLabels(most).isOk());
  Json too_many = most;
  too_many["k64"] = "v";
  CHECK_FALSE(withLabels(too_many).isOk());

  CHECK(withLabels({{std::string(63, 'k'), std::string(256, 'v')}}).isOk());
  CHECK_FALSE(withLabels({{std::string(64, 'k'), "v"}}).isOk());
  CHECK_FALSE(withLabels({{"", "v"}}).isOk());
  CHECK_FALSE(withLabels({{"k", std::string(257, 'v')}}).isOk());
  // Limits are in bytes: 32 two-byte characters are 64 bytes, one too many for a key.
  std::string two_byte_key;
  for (int i = 0; i < 32; ++i) {
    two_byte_key += "\xC3\xA9";
  }
  Result<RegisterRequest> refused = withLabels({{two_byte_key, "v"}});
  REQUIRE_FALSE(refused.isOk());
  CHECK_THAT(refused.status().message(), Catch::Contains("field 'labels'"));
}

}  // namespace
}  // namespace corral::proto
