#pragma once

// The smallest HTTP/1.1 client that can drive the master in a benchmark: one blocking request per
// connection, as a Corral agent makes them, with no library between the measurement and the
// socket. Thread-safe (no shared state).

#include <string>

namespace corral::bench {

struct RawResponse {
  int status = 0;  // 0: the connection failed
  std::string body;
};

RawResponse rawRequest(int port, const std::string& method, const std::string& path,
                       const std::string& token, const std::string& body = "");

}  // namespace corral::bench
