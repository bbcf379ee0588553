#include "master/api/conditional_get.h"

#include <charconv>

#include "master/inventory/fingerprint.h"

namespace corral::master {
namespace {

// A part ends with a byte no text part holds, so ("ab", "c") and ("a", "bc") differ.
constexpr char kSeparator = '\x1f';

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// If-None-Match is "*" or a comma-separated list of tags, each possibly weak (W/"...").
// Comparison is weak, as RFC 9110 asks for If-None-Match.
bool namesTag(std::string_view header, std::string_view etag) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    std::string_view tag =
        trim(header.substr(start, comma == header.npos ? header.npos : comma - start));
    if (tag.starts_with("W/")) {
      tag.remove_prefix(2);
    }
    if (tag == "*" || tag == etag) {
      return true;
    }
    if (comma == header.npos) {
      break;
    }
    start = comma + 1;
  }
  return false;
}

}  // namespace

std::string etagOf(std::initializer_list<std::string_view> parts) {
  uint64_t h = kFingerprintSeed;
  for (std::string_view part : parts) {
    h = fingerprint64(part, h);
    h = fingerprint64(std::string_view(&kSeparator, 1), h);
  }
  char hex[16];
  auto [end, error] = std::to_chars(hex, hex + sizeof hex, h, 16);
  std::string tag = "\"";
  tag.append(16 - static_cast<size_t>(end - hex), '0');
  tag.append(hex, end);
  tag += '"';
  return tag;
}

std::string canonicalRequest(const httplib::Request& req) {
  std::string out = req.path;
  char joiner = '?';
  // httplib keeps parameters in a multimap: sorted by name, repeated names in request order.
  for (const auto& [name, value] : req.params) {
    out += joiner;
    out += name;
    out += '=';
    out += value;
    out += kSeparator;
    joiner = '&';
  }
  return out;
}

bool answeredNotModified(const httplib::Request& req, httplib::Response& res,
                         const std::string& etag) {
  res.set_header("ETag", etag);
  if (!req.has_header("If-None-Match") || !namesTag(req.get_header_value("If-None-Match"), etag)) {
    return false;
  }
  res.status = 304;
  return true;
}

void sendTaggedJson(const httplib::Request& req, httplib::Response& res, std::string body) {
  if (answeredNotModified(req, res, etagOf({body}))) {
    return;
  }
  res.status = 200;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
}

}  // namespace corral::master
