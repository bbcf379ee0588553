#include "master/inventory/continue_token.h"

#include <array>
#include <charconv>

#include "common/json.h"

namespace corral::master {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// A token longer than this was not made here: the longest key is a 253-character name, a
// 63-character namespace and a uid.
constexpr size_t kMaxTokenLength = 4096;

std::string base64url(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  uint32_t bits = 0;
  int count = 0;
  for (char c : data) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3F]);
    }
  }
  if (count > 0) {
    out.push_back(kAlphabet[(bits << (6 - count)) & 0x3F]);
  }
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  static const std::array<int, 256> kValue = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    for (size_t i = 0; i < kAlphabet.size(); ++i) {
      t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    return t;
  }();
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = kValue[static_cast<unsigned char>(c)];
    if (v < 0) {
      return std::nullopt;
    }
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

std::string hex64(uint64_t v) {
  char buf[17];
  auto [end, error] = std::to_chars(buf, buf + 16, v, 16);
  return {buf, end};
}

}  // namespace

std::string encodeContinueToken(const ContinueToken& t) {
  Json key = Json::array();
  key.push_back(t.after.numeric ? Json(t.after.number) : Json(t.after.text));
  key.push_back(t.after.ns);
  key.push_back(t.after.name);
  key.push_back(t.after.uid);
  Json j = {{"f", hex64(t.fingerprint)}, {"v", t.version}, {"k", std::move(key)}};
  return base64url(j.dump());
}

std::optional<ContinueToken> decodeContinueToken(std::string_view text) {
  if (text.empty() || text.size() > kMaxTokenLength) {
    return std::nullopt;
  }
  auto bytes = unbase64url(text);
  if (!bytes) {
    return std::nullopt;
  }
  Json j = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("f") || !j["f"].is_string() || !j.contains("v") ||
      !j["v"].is_number_integer() || !j.contains("k") || !j["k"].is_array() || j["k"].size() != 4) {
    return std::nullopt;
  }
  const Json& k = j["k"];
  if (!(k[0].is_string() || k[0].is_number_integer()) || !k[1].is_string() || !k[2].is_string() ||
      !k[3].is_string()) {
    return std::nullopt;
  }
  ContinueToken t;
  const auto& f = j["f"].get_ref<const std::string&>();
  auto [end, error] = std::from_chars(f.data(), f.data() + f.size(), t.fingerprint, 16);
  if (error != std::errc() || end != f.data() + f.size()) {
    return std::nullopt;
  }
  t.version = j["v"].get<int64_t>();
  t.after.numeric = k[0].is_number_integer();
  if (t.after.numeric) {
    t.after.number = k[0].get<int64_t>();
  } else {
    t.after.text = k[0].get<std::string>();
  }
  t.after.ns = k[1].get<std::string>();
  t.after.name = k[2].get<std::string>();
  t.after.uid = k[3].get<std::string>();
  return t;
}

}  // namespace corral::master
