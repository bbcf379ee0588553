#include "master/api/request_observation.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

namespace corral::master {
namespace {

// Set by stampArrival(): the steady clock's time, in nanoseconds since its epoch.
constexpr const char* kArrivalHeader = "Corral-Arrived-At";

std::optional<std::chrono::nanoseconds> sinceArrival(const httplib::Request& req,
                                                     const Clock& clock) {
  auto it = req.headers.find(kArrivalHeader);
  if (it == req.headers.end()) {
    return std::nullopt;
  }
  int64_t ns = 0;
  const std::string& text = it->second;
  auto parsed = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  auto elapsed = clock.now().time_since_epoch() - std::chrono::nanoseconds(ns);
  return std::max(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed),
                  std::chrono::nanoseconds(0));
}

}  // namespace

std::string_view methodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                               "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kMethods) {
    if (method == known) {
      return known;
    }
  }
  return "other";
}

std::string routeLabel(const httplib::Request& req) {
  // A failed regex_match leaves the results empty; a match holds at least the whole path.
  if (req.matches.empty() || !req.matches[0].matched) {
    return "unmatched";
  }
  const std::string& path = req.path;
  std::string out;
  size_t cursor = 0;
  for (size_t i = 1; i < req.matches.size(); ++i) {
    const auto& group = req.matches[i];
    auto begin = static_cast<size_t>(req.matches.position(i));
    // An optional group that took no part, or one nested in a group already replaced.
    if (!group.matched || begin < cursor) {
      continue;
    }
    out.append(path, cursor, begin - cursor);
    out += "{id}";
    cursor = begin + static_cast<size_t>(group.length());
  }
  out.append(path, cursor, std::string::npos);
  return out;
}

void stampArrival(httplib::Request& req, const Clock& clock) {
  req.headers.erase(kArrivalHeader);
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now().time_since_epoch());
  req.headers.emplace(kArrivalHeader, std::to_string(ns.count()));
}

void reportExchange(HttpObserver& observer, const httplib::Request& req,
                    const httplib::Response& res, const Clock& clock) {
  std::string route = routeLabel(req);
  HttpExchange exchange;
  exchange.method = methodLabel(req.method);
  exchange.route = route;
  exchange.status = res.status;
  // A chunked answer is an event stream, written for as long as its client stays: its lifetime
  // is no response time, and would only blur the histogram. (cpp-httplib marks its own field
  // private by a comment only; it is the one sign of a streamed answer it keeps.)
  if (!res.is_chunked_content_provider_) {
    exchange.duration = sinceArrival(req, clock);
  }
  observer.requestServed(exchange);
}

}  // namespace corral::master
