// The dashboard as a browser gets it from the real master: the page and its files without a token,
// under a strict Content-Security-Policy, revalidated by ETag; and GET /api/v1/whoami, which tells
// the page what the token's role may do.

#include <httplib.h>

#include "tests/integration/fleet_fixture.h"

using corral::Json;
using corral::testing::FleetFixture;

namespace {

httplib::Result fetch(const FleetFixture& f, const std::string& path,
                      const httplib::Headers& headers = {}) {
  httplib::Client client("127.0.0.1", f.master.port());
  client.set_read_timeout(10, 0);
  return client.Get(path, headers);
}

}  // namespace

TEST_CASE("the master serves the dashboard's page without a token, under a strict policy",
          "[integration]") {
  FleetFixture f;
  auto page = fetch(f, "/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("/ui/app.js") != std::string::npos);
  std::string policy = page->get_header_value("Content-Security-Policy");
  CHECK(policy.find("default-src 'self'") != std::string::npos);
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("connect-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("unsafe") == std::string::npos);
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");

  auto script = fetch(f, "/ui/app.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  auto nested = fetch(f, "/ui/views/overview.js");
  REQUIRE(nested);
  CHECK(nested->status == 200);
}

TEST_CASE("a dashboard file the browser already has is answered 304", "[integration]") {
  FleetFixture f;
  auto first = fetch(f, "/ui/style.css");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  std::string etag = first->get_header_value("ETag");
  REQUIRE(!etag.empty());
  CHECK(first->get_header_value("Cache-Control") == "no-cache");

  auto again = fetch(f, "/ui/style.css", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  auto other = fetch(f, "/ui/app.js", {{"If-None-Match", etag}});
  REQUIRE(other);
  CHECK(other->status == 200);
}

TEST_CASE("a file the dashboard does not have is 404, whatever the path", "[integration]") {
  FleetFixture f;
  for (std::string path : {"/ui/missing.js", "/ui/../admin.token", "/ui/lib/../app.js", "/ui/"}) {
    INFO(path);
    auto r = fetch(f, path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->body.find("crl_op_") == std::string::npos);  // the admin token's contents
  }
}

TEST_CASE("whoami tells a token its id, role and name", "[integration]") {
  FleetFixture f;
  for (std::string role : {"viewer", "operator", "admin"}) {
    INFO(role);
    auto token = f.operatorToken(role);
    auto r = f.api.get("/api/v1/whoami", token.token);
    REQUIRE(r.status == 200);
    Json who = r.json();
    CHECK(who["token_id"] == token.id);
    CHECK(who["role"] == role);
    CHECK(who["name"] == role + " for tests");
  }
}

TEST_CASE("whoami refuses a missing, unknown or revoked token", "[integration]") {
  FleetFixture f;
  CHECK(f.api.get("/api/v1/whoami", "").status == 401);
  CHECK(f.api.get("/api/v1/whoami", "crl_op_unknown").status == 401);
  auto viewer = f.operatorToken("viewer");
  REQUIRE(f.api.get("/api/v1/whoami", viewer.token).status == 200);
  REQUIRE(f.api.del("/api/v1/tokens/" + viewer.id, f.admin()).status == 204);
  auto r = f.api.get("/api/v1/whoami", viewer.token);
  CHECK(r.status == 401);
  CHECK(r.errorCode() == "unauthenticated");
}
