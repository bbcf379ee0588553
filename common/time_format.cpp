#include "common/time_format.h"

#include <cstdio>
#include <ctime>
#include <string>

namespace corral {

std::string formatRfc3339(WallTime t) {
  int64_t ms = toUnixMillis(t);
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  auto millis = static_cast<int>(ms - secs * 1000);
  auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

namespace {

// Reads exactly `n` decimal digits at `pos` into `out`; false if any of them is missing or not a
// digit. (sscanf's %d would also take a sign, leading blanks or fewer digits.)
bool readDigits(const std::string& text, size_t pos, size_t n, int& out) {
  if (pos + n > text.size()) {
    return false;
  }
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool charAt(const std::string& text, size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

Result<WallTime> parseRfc3339(const std::string& text) {
  auto refuse = [&] {
    return invalidArgument("expected an RFC 3339 timestamp, got '" + text + "'");
  };
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!readDigits(text, 0, 4, year) || !charAt(text, 4, '-') || !readDigits(text, 5, 2, month) ||
      !charAt(text, 7, '-') || !readDigits(text, 8, 2, day) || !charAt(text, 10, 'T') ||
      !readDigits(text, 11, 2, hour) || !charAt(text, 13, ':') ||
      !readDigits(text, 14, 2, minute) || !charAt(text, 16, ':') ||
      !readDigits(text, 17, 2, second)) {
    return refuse();
  }
  // timegm() would quietly carry an out-of-range field into the next one. 60 is a leap second.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return refuse();
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  size_t pos = 19;
  int64_t millis = 0;
  if (charAt(text, pos, '.')) {
    ++pos;
    size_t first_digit = pos;
    int64_t scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first_digit) {
      return refuse();
    }
  }
  int64_t offset_s = 0;
  if (charAt(text, pos, 'Z') || charAt(text, pos, 'z')) {
    ++pos;
  } else if (charAt(text, pos, '+') || charAt(text, pos, '-')) {
    int hh = 0;
    int mm = 0;
    if (!readDigits(text, pos + 1, 2, hh) || !charAt(text, pos + 3, ':') ||
        !readDigits(text, pos + 4, 2, mm) || hh > 23 || mm > 59) {
      return refuse();
    }
    offset_s = int64_t{hh * 3600 + mm * 60} * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return invalidArgument("expected an RFC 3339 timestamp with a zone, got '" + text + "'");
  }
  if (pos != text.size()) {
    return refuse();
  }
  int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return fromUnixMillis(secs * 1000 + millis);
}

}  // namespace corral
