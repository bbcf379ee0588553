#pragma once

// Byte-level pieces shared by the project's JSON readers (common/json_scanner and the master's
// snapshot validator in master/inventory/json_text): what may stand unexamined in a string, hex
// digits of \u escapes, and UTF-8 encoding of the code points they name.

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace corral::json_chars {

// Bytes that stand for themselves in a string: printable ASCII but the quote and the backslash.
inline constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x80; ++c) {
    table[static_cast<size_t>(c)] = c != '"' && c != '\\';
  }
  return table;
}();

// Whether none of the eight bytes at `p` needs a closer look in a string: no control character,
// quote, backslash or byte of a multi-byte UTF-8 sequence. Most of a Kubernetes object is string
// content, so this is the inner loop of every reader.
inline bool plainWord(const void* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  uint64_t below_space = (v - kOnes * 0x20) & ~v;
  uint64_t x = v ^ (kOnes * '"');
  uint64_t quote = (x - kOnes) & ~x;
  uint64_t y = v ^ (kOnes * '\\');
  uint64_t backslash = (y - kOnes) & ~y;
  return ((below_space | quote | backslash | v) & kHigh) == 0;
}

// The value of a hex digit, or -1.
inline int hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Appends `code` (a Unicode scalar value) encoded as UTF-8.
inline void appendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

}  // namespace corral::json_chars
