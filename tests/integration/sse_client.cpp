#include "tests/integration/sse_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "common/gzip.h"

namespace corral::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trimmed(const std::string& text) {
  size_t begin = text.find_first_not_of(' ');
  return begin == std::string::npos ? std::string() : text.substr(begin);
}

}  // namespace

SseClient::SseClient(int port, const std::string& target,
                     const std::map<std::string, std::string>& headers,
                     std::chrono::milliseconds deadline) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ended_ = true;
    return;
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nAccept: text/event-stream\r\nAccept-Encoding: gzip, deflate\r\n"
                        "Cache-Control: no-cache\r\n";
  for (const auto& [name, value] : headers) {
    request.append(name).append(": ").append(value).append("\r\n");
  }
  request += "\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ended_ = true;
    return;
  }
  auto until = Clock::now() + deadline;
  size_t end = std::string::npos;
  while ((end = raw_.find("\r\n\r\n")) == std::string::npos) {
    if (!readSome(until)) {
      return;
    }
  }
  std::string head = raw_.substr(0, end);
  raw_.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) {
    status_ = std::stoi(status_line.substr(9, 3));
  }
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    std::string line = head.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      headers_[lower(line.substr(0, colon))] = trimmed(line.substr(colon + 1));
    }
    pos = next == std::string::npos ? head.size() : next + 2;
  }
  chunked_ = lower(header("transfer-encoding")) == "chunked";
  decodeBody();
  parseEvents();
}

SseClient::~SseClient() { close(); }

void SseClient::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::string SseClient::header(const std::string& name) const {
  auto it = headers_.find(lower(name));
  return it == headers_.end() ? std::string() : it->second;
}

std::string SseClient::body() const {
  if (lower(header("content-encoding")) != "gzip") {
    return body_;
  }
  auto inflated = gzipDecompress(body_, size_t(1) << 20);
  return inflated.isOk() ? *inflated : body_;
}

bool SseClient::readSome(Clock::time_point until) {
  if (fd_ < 0 || ended_) {
    return false;
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  if (left.count() <= 0) {
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
    return false;
  }
  char buffer[16 * 1024];
  ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(buffer, static_cast<size_t>(n));
  if (status_ != 0) {
    decodeBody();
    parseEvents();
  }
  return true;
}

void SseClient::decodeBody() {
  if (!chunked_) {
    body_ += raw_;
    raw_.clear();
    return;
  }
  while (true) {
    size_t line_end = raw_.find("\r\n");
    if (line_end == std::string::npos) {
      return;
    }
    size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
    if (size == 0) {
      ended_ = true;  // the last chunk: the server ended the stream
      raw_.clear();
      return;
    }
    if (raw_.size() < line_end + 2 + size + 2) {
      return;
    }
    body_.append(raw_, line_end + 2, size);
    raw_.erase(0, line_end + 2 + size + 2);
  }
}

void SseClient::parseEvents() {
  if (status_ != 200) {
    return;
  }
  size_t newline = 0;
  while ((newline = body_.find('\n')) != std::string::npos) {
    std::string line = body_.substr(0, newline);
    body_.erase(0, newline + 1);
    if (line.empty()) {
      if (!pending_.type.empty() || !pending_.data.empty()) {
        events_.push_back(pending_);
      } else if (!pending_.id.empty()) {
        other_fields_.push_back("id: " + pending_.id);
      }
      pending_ = SseEvent{};
      continue;
    }
    if (line[0] == ':') {
      comments_.push_back(trimmed(line.substr(1)));
      continue;
    }
    size_t colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value =
        colon == std::string::npos ? std::string() : trimmed(line.substr(colon + 1));
    if (field == "id") {
      pending_.id = value;
    } else if (field == "event") {
      pending_.type = value;
    } else if (field == "data") {
      pending_.data += pending_.data.empty() ? value : "\n" + value;
    } else {
      other_fields_.push_back(line);
    }
  }
}

bool SseClient::readUntil(const std::function<bool(const std::vector<SseEvent>&)>& done,
                          std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  while (!done(events_)) {
    if (!readSome(until)) {
      return done(events_);
    }
  }
  return true;
}

bool SseClient::readEvents(size_t count, std::chrono::milliseconds deadline) {
  return readUntil([count](const std::vector<SseEvent>& events) { return events.size() >= count; },
                   deadline);
}

bool SseClient::readComment(const std::string& text, std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  auto seen = [&] {
    return std::any_of(comments_.begin(), comments_.end(),
                       [&](const std::string& c) { return c.find(text) != std::string::npos; });
  };
  while (!seen()) {
    if (!readSome(until)) {
      return seen();
    }
  }
  return true;
}

bool SseClient::readToEnd(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  while (!ended_) {
    if (!readSome(until) && !ended_) {
      return false;
    }
  }
  return true;
}

}  // namespace corral::testing
