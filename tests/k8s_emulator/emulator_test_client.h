#pragma once

// Test helpers for the emulator's own tests: an HTTP client on cpp-httplib (as a foreign client
// would talk to the emulator), reading fixtures, and locating programs.

#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "tests/k8s_emulator/k8s_emulator.h"

namespace corral::testing {

struct HttpResult {
  int status = 0;  // 0: no answer (the connection failed or was dropped)
  std::string body;
  std::string content_type;
  httplib::Headers headers;

  Json json() const;  // the body parsed, or null
  std::string header(const std::string& name) const;
};

class TestClient {
 public:
  // `ca_file` non-empty: HTTPS verified against it.
  TestClient(std::string base_url, std::string token = "", std::string ca_file = "");
  explicit TestClient(const K8sEmulator& emulator, std::string token = "")
      : TestClient(emulator.baseUrl(), std::move(token)) {}

  HttpResult get(const std::string& path) const;
  HttpResult send(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& content_type) const;
  HttpResult patch(const std::string& path, const Json& body,
                   const std::string& content_type = "application/merge-patch+json") const {
    return send("PATCH", path, body.dump(), content_type);
  }
  HttpResult del(const std::string& path, const std::string& body = "") const {
    return send("DELETE", path, body, body.empty() ? "" : "application/json");
  }

  // Follows `continue` from the first page of `path` (which may carry a query) to the end;
  // returns every page's body. Fails the test on a non-200 page.
  std::vector<Json> pages(const std::string& path, int limit) const;

 private:
  std::unique_ptr<httplib::Client> client() const;

  std::string base_url_;
  std::string token_;
  std::string ca_file_;
};

// The names of a list's items ("ns/name" when namespaced), in order.
std::vector<std::string> itemKeys(const Json& list);

// A started in-process emulator; fails the test when it cannot start.
std::unique_ptr<K8sEmulator> startEmulator(K8sEmulator::Options options = {});

// The text of a file under tests/fixtures/k8s/.
std::string fixtureText(const std::string& relative);

// `name` searched on PATH (child processes are started without a shell).
std::string findOnPath(const std::string& name);

}  // namespace corral::testing
