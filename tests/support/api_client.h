#pragma once

// A small JSON-over-HTTP client for integration tests and benchmarks, one connection per call
// like a real agent. Thread-safe: each call uses its own connection.

#include <map>
#include <string>

#include "common/json.h"

namespace corral::testing {

struct ApiResponse {
  int status = 0;  // 0: no answer (connection failed)
  std::string body;
  std::map<std::string, std::string> headers;
  Json json() const;  // the body parsed, or null
  std::string errorCode() const;
};

class ApiClient {
 public:
  // `ca_file` non-empty: HTTPS verified against that CA.
  ApiClient(std::string host, int port, std::string ca_file = "");

  ApiResponse get(const std::string& path, const std::string& token) const;
  ApiResponse post(const std::string& path, const std::string& token, const Json& body) const;
  ApiResponse put(const std::string& path, const std::string& token, const Json& body) const;
  ApiResponse del(const std::string& path, const std::string& token) const;
  // Anything goes: for malformed bodies and wrong content types.
  ApiResponse raw(const std::string& method, const std::string& path, const std::string& token,
                  const std::string& body, const std::string& content_type) const;

 private:
  std::string host_;
  int port_;
  std::string ca_file_;
};

}  // namespace corral::testing
