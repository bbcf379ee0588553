#include "tests/support/fake_transport.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace corral::testing {

Result<HttpResponse> FakeTransport::send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (next_ < queue_.size()) {
      return queue_[next_++];
    }
    handler = handler_;
  }
  // Called without the lock, so that a handler may block or inspect the transport.
  if (handler) {
    return handler(request);
  }
  return internalError("FakeTransport: no answer queued for " + request.method + " " + request.url);
}

void FakeTransport::respond(int status, std::string body,
                            const std::map<std::string, std::string>& headers) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    response.headers[lower] = value;
  }
  respond(std::move(response));
}

void FakeTransport::respond(HttpResponse response) {
  std::lock_guard lock(mutex_);
  queue_.emplace_back(std::move(response));
}

void FakeTransport::fail(Status status) {
  std::lock_guard lock(mutex_);
  queue_.emplace_back(std::move(status));
}

void FakeTransport::setHandler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

size_t FakeTransport::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() - next_;
}

namespace {

int hexValue(char c) {
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

std::string percentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string queryParam(const std::string& url, const std::string& name) {
  size_t question = url.find('?');
  if (question == std::string::npos) {
    return {};
  }
  std::string query = url.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    std::string pair = query.substr(start, end == std::string::npos ? end : end - start);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return {};
}

std::string urlPath(const std::string& url) {
  size_t scheme = url.find("://");
  size_t path_start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path_start == std::string::npos) {
    return "/";
  }
  size_t query = url.find('?', path_start);
  return url.substr(path_start, query == std::string::npos ? query : query - path_start);
}

std::string requestHeader(const HttpRequest& request, const std::string& name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  for (const auto& [key, value] : request.headers) {
    if (lower(key) == lower(name)) {
      return value;
    }
  }
  return {};
}

}  // namespace corral::testing
