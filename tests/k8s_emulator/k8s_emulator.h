#pragma once

// An emulated Kubernetes API server for the agent's tests, end-to-end test and benchmarks. It
// serves the real objects recorded under tests/fixtures/k8s/ over HTTP or HTTPS on loopback and
// behaves like kube-apiserver for what the agent uses: discovery, LIST with selectors and
// pagination, GET, PATCH (merge, strategic merge, JSON patch; the scale subresource), PUT, POST,
// DELETE, pod logs, bearer-token authentication, forbidden resources and real Status bodies.
// Tests can inject faults, expire continue tokens, read the requests it received and the state of
// its objects. See docs/k8s-emulator.md.
//
// The test hooks and accessors are thread-safe and may be called while the server is answering;
// start() and stop() belong to the thread that owns the object.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::testing {

class K8sEmulator {
 public:
  struct Options {
    std::string fixtures_dir;                 // empty: the source tree's tests/fixtures/k8s
    std::string token;                        // empty: no authentication
    std::string tls_cert_file, tls_key_file;  // both set: HTTPS
    // 0: the recorded pods as they are. N: N copies spread over namespaces and nodes, with
    // nodes, deployments, replicasets, services and events in proportion.
    int pods = 0;
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    // Resources whose every request answers 403 Forbidden.
    std::vector<std::string> forbidden_resources = {"secrets"};
  };

  // A failure for the next matching requests, checked before authentication.
  struct Fault {
    std::string path_prefix;       // requests whose path starts with this; "" matches all
    std::string method;            // "GET", "PATCH", ...; empty matches any
    int status = 0;                // 429, 500, 503, ...; 0 answers normally (after delay_ms)
    int count = 1;                 // matching requests affected; <= 0: until clearFaults()
    int retry_after_s = 0;         // > 0: a Retry-After header (and retryAfterSeconds in JSON)
    int delay_ms = 0;              // wait this long before answering (or dropping)
    bool drop_connection = false;  // close the connection without answering
    bool plain_text_429 = false;   // 429 as priority-and-fairness sends it: text/plain
  };

  explicit K8sEmulator(Options options);
  ~K8sEmulator();
  K8sEmulator(const K8sEmulator&) = delete;
  K8sEmulator& operator=(const K8sEmulator&) = delete;

  // Builds the cluster and starts answering. Returns the port, or -1 with the reason in
  // lastError() (missing fixtures, port in use, unreadable certificate).
  int start();
  // Stops answering; waits for requests in progress. Safe to call twice.
  void stop();
  const Status& lastError() const;
  int port() const;
  // "http://127.0.0.1:PORT" or "https://...".
  std::string baseUrl() const;

  void injectFault(Fault fault);
  void clearFaults();
  // Every continue token issued so far answers 410 Expired from now on, as after an etcd
  // compaction; lists started later page normally.
  void expireContinueTokens();
  // "METHOD /path?query" of every API request so far, in arrival order (admin routes excluded).
  std::vector<std::string> requestLog() const;
  void clearRequestLog();

  // The current state of an object, with kind and apiVersion, as a GET would answer it.
  // `resource` is the plural ("deployments"); `ns` is empty for cluster-scoped kinds.
  std::optional<Json> object(const std::string& resource, const std::string& ns,
                             const std::string& name) const;
  // spec.replicas of a deployment, replicaset or statefulset.
  std::optional<int64_t> replicas(const std::string& resource, const std::string& ns,
                                  const std::string& name) const;
  // How many objects of `resource` exist in `ns` ("" = all namespaces).
  size_t count(const std::string& resource, const std::string& ns = "") const;
  // Creates or replaces an object (kind and apiVersion optional) at a new resourceVersion.
  Status putObject(const std::string& resource, const Json& object);
  // The cluster's current resourceVersion.
  int64_t resourceVersion() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes a kubeconfig for `server` with a bearer `token` (none when empty); `ca_file` non-empty
// names the CA to verify an HTTPS server, and an HTTPS server without one is not verified
// (insecure-skip-tls-verify). Written to a temporary file and renamed, so a reader never sees half.
Status writeKubeconfig(const std::string& path, const std::string& server, const std::string& token,
                       const std::string& ca_file);

}  // namespace corral::testing
