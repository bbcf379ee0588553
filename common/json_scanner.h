#pragma once

// A strict, forward-only reader of JSON text for callers that want a few parts of a large document
// and none of the rest. It accepts exactly what nlohmann/json's parser accepts (RFC 8259: the
// structure, literals, numbers, string escapes with surrogate pairs, no raw control characters,
// well-formed UTF-8; also an optional UTF-8 byte order mark at the very start, and a NUL byte
// after the value ending the text), but skips the values it is not asked to read eight bytes at a
// time through strings, without building or allocating anything; the values it reads come out as
// std::string or Json. Skipping keeps an explicit stack of open containers, so no nesting depth
// can exhaust the thread's stack.
//
// Each read first skips whitespace. A read that fails returns false and records the first error
// (error(): its byte offset and what is wrong); the cursor is then somewhere inside the bad value
// and the reader should be dropped. A value type; not shared between threads.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace corral {

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  // At the very start: skips a UTF-8 byte order mark; false for the start of a broken one.
  bool skipByteOrderMark();
  // The first byte of the next token after whitespace ('{', '[', '"', ':', ',', a digit ...), or
  // '\0' at the end of the text. Does not consume it.
  char peek();
  // Consumes `c` when it is the next token's first byte.
  bool consume(char c);
  // True when only whitespace is left, or whitespace and then a NUL byte (which nlohmann's parser
  // takes for the end of the input); otherwise records "unexpected text after the JSON value".
  bool expectEnd();

  // A member name and the ':' after it. `name` points into the text, or into `scratch` when the
  // name holds escapes; it is valid until the next read into `scratch`.
  bool readKey(std::string_view& name, std::string& scratch);
  // A string, decoded and appended to `out`; another value is an error.
  bool readString(std::string& out);
  // A string, number, true, false or null into `out` (numbers as nlohmann types them: negative
  // integers int64, others uint64, a fraction, exponent or integer overflow double); an object,
  // an array or anything else is an error.
  bool readScalar(Json& out);
  // Checks and skips one value of any kind, however large.
  bool skipValue();

  // Records `what` at the current offset as the error, unless one is recorded already, and
  // returns false.
  bool fail(std::string_view what);
  // "at byte <offset>: <what>", or empty while nothing failed.
  const std::string& error() const { return error_; }
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }

 private:
  void skipWhitespace();
  // The string at the cursor (its opening quote); its content, decoded, appended to `out` when
  // `out` is not null. Sets `escaped` when the string holds a backslash escape.
  bool scanString(std::string* out, bool& escaped);
  bool scanEscape(std::string* out);
  bool scanUtf8(std::string* out);
  // The number at the cursor; its text in `text`, and whether it has a fraction or exponent.
  bool scanNumber(std::string_view& text, bool& is_float);
  bool scanLiteral(std::string_view word);
  // A member name in double quotes and its ':', not kept.
  bool skipKey();
  bool skipScalar();

  const char* begin_;
  const char* p_;
  const char* end_;
  std::vector<char> open_;  // skipValue()'s open containers, '{' or '[', kept for its capacity
  std::string error_;
};

}  // namespace corral
