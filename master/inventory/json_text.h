#pragma once

// JSON text without a DOM. A snapshot is megabytes of JSON; nlohmann's DOM costs five to ten times
// the text in memory and parses at a few tens of MB/s, so the index works on the text itself:
// validateJson() checks it strictly once, compactJson() removes insignificant whitespace in place,
// and a JsonCursor then walks the valid, compact text to the few fields the index keeps, skipping
// the rest at memchr speed. Pure functions and a value type; no shared state.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace corral::master {

// Containers nested deeper than this are refused: nothing the agent sends comes close.
inline constexpr int kMaxJsonDepth = 256;

// Checks that `text` is exactly one JSON value (RFC 8259): structure, literals, numbers, string
// escapes including surrogate pairs, no control characters in strings, well-formed UTF-8, at most
// kMaxJsonDepth deep. kBadRequest naming the byte offset and what is wrong otherwise.
// `has_whitespace` is set to whether any whitespace lies outside strings.
Status validateJson(std::string_view text, bool& has_whitespace);

// Removes the whitespace outside strings from `text`, which must be valid JSON, in place.
void compactJson(std::string& text);

// The content of a JSON string (between its quotes, escapes still in) decoded to UTF-8. `raw`
// must come from valid JSON.
std::string unescapeJson(std::string_view raw);

// Appends `value` to `out` as a JSON string, quotes included.
void appendJsonString(std::string& out, std::string_view value);

// A forward-only reader over valid, compact JSON (validateJson, then compactJson). It trusts the
// text: on anything else its results are unspecified, though it never reads outside the text.
// A JSON value of a type other than the one asked for is skipped and reads as empty.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool atEnd() const { return p_ >= end_; }
  // Where the cursor is in the text.
  const char* position() const { return p_; }
  // The first byte of the next value: '{', '[', '"', 't', 'f', 'n', '-' or a digit; 0 at the end.
  char peek() const { return p_ < end_ ? *p_ : '\0'; }

  // At '{': consumes it and returns true. Otherwise skips the value and returns false.
  bool enterObject();
  // Inside an object: reads the next member's name (raw, escapes not decoded) and its ':', and
  // returns true; at the closing '}' consumes it and returns false.
  bool nextMember(std::string_view& key);

  // At '[': consumes it and returns true. Otherwise skips the value and returns false.
  bool enterArray();
  // Inside an array: true when another element follows (the cursor is on it); at the closing ']'
  // consumes it and returns false.
  bool nextElement();

  // Skips the next value and returns its text.
  std::string_view skipValue();
  // A string: its raw content and whether it holds escapes (then unescapeJson() decodes it).
  // Another value is skipped and reads as empty.
  std::string_view readRawString(bool& escaped);
  // An integer; a fraction is cut off, another value reads as 0.
  int64_t readInt();
  // true only for the literal true.
  bool readBool();

 private:
  // Past the string at the cursor; returns whether it holds escapes.
  bool skipString();
  void skipContainer();

  const char* p_;
  const char* end_;
};

}  // namespace corral::master
