#include "master/inventory/json_text.h"

#include "common/json_chars.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <vector>

namespace corral::master {
namespace {

using json_chars::appendUtf8;
using json_chars::hexValue;
using json_chars::kPlainStringByte;
using json_chars::plainWord;

bool isWhitespace(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The checks of validateJson(), one pass over the bytes with an explicit stack of open
// containers, so that deep nesting cannot exhaust the thread's stack.
class Validator {
 public:
  explicit Validator(std::string_view text)
      : begin_(reinterpret_cast<const unsigned char*>(text.data())),
        p_(begin_),
        end_(begin_ + text.size()) {}

  Status run(bool& has_whitespace) {
    // What may come next: a value; a value or ']' (just after '['); a member name or '}' (just
    // after '{'); a member name (after ','); or ',' / a closing bracket after a value.
    enum class Expect { kValue, kValueOrEnd, kKeyOrEnd, kKey, kAfterValue };
    Expect expect = Expect::kValue;
    std::vector<char> open;  // '{' or '[' for each container not yet closed
    while (true) {
      skipWhitespace();
      if (p_ == end_) {
        if (expect == Expect::kAfterValue && open.empty()) {
          break;
        }
        return fail("the text ends before the JSON value does");
      }
      unsigned char c = *p_;
      switch (expect) {
        case Expect::kKeyOrEnd:
        case Expect::kKey:
          if (c == '}' && expect == Expect::kKeyOrEnd) {
            open.pop_back();
            ++p_;
            expect = Expect::kAfterValue;
            continue;
          }
          if (c != '"') {
            return fail("expected a member name in double quotes");
          }
          CORRAL_RETURN_IF_ERROR(string());
          skipWhitespace();
          if (p_ == end_ || *p_ != ':') {
            return fail("expected ':' after a member name");
          }
          ++p_;
          expect = Expect::kValue;
          continue;
        case Expect::kAfterValue:
          if (open.empty()) {
            return fail("unexpected text after the JSON value");
          }
          if (c == ',') {
            ++p_;
            expect = open.back() == '{' ? Expect::kKey : Expect::kValue;
          } else if ((c == '}' && open.back() == '{') || (c == ']' && open.back() == '[')) {
            ++p_;
            open.pop_back();
          } else {
            return fail(open.back() == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
          }
          continue;
        case Expect::kValueOrEnd:
          if (c == ']') {
            open.pop_back();
            ++p_;
            expect = Expect::kAfterValue;
            continue;
          }
          [[fallthrough]];
        case Expect::kValue:
          break;
      }
      // A value.
      if (c == '{' || c == '[') {
        if (open.size() >= static_cast<size_t>(kMaxJsonDepth)) {
          return fail("nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
        }
        open.push_back(static_cast<char>(c));
        ++p_;
        expect = c == '{' ? Expect::kKeyOrEnd : Expect::kValueOrEnd;
        continue;
      }
      if (c == '"') {
        CORRAL_RETURN_IF_ERROR(string());
      } else if (c == '-' || isDigit(c)) {
        CORRAL_RETURN_IF_ERROR(number());
      } else if (c == 't') {
        CORRAL_RETURN_IF_ERROR(literal("true"));
      } else if (c == 'f') {
        CORRAL_RETURN_IF_ERROR(literal("false"));
      } else if (c == 'n') {
        CORRAL_RETURN_IF_ERROR(literal("null"));
      } else {
        return fail("expected a JSON value");
      }
      expect = Expect::kAfterValue;
    }
    has_whitespace = whitespace_;
    return Status::ok();
  }

 private:
  Status fail(const std::string& what) const {
    return badRequest("malformed JSON at byte " + std::to_string(p_ - begin_) + ": " + what);
  }

  void skipWhitespace() {
    while (p_ != end_ && isWhitespace(*p_)) {
      whitespace_ = true;
      ++p_;
    }
  }

  Status literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return fail("expected a JSON value");
    }
    p_ += word.size();
    return Status::ok();
  }

  Status digits() {
    if (p_ == end_ || !isDigit(*p_)) {
      return fail("expected a digit");
    }
    while (p_ != end_ && isDigit(*p_)) {
      ++p_;
    }
    return Status::ok();
  }

  Status number() {
    if (*p_ == '-') {
      ++p_;
    }
    if (p_ != end_ && *p_ == '0') {
      ++p_;
    } else {
      CORRAL_RETURN_IF_ERROR(digits());
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      CORRAL_RETURN_IF_ERROR(digits());
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) {
        ++p_;
      }
      CORRAL_RETURN_IF_ERROR(digits());
    }
    return Status::ok();
  }

  // Four hex digits after "\u"; -1 when they are not.
  int hex4() {
    if (end_ - p_ < 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = hexValue(p_[i]);
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    p_ += 4;
    return value;
  }

  Status escape() {
    ++p_;  // the backslash
    if (p_ == end_) {
      return fail("unterminated string");
    }
    unsigned char c = *p_++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return Status::ok();
      case 'u':
        break;
      default:
        --p_;
        return fail("invalid escape in a string");
    }
    int unit = hex4();
    if (unit < 0) {
      return fail("expected four hex digits after \\u");
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return fail("a low surrogate \\u escape without a high one before it");
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
        return fail("a high surrogate \\u escape without a low one after it");
      }
      p_ += 2;
      int low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) {
        return fail("a high surrogate \\u escape without a low one after it");
      }
    }
    return Status::ok();
  }

