#include "master/inventory/label_selector.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace corral::master {
namespace {

constexpr size_t kMaxNameLength = 63;
constexpr size_t kMaxPrefixLength = 253;

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Characters that may appear in a key or a value; anything else ends the word.
bool isWordChar(char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '/'; }

// A label value or the name part of a key: up to 63 characters of [A-Za-z0-9._-], beginning and
// ending with a letter or digit. Values may also be empty.
bool validName(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength || !isAlnum(s.front()) || !isAlnum(s.back())) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// The prefix of a key ("app.kubernetes.io"): a DNS subdomain.
bool validPrefix(std::string_view s) {
  if (s.empty() || s.size() > kMaxPrefixLength || !isAlnum(s.front()) || !isAlnum(s.back())) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (std::islower(static_cast<unsigned char>(c)) != 0) ||
           (std::isdigit(static_cast<unsigned char>(c)) != 0) || c == '-' || c == '.';
  });
}

bool validKey(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) {
    return validName(key);
  }
  return validPrefix(key.substr(0, slash)) && validName(key.substr(slash + 1));
}

bool parseInteger(std::string_view text, int64_t& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

class LabelSelector::Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<LabelSelector> run() {
    LabelSelector selector;
    skipSpaces();
    if (atEnd()) {
      return selector;
    }
    while (true) {
      auto requirement = readRequirement();
      if (!requirement.isOk()) {
        return requirement.status();
      }
      selector.requirements_.push_back(std::move(*requirement));
      skipSpaces();
      if (atEnd()) {
        return selector;
      }
      if (text_[pos_] != ',') {
        return fail("expected ',' between requirements");
      }
      ++pos_;
    }
  }

 private:
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  bool startsWith(std::string_view s) const { return text_.substr(pos_).starts_with(s); }

  void skipSpaces() {
    while (!atEnd() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }

  std::string_view word() {
    size_t start = pos_;
    while (!atEnd() && isWordChar(text_[pos_])) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  Status fail(const std::string& what) const {
    return invalidArgument(what + " at position " + std::to_string(pos_) + " of '" +
                           std::string(text_) + "'");
  }

  Result<std::string> readValue() {
    skipSpaces();
    size_t start = pos_;
    std::string_view value = word();
    if (!value.empty() && !validName(value)) {
      pos_ = start;
      return fail("'" + std::string(value) +
                  "' is not a label value (up to 63 letters, digits, '-', '_' or '.', beginning "
                  "and ending with a letter or digit)");
    }
    return std::string(value);
  }

  Result<Requirement> readRequirement() {
    Requirement r;
    skipSpaces();
    bool negated = peek() == '!';
    if (negated) {
      ++pos_;
      skipSpaces();
    }
    size_t key_start = pos_;
    std::string_view key = word();
    if (key.empty()) {
      return fail("expected a label key");
    }
    if (!validKey(key)) {
      pos_ = key_start;
      return fail("'" + std::string(key) + "' is not a label key");
    }
    r.key = std::string(key);
    skipSpaces();
    if (negated) {
      r.op = Op::kNotExists;
      return r;
    }
    if (atEnd() || peek() == ',') {
      r.op = Op::kExists;
      return r;
    }
    if (startsWith("==") || startsWith("!=") || peek() == '=') {
      r.op = startsWith("!=") ? Op::kNotEquals : Op::kEquals;
      pos_ += peek() == '=' && !startsWith("==") ? 1 : 2;
      auto value = readValue();
      if (!value.isOk()) {
        return value.status();
      }
      r.values.push_back(std::move(*value));
      return r;
    }
    if (peek() == '>' || peek() == '<') {
      r.op = peek() == '>' ? Op::kGreater : Op::kLess;
      ++pos_;
      skipSpaces();
      std::string_view number = word();
      if (!parseInteger(number, r.number)) {
        return fail("expected an integer after '" + r.key + (r.op == Op::kGreater ? ">" : "<") +
                    "'");
      }
      return r;
    }
    size_t op_start = pos_;
    std::string_view op = word();
    if (op != "in" && op != "notin") {
      pos_ = op_start;
      return fail("expected =, ==, !=, in, notin, > or < after '" + r.key + "'");
    }
    r.op = op == "in" ? Op::kIn : Op::kNotIn;
    skipSpaces();
    if (peek() != '(') {
      return fail("expected '(' after '" + std::string(op) + "'");
    }
    ++pos_;
    skipSpaces();
    if (peek() == ')') {
      return fail("expected at least one value in the set");
    }
    while (true) {
      auto value = readValue();
      if (!value.isOk()) {
        return value.status();
      }
      r.values.push_back(std::move(*value));
      skipSpaces();
      if (peek() == ')') {
        ++pos_;
        break;
      }
      if (peek() != ',') {
        return fail("expected ',' or ')' in the set of values");
      }
      ++pos_;
    }
    return r;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Result<LabelSelector> LabelSelector::parse(std::string_view text) { return Parser(text).run(); }

const std::string_view* findLabel(const LabelList& labels, std::string_view key) {
  auto it = std::lower_bound(labels.begin(), labels.end(), key,
                             [](const auto& pair, std::string_view k) { return pair.first < k; });
  if (it == labels.end() || it->first != key) {
    return nullptr;
  }
  return &it->second;
}

bool LabelSelector::matches(const LabelList& labels) const {
  for (const Requirement& r : requirements_) {
    const std::string_view* value = findLabel(labels, r.key);
    bool ok = false;
    switch (r.op) {
      case Op::kExists:
        ok = value != nullptr;
        break;
      case Op::kNotExists:
        ok = value == nullptr;
        break;
      case Op::kEquals:
        ok = value != nullptr && *value == r.values.front();
        break;
      case Op::kNotEquals:
        ok = value == nullptr || *value != r.values.front();
        break;
      case Op::kIn:
        ok = value != nullptr &&
             std::find(r.values.begin(), r.values.end(), *value) != r.values.end();
        break;
      case Op::kNotIn:
        ok = value == nullptr ||
             std::find(r.values.begin(), r.values.end(), *value) == r.values.end();
        break;
      case Op::kGreater:
      case Op::kLess: {
        int64_t number = 0;
        ok = value != nullptr && parseInteger(*value, number) &&
             (r.op == Op::kGreater ? number > r.number : number < r.number);
        break;
      }
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool selects(const LabelList& selector, const LabelList& labels) {
  if (selector.empty()) {
    return false;
  }
  return std::all_of(selector.begin(), selector.end(), [&](const auto& pair) {
    const std::string_view* value = findLabel(labels, pair.first);
    return value != nullptr && *value == pair.second;
  });
}

}  // namespace corral::master
