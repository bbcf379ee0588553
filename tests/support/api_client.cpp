#include "tests/support/api_client.h"

#include <httplib.h>

namespace corral::testing {

Json ApiResponse::json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

std::string ApiResponse::errorCode() const {
  Json j = json();
  if (j.is_object() && j.contains("error") && j["error"].contains("code")) {
    return j["error"]["code"].get<std::string>();
  }
  return {};
}

ApiClient::ApiClient(std::string host, int port, std::string ca_file)
    : host_(std::move(host)), port_(port), ca_file_(std::move(ca_file)) {}

namespace {

ApiResponse convert(const httplib::Result& r) {
  ApiResponse out;
  if (!r) {
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) {
    out.headers[k] = v;
  }
  return out;
}

}  // namespace

ApiResponse ApiClient::raw(const std::string& method, const std::string& path,
                           const std::string& token, const std::string& body,
                           const std::string& content_type) const {
  std::unique_ptr<httplib::Client> client;
  if (ca_file_.empty()) {
    client = std::make_unique<httplib::Client>(host_, port_);
  } else {
    client = std::make_unique<httplib::Client>("https://" + host_ + ":" + std::to_string(port_));
    client->set_ca_cert_path(ca_file_.c_str());
    client->enable_server_certificate_verification(true);
  }
  client->set_read_timeout(70, 0);
  client->set_connection_timeout(10, 0);
  httplib::Headers headers;
  if (!token.empty()) {
    headers.emplace("Authorization", "Bearer " + token);
  }
  if (method == "GET") {
    return convert(client->Get(path, headers));
  }
  if (method == "DELETE") {
    return convert(client->Delete(path, headers));
  }
  if (method == "PUT") {
    return convert(client->Put(path, headers, body, content_type));
  }
  return convert(client->Post(path, headers, body, content_type));
}

ApiResponse ApiClient::get(const std::string& path, const std::string& token) const {
  return raw("GET", path, token, "", "");
}

ApiResponse ApiClient::post(const std::string& path, const std::string& token,
                            const Json& body) const {
  return raw("POST", path, token, body.dump(), "application/json");
}

ApiResponse ApiClient::put(const std::string& path, const std::string& token,
                           const Json& body) const {
  return raw("PUT", path, token, body.dump(), "application/json");
}

ApiResponse ApiClient::del(const std::string& path, const std::string& token) const {
  return raw("DELETE", path, token, "", "");
}

}  // namespace corral::testing
