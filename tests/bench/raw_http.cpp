#include "tests/bench/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace corral::bench {

RawResponse rawRequest(int port, const std::string& method, const std::string& path,
                       const std::string& token, const std::string& body) {
  RawResponse out;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return out;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) {
    request += "Authorization: Bearer " + token + "\r\n";
  }
  if (!body.empty() || method == "POST") {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "Connection: close\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return out;
    }
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[16384];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      break;
    }
    response.append(buffer, static_cast<size_t>(n));
    // The server closes after one response; stop early once the body is complete.
    auto header_end = response.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      auto cl = response.find("Content-Length: ");
      if (cl != std::string::npos && cl < header_end) {
        size_t length = std::strtoul(response.c_str() + cl + 16, nullptr, 10);
        if (response.size() >= header_end + 4 + length) {
          break;
        }
      }
    }
  }
  ::close(fd);
  if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) {
    return out;
  }
  out.status = std::atoi(response.c_str() + 9);
  auto header_end = response.find("\r\n\r\n");
  if (header_end != std::string::npos) {
    out.body = response.substr(header_end + 4);
  }
  return out;
}

}  // namespace corral::bench
