#include "common/json_scanner.h"

#include "common/json_chars.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace corral {

namespace {

using json_chars::appendUtf8;
using json_chars::hexValue;
using json_chars::kPlainStringByte;
using json_chars::plainWord;

bool isWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
unsigned char byte(char c) { return static_cast<unsigned char>(c); }

}  // namespace

bool JsonScanner::fail(std::string_view what) {
  if (error_.empty()) {
    error_ = "at byte " + std::to_string(offset()) + ": ";
    error_.append(what);
  }
  return false;
}

void JsonScanner::skipWhitespace() {
  while (p_ != end_ && isWhitespace(*p_)) {
    ++p_;
  }
}

bool JsonScanner::skipByteOrderMark() {
  if (p_ == end_ || byte(*p_) != 0xEF) {
    return true;
  }
  if (end_ - p_ < 3 || byte(p_[1]) != 0xBB || byte(p_[2]) != 0xBF) {
    return fail("a broken UTF-8 byte order mark");
  }
  p_ += 3;
  return true;
}

char JsonScanner::peek() {
  skipWhitespace();
  return p_ == end_ ? '\0' : *p_;
}

bool JsonScanner::consume(char c) {
  skipWhitespace();
  if (p_ != end_ && *p_ == c) {
    ++p_;
    return true;
  }
  return false;
}

bool JsonScanner::expectEnd() {
  skipWhitespace();
  // nlohmann's lexer takes a NUL byte for the end of the input, whatever follows it.
  return p_ == end_ || *p_ == '\0' || fail("unexpected text after the JSON value");
}

bool JsonScanner::scanEscape(std::string* out) {
  ++p_;  // the backslash
  if (p_ == end_) {
    return fail("the text ends inside a string");
  }
  char c = *p_++;
  char plain = '\0';
  switch (c) {
    case '"':
    case '\\':
    case '/':
      plain = c;
      break;
    case 'b':
      plain = '\b';
      break;
    case 'f':
      plain = '\f';
      break;
    case 'n':
      plain = '\n';
      break;
    case 'r':
      plain = '\r';
      break;
    case 't':
      plain = '\t';
      break;
    case 'u':
      break;
    default:
      --p_;
      return fail("an invalid escape in a string");
  }
  if (c != 'u') {
    if (out != nullptr) {
      out->push_back(plain);
    }
    return true;
  }
  auto hex4 = [this]() -> int {
    if (end_ - p_ < 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = hexValue(byte(p_[i]));
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    p_ += 4;
    return value;
  };
  int unit = hex4();
  if (unit < 0) {
    return fail("expected four hex digits after \\u");
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    return fail("a low surrogate \\u escape without a high one before it");
  }
  auto code = static_cast<uint32_t>(unit);
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
      return fail("a high surrogate \\u escape without a low one after it");
    }
    p_ += 2;
    int low = hex4();
    if (low < 0xDC00 || low > 0xDFFF) {
      return fail("a high surrogate \\u escape without a low one after it");
    }
    code = 0x10000 + ((code - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
  }
  if (out != nullptr) {
    appendUtf8(*out, code);
  }
  return true;
}

// One UTF-8 sequence of two to four bytes as RFC 3629 allows them: no overlong forms, no
// surrogates, nothing above U+10FFFF.
bool JsonScanner::scanUtf8(std::string* out) {
  unsigned char c = byte(*p_);
  int more = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    more = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    more = 2;
    low = c == 0xE0 ? 0xA0 : 0x80;
    high = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    more = 3;
    low = c == 0xF0 ? 0x90 : 0x80;
    high = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return fail("invalid UTF-8 in a string");
  }
  if (end_ - p_ <= more || byte(p_[1]) < low || byte(p_[1]) > high) {
    return fail("invalid UTF-8 in a string");
  }
  for (int i = 2; i <= more; ++i) {
    if ((byte(p_[i]) & 0xC0) != 0x80) {
      return fail("invalid UTF-8 in a string");
    }
  }
  if (out != nullptr) {
    out->append(p_, static_cast<size_t>(more) + 1);
  }
  p_ += more + 1;
  return true;
}

bool JsonScanner::scanString(std::string* out, bool& escaped) {
  ++p_;  // the opening quote
  while (true) {
    const char* run = p_;
    while (end_ - p_ >= 8 && plainWord(p_)) {
      p_ += 8;
    }
    while (p_ != end_ && kPlainStringByte[byte(*p_)]) {
      ++p_;
    }
    if (out != nullptr) {
      out->append(run, static_cast<size_t>(p_ - run));
    }
    if (p_ == end_) {
      return fail("the text ends inside a string");
    }
    char c = *p_;
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      if (!scanEscape(out)) {
        return false;
      }
    } else if (byte(c) < 0x20) {
      return fail("a control character in a string must be escaped");
    } else if (!scanUtf8(out)) {
      return false;
    }
  }
}

bool JsonScanner::scanNumber(std::string_view& text, bool& is_float) {
  const char* start = p_;
  auto digits = [this] {
    if (p_ == end_ || !isDigit(*p_)) {
      return fail("expected a digit");
    }
    while (p_ != end_ && isDigit(*p_)) {
      ++p_;
    }
    return true;
  };
  if (*p_ == '-') {
    ++p_;
  }
  if (p_ != end_ && *p_ == '0') {
    ++p_;
  } else if (!digits()) {
    return false;
  }
  is_float = false;
  if (p_ != end_ && *p_ == '.') {
    ++p_;
    is_float = true;
    if (!digits()) {
      return false;
    }
  }
  if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    is_float = true;
    if (p_ != end_ && (*p_ == '+' || *p_ == '-')) {
      ++p_;
    }
    if (!digits()) {
      return false;
    }
  }
  text = std::string_view(start, static_cast<size_t>(p_ - start));
  return true;
}