  // One UTF-8 sequence of two to four bytes, as RFC 3629 allows them: no overlong forms, no
  // surrogates, nothing above U+10FFFF.
  Status utf8() {
    unsigned char c = *p_;
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
    if (end_ - p_ <= more || p_[1] < low || p_[1] > high) {
      return fail("invalid UTF-8 in a string");
    }
    for (int i = 2; i <= more; ++i) {
      if (!isContinuation(p_[i])) {
        return fail("invalid UTF-8 in a string");
      }
    }
    p_ += more + 1;
    return Status::ok();
  }

  Status string() {
    ++p_;  // the opening quote
    while (true) {
      while (end_ - p_ >= 8 && plainWord(p_)) {
        p_ += 8;
      }
      while (p_ != end_ && kPlainStringByte[*p_]) {
        ++p_;
      }
      if (p_ == end_) {
        return fail("unterminated string");
      }
      unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return Status::ok();
      }
      if (c == '\\') {
        CORRAL_RETURN_IF_ERROR(escape());
      } else if (c < 0x20) {
        return fail("a control character in a string must be escaped");
      } else {
        CORRAL_RETURN_IF_ERROR(utf8());
      }
    }
  }

  const unsigned char* begin_;
  const unsigned char* p_;
  const unsigned char* end_;
  bool whitespace_ = false;
};

uint32_t readHex4(std::string_view s, size_t at) {
  uint32_t value = 0;
  for (size_t i = at; i < at + 4 && i < s.size(); ++i) {
    int digit = hexValue(static_cast<unsigned char>(s[i]));
    value = value * 16 + static_cast<uint32_t>(digit < 0 ? 0 : digit);
  }
  return value;
}

}  // namespace

Status validateJson(std::string_view text, bool& has_whitespace) {
  return Validator(text).run(has_whitespace);
}

void compactJson(std::string& text) {
  size_t out = 0;
  bool in_string = false;
  for (size_t in = 0; in < text.size(); ++in) {
    char c = text[in];
    if (in_string) {
      text[out++] = c;
      if (c == '\\' && in + 1 < text.size()) {
        text[out++] = text[++in];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (!isWhitespace(static_cast<unsigned char>(c))) {
      in_string = c == '"';
      text[out++] = c;
    }
  }
  text.resize(out);
}

std::string unescapeJson(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out.push_back(c);
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t code = readHex4(raw, i + 1);
        i += 4;
        if (code >= 0xD800 && code <= 0xDBFF && i + 6 < raw.size() && raw[i + 1] == '\\' &&
            raw[i + 2] == 'u') {
          uint32_t low = readHex4(raw, i + 3);
          i += 6;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, code);
        break;
      }
      default:  // '"', '\\' and '/' stand for themselves
        out.push_back(e);
    }
  }
  return out;
}

void appendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(value.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(value.substr(run));
  out.push_back('"');
}

// --- JsonCursor -------------------------------------------------------------------------------

bool JsonCursor::skipString() {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  bool escaped = false;
  ++p_;  // the opening quote
  while (true) {
    // Eight bytes at a time to the next quote or backslash: most strings are short, and a call
    // to memchr for each would cost more than the scan.
    while (end_ - p_ >= 8) {
      uint64_t v = 0;
      std::memcpy(&v, p_, sizeof v);
      uint64_t x = v ^ (kOnes * '"');
      uint64_t y = v ^ (kOnes * '\\');
      uint64_t hits = (((x - kOnes) & ~x) | ((y - kOnes) & ~y)) & kHigh;
      if (hits == 0) {
        p_ += 8;
        continue;
      }
      // The lowest flagged byte is a real match (little-endian order; flags above it may be
      // borrows, never below).
      p_ += std::countr_zero(hits) / 8;
      break;
    }
    while (p_ < end_ && *p_ != '"' && *p_ != '\\') {
      ++p_;
    }
    if (p_ >= end_) {
      return escaped;
    }
    if (*p_ == '"') {
      ++p_;
      return escaped;
    }
    escaped = true;
    p_ += 2;  // the backslash and the character it escapes
  }
}

void JsonCursor::skipContainer() {
  int depth = 0;
  while (p_ < end_) {
    char c = *p_;
    if (c == '"') {
      skipString();
      continue;
    }
    ++p_;
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        return;
      }
    }
  }
}

std::string_view JsonCursor::skipValue() {
  const char* start = p_;
  if (p_ < end_) {
    char c = *p_;
    if (c == '"') {
      skipString();
    } else if (c == '{' || c == '[') {
      skipContainer();
    } else {
      while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']') {
        ++p_;
      }
    }
  }
  return {start, static_cast<size_t>(p_ - start)};
}

bool JsonCursor::enterObject() {
  if (peek() == '{') {
    ++p_;
    return true;
  }
  skipValue();
  return false;
}

bool JsonCursor::nextMember(std::string_view& key) {
  if (peek() == ',') {
    ++p_;
  }
  if (peek() != '"') {
    if (p_ < end_) {
      ++p_;  // the closing '}'
    }
    return false;
  }
  const char* start = p_ + 1;
  skipString();
  key = std::string_view(start, static_cast<size_t>(p_ - start - 1));
  if (peek() == ':') {
    ++p_;
  }
  return true;
}

bool JsonCursor::enterArray() {
  if (peek() == '[') {
    ++p_;
    return true;
  }
  skipValue();
  return false;
}

bool JsonCursor::nextElement() {
  if (peek() == ',') {
    ++p_;
  }
  if (peek() == ']' || atEnd()) {
    if (p_ < end_) {
      ++p_;
    }
    return false;
  }
  return true;
}

std::string_view JsonCursor::readRawString(bool& escaped) {
  escaped = false;
  if (peek() != '"') {
    skipValue();
    return {};
  }
  const char* start = p_ + 1;
  escaped = skipString();
  return {start, static_cast<size_t>(p_ - start - 1)};
}

int64_t JsonCursor::readInt() {
  std::string_view text = skipValue();
  int64_t value = 0;
  if (!text.empty() && (text[0] == '-' || isDigit(static_cast<unsigned char>(text[0])))) {
    std::from_chars(text.data(), text.data() + text.size(), value);
  }
  return value;
}

bool JsonCursor::readBool() { return skipValue() == "true"; }

}  // namespace corral::master
