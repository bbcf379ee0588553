#include "agent/repository/converters/quantity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace corral::agent {

namespace {

// The value of a quantity in base units, or nullopt. Grammar (resource.Quantity):
// sign? digits ("." digits?)? | "." digits, followed by one suffix: binary (Ki Mi Gi Ti Pi Ei),
// decimal (n u m "" k M G T P E) or an exponent (e|E sign? digits).
std::optional<long double> parseQuantity(std::string_view text) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  long double value = 0;
  size_t digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    long double scale = 0.1L;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  std::string_view suffix = text.substr(pos);
  static const std::pair<std::string_view, long double> kSuffixes[] = {
      {"", 1.0L},      {"n", 1e-9L},    {"u", 1e-6L},    {"m", 1e-3L},
      {"k", 1e3L},     {"M", 1e6L},     {"G", 1e9L},     {"T", 1e12L},
      {"P", 1e15L},    {"E", 1e18L},    {"Ki", 1024.0L}, {"Mi", 1048576.0L},
      {"Gi", 0x1p30L}, {"Ti", 0x1p40L}, {"Pi", 0x1p50L}, {"Ei", 0x1p60L},
  };
  long double multiplier = -1;
  for (const auto& [name, factor] : kSuffixes) {
    if (suffix == name) {
      multiplier = factor;
      break;
    }
  }
  if (multiplier < 0) {
    if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) {
      return std::nullopt;
    }
    size_t e = 1;
    bool negative_exponent = false;
    if (suffix[e] == '+' || suffix[e] == '-') {
      negative_exponent = suffix[e] == '-';
      ++e;
    }
    if (e == suffix.size()) {
      return std::nullopt;
    }
    int exponent = 0;
    for (; e < suffix.size(); ++e) {
      if (suffix[e] < '0' || suffix[e] > '9') {
        return std::nullopt;
      }
      // Far beyond int64 either way; the cap keeps the power finite.
      exponent = std::min(exponent * 10 + (suffix[e] - '0'), 400);
    }
    multiplier = std::pow(10.0L, negative_exponent ? -exponent : exponent);
  }
  long double result = value * multiplier;
  return negative ? -result : result;
}

std::optional<int64_t> roundUp(std::optional<long double> value, long double unit) {
  if (!value || std::isnan(*value)) {
    return std::nullopt;
  }
  // Rounding to the nearest billionth first keeps "0.1" * 1000 from becoming 101.
  long double scaled = std::ceil(std::round(*value * unit * 1e9L) / 1e9L);
  constexpr auto kMax = static_cast<long double>(std::numeric_limits<int64_t>::max());
  if (scaled >= kMax) {
    return std::numeric_limits<int64_t>::max();
  }
  if (scaled <= -kMax) {
    return -std::numeric_limits<int64_t>::max();
  }
  return static_cast<int64_t>(scaled);
}

}  // namespace

std::optional<int64_t> parseCpuMillis(std::string_view quantity) {
  return roundUp(parseQuantity(quantity), 1000.0L);
}

std::optional<int64_t> parseBytes(std::string_view quantity) {
  return roundUp(parseQuantity(quantity), 1.0L);
}

}  // namespace corral::agent
