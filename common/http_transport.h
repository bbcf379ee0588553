#pragma once

// HTTP as a dependency. The agent's gateway (to the master) and SDK (to the Kubernetes API) send
// requests through this interface; the libcurl implementation is made by makeCurlTransport(),
// and tests pass fakes that record requests and play back answers. Implementations are
// thread-safe: send() may be called from several threads at once.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace corral {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme, host, port, path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30'000};  // the whole exchange, connect included
  // When set and it turns true, the exchange is given up (within about a second) with
  // kUnavailable: a long-poll parked on a server need not run out its wait at shutdown.
  const std::atomic<bool>* abandon = nullptr;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or empty.
  std::string header(const std::string& lower_case_name) const;
};

struct TlsOptions {
  std::string ca_file;           // PEM bundle to verify the server with; empty: the system's
  std::string ca_pem;            // or the bundle itself (kubeconfig certificate-authority-data)
  std::string client_cert_file;  // client certificate (PEM), for mutual TLS
  std::string client_cert_pem;
  std::string client_key_file;
  std::string client_key_pem;
  bool insecure_skip_verify = false;  // only when a configuration says so explicitly
};

struct TransportOptions {
  TlsOptions tls;
  // false: every request on a fresh connection that is closed after the answer (agents never
  // leave idle connections to the master). true: connections are kept for reuse.
  bool reuse_connections = false;
  std::chrono::milliseconds connect_timeout{10'000};
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Performs one exchange. Any HTTP status is a response; only a failure to get one (DNS,
  // connect, TLS, timeout, reset) is an error, kUnavailable with curl's reason in the message.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// The libcurl implementation. Fails when a TLS file named in `options` cannot be read.
Result<std::unique_ptr<HttpTransport>> makeCurlTransport(const TransportOptions& options);

}  // namespace corral
