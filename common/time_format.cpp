#include "common/time_format.h"

#include <cstdio>
#include <ctime>

namespace corral {

std::string formatRfc3339(WallTime t) {
  int64_t ms = toUnixMillis(t);
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  auto millis = static_cast<int>(ms - secs * 1000);
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

Result<WallTime> parseRfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return invalidArgument("expected an RFC 3339 timestamp, got '" + text + "'");
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  size_t pos = static_cast<size_t>(consumed);
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int hh = 0;
    int mm = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &hh, &mm) != 2) {
      return invalidArgument("expected an RFC 3339 timestamp, got '" + text + "'");
    }
    offset_s = (hh * 3600 + mm * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return invalidArgument("expected an RFC 3339 timestamp with a zone, got '" + text + "'");
  }
  if (pos != text.size()) {
    return invalidArgument("expected an RFC 3339 timestamp, got '" + text + "'");
  }
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return fromUnixMillis(secs * 1000 + millis);
}

}  // namespace corral
