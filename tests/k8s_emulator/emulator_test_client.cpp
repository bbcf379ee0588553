#include "tests/k8s_emulator/emulator_test_client.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace corral::testing {

Json HttpResult::json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

TestClient::TestClient(std::string base_url, std::string token, std::string ca_file)
    : base_url_(std::move(base_url)), token_(std::move(token)), ca_file_(std::move(ca_file)) {}

std::unique_ptr<httplib::Client> TestClient::client() const {
  auto cli = std::make_unique<httplib::Client>(base_url_);
  cli->set_connection_timeout(10);
  cli->set_read_timeout(60);
  if (!ca_file_.empty()) {
    cli->set_ca_cert_path(ca_file_.c_str());
    cli->enable_server_certificate_verification(true);
  }
  if (!token_.empty()) {
    cli->set_bearer_token_auth(token_.c_str());
  }
  return cli;
}

namespace {

HttpResult resultOf(const httplib::Result& res) {
  HttpResult out;
  if (!res) {
    return out;
  }
  out.status = res->status;
  out.body = res->body;
  out.headers = res->headers;
  out.content_type = res->get_header_value("Content-Type");
  return out;
}

}  // namespace

HttpResult TestClient::get(const std::string& path) const { return resultOf(client()->Get(path)); }

HttpResult TestClient::send(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& content_type) const {
  auto cli = client();
  if (method == "PATCH") {
    return resultOf(cli->Patch(path, body, content_type.c_str()));
  }
  if (method == "POST") {
    return resultOf(cli->Post(path, body, content_type.c_str()));
  }
  if (method == "PUT") {
    return resultOf(cli->Put(path, body, content_type.c_str()));
  }
  if (method == "DELETE") {
    return resultOf(body.empty() ? cli->Delete(path)
                                 : cli->Delete(path, body, content_type.c_str()));
  }
  return resultOf(cli->Get(path));
}

std::vector<Json> TestClient::pages(const std::string& path, int limit) const {
  std::vector<Json> pages;
  std::string separator = path.find('?') == std::string::npos ? "?" : "&";
  std::string token;
  do {
    std::string url = path + separator + "limit=" + std::to_string(limit);
    if (!token.empty()) {
      url += "&continue=" + httplib::detail::encode_query_param(token);
    }
    HttpResult page = get(url);
    INFO(url << " -> " << page.status << " " << page.body.substr(0, 300));
    REQUIRE(page.status == 200);
    pages.push_back(page.json());
    token = pages.back()["metadata"].value("continue", "");
  } while (!token.empty());
  return pages;
}

std::vector<std::string> itemKeys(const Json& list) {
  std::vector<std::string> keys;
  for (const Json& item : list["items"]) {
    const Json& metadata = item["metadata"];
    std::string ns = metadata.value("namespace", "");
    keys.push_back(ns.empty() ? metadata.value("name", "") : ns + "/" + metadata.value("name", ""));
  }
  return keys;
}

std::unique_ptr<K8sEmulator> startEmulator(K8sEmulator::Options options) {
  auto emulator = std::make_unique<K8sEmulator>(std::move(options));
  int port = emulator->start();
  INFO(emulator->lastError().toString());
  REQUIRE(port > 0);
  return emulator;
}

std::string fixtureText(const std::string& relative) {
  std::ifstream in(std::string(CORRAL_K8S_FIXTURES_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string findOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? end : end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return {};
}

}  // namespace corral::testing