bool JsonScanner::scanLiteral(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return fail("expected a JSON value");
  }
  p_ += word.size();
  return true;
}

bool JsonScanner::readKey(std::string_view& name, std::string& scratch) {
  skipWhitespace();
  if (p_ == end_ || *p_ != '"') {
    return fail("expected a member name in double quotes");
  }
  const char* start = p_ + 1;
  bool escaped = false;
  if (!scanString(nullptr, escaped)) {
    return false;
  }
  if (!escaped) {
    name = std::string_view(start, static_cast<size_t>(p_ - 1 - start));
  } else {
    // Rare: read it again, decoding.
    const char* end = p_;
    p_ = start - 1;
    scratch.clear();
    if (!scanString(&scratch, escaped)) {
      return false;
    }
    p_ = end;
    name = scratch;
  }
  skipWhitespace();
  if (p_ == end_ || *p_ != ':') {
    return fail("expected ':' after a member name");
  }
  ++p_;
  return true;
}

bool JsonScanner::readString(std::string& out) {
  skipWhitespace();
  if (p_ == end_ || *p_ != '"') {
    return fail("expected a string");
  }
  bool escaped = false;
  return scanString(&out, escaped);
}

bool JsonScanner::readScalar(Json& out) {
  skipWhitespace();
  if (p_ == end_) {
    return fail("the text ends before the JSON value does");
  }
  char c = *p_;
  if (c == '"') {
    out = Json::string_t();
    bool escaped = false;
    return scanString(&out.get_ref<Json::string_t&>(), escaped);
  }
  if (c == '-' || isDigit(c)) {
    std::string_view text;
    bool is_float = false;
    if (!scanNumber(text, is_float)) {
      return false;
    }
    const char* first = text.data();
    const char* last = first + text.size();
    if (!is_float) {
      if (c == '-') {
        Json::number_integer_t value = 0;
        if (std::from_chars(first, last, value).ec == std::errc()) {
          out = value;
          return true;
        }
      } else {
        Json::number_unsigned_t value = 0;
        if (std::from_chars(first, last, value).ec == std::errc()) {
          out = value;
          return true;
        }
      }
      // Too large for an integer: a double, as nlohmann reads it.
    }
    // strtod, as nlohmann: an underflow reads as the nearest double, an overflow is refused.
    std::string copy(text);
    double value = std::strtod(copy.c_str(), nullptr);
    if (!std::isfinite(value)) {
      p_ = first;
      return fail("a number too large for a double");
    }
    out = value;
    return true;
  }
  if (c == 't') {
    out = true;
    return scanLiteral("true");
  }
  if (c == 'f') {
    out = false;
    return scanLiteral("false");
  }
  if (c == 'n') {
    out = nullptr;
    return scanLiteral("null");
  }
  return fail("expected a JSON value");
}

bool JsonScanner::skipKey() {
  skipWhitespace();
  if (p_ == end_ || *p_ != '"') {
    return fail("expected a member name in double quotes");
  }
  bool escaped = false;
  if (!scanString(nullptr, escaped)) {
    return false;
  }
  skipWhitespace();
  if (p_ == end_ || *p_ != ':') {
    return fail("expected ':' after a member name");
  }
  ++p_;
  return true;
}

bool JsonScanner::skipScalar() {
  char c = *p_;
  if (c == '"') {
    bool escaped = false;
    return scanString(nullptr, escaped);
  }
  if (c == '-' || isDigit(c)) {
    std::string_view text;
    bool is_float = false;
    if (!scanNumber(text, is_float)) {
      return false;
    }
    if (is_float || text.size() > 19) {
      // Only a double can overflow; it is an error, as in readScalar().
      std::string copy(text);
      if (!std::isfinite(std::strtod(copy.c_str(), nullptr))) {
        p_ = text.data();
        return fail("a number too large for a double");
      }
    }
    return true;
  }
  if (c == 't') {
    return scanLiteral("true");
  }
  if (c == 'f') {
    return scanLiteral("false");
  }
  if (c == 'n') {
    return scanLiteral("null");
  }
  return fail("expected a JSON value");
}

bool JsonScanner::skipValue() {
  open_.clear();
  while (true) {
    // A value.
    skipWhitespace();
    if (p_ == end_) {
      return fail("the text ends before the JSON value does");
    }
    char c = *p_;
    if (c == '{' || c == '[') {
      ++p_;
      if (!consume(c == '{' ? '}' : ']')) {
        open_.push_back(c);
        if (c == '{' && !skipKey()) {
          return false;
        }
        continue;
      }
    } else if (!skipScalar()) {
      return false;
    }
    // After a value: close what ends here, then on to the next value if there is one.
    while (true) {
      if (open_.empty()) {
        return true;
      }
      bool object = open_.back() == '{';
      if (consume(',')) {
        if (object && !skipKey()) {
          return false;
        }
        break;
      }
      if (!consume(object ? '}' : ']')) {
        return fail(p_ == end_ ? std::string_view("the text ends before the JSON value does")
                    : object   ? std::string_view("expected ',' or '}'")
                               : std::string_view("expected ',' or ']'"));
      }
      open_.pop_back();
    }
  }
}

}  // namespace corral
