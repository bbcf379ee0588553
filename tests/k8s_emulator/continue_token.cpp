#include "tests/k8s_emulator/continue_token.h"

#include <array>
#include <string_view>

#include "tests/k8s_emulator/object_util.h"

namespace corral::testing::k8s {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64UrlEncode(const std::string& data) {
  std::string out;
  size_t i = 0;
  while (i + 2 < data.size()) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) {
      out += kAlphabet[(n >> shift) & 63];
    }
    i += 3;
  }
  size_t left = data.size() - i;
  if (left > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<uint8_t>(data[i]) << 16);
    if (left == 2) {
      n |= static_cast<uint32_t>(static_cast<uint8_t>(data[i + 1]) << 8);
    }
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (left == 2) {
      out += kAlphabet[(n >> 6) & 63];
    }
  }
  return out;
}

std::optional<std::string> base64UrlDecode(const std::string& text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    value[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int>(i);
  }
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') {
      break;
    }
    int v = value[static_cast<uint8_t>(c)];
    if (v < 0) {
      return std::nullopt;
    }
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::string encodeContinue(const ContinuePosition& position) {
  Object token = Object::object();
  token["v"] = "meta.k8s.io/v1";
  token["rv"] = position.resource_version;
  token["start"] = position.start_key;
  return base64UrlEncode(token.dump());
}

std::optional<ContinuePosition> decodeContinue(const std::string& token) {
  auto text = base64UrlDecode(token);
  if (!text) {
    return std::nullopt;
  }
  Object parsed = Object::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || parsed.value("v", "") != "meta.k8s.io/v1" || !parsed.contains("rv") ||
      !parsed["rv"].is_number_integer() || !parsed.contains("start") ||
      !parsed["start"].is_string()) {
    return std::nullopt;
  }
  ContinuePosition position;
  position.resource_version = parsed["rv"].get<int64_t>();
  position.start_key = parsed["start"].get<std::string>();
  return position;
}

}  // namespace corral::testing::k8s
