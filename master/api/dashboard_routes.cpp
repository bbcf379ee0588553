// The dashboard: GET / answers its page and GET /ui/<file> the scripts, styles and images it
// loads, all from the binary (no CDN, nothing fetched elsewhere). No token is needed for them:
// they hold no data, and the page asks for the operator's token and sends it on every API call.
//
// Every answer carries a strict Content-Security-Policy: scripts, styles and connections only
// from the master itself, no inline script, no framing. A script injected through data shown on
// the page (a pod's name, an event's message) would therefore not run even if the page failed to
// escape it. Answers are revalidated on each load (no-cache) against a strong ETag, so a new
// master's files are picked up at once and an unchanged file costs a 304.

#include "master/api/conditional_get.h"
#include "master/api/routes.h"
#include "master/dashboard/asset_catalog.h"

namespace corral::master {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void serveAsset(const AssetCatalog& assets, const std::string& name, const httplib::Request& req,
                httplib::Response& res) {
  const Asset* asset = assets.find(name);
  if (asset == nullptr) {
    sendError(res, notFound("no dashboard file '" + name + "'"));
    return;
  }
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  // The event stream's URL carries the token; no page of the dashboard may pass it on.
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cache-Control", "no-cache");
  if (answeredNotModified(req, res, asset->etag)) {
    return;
  }
  res.status = 200;
  res.set_content(asset->body.data(), asset->body.size(), asset->content_type.c_str());
}

}  // namespace

void addDashboardRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.dashboard == nullptr) {
    return;
  }
  const AssetCatalog& assets = *ctx.deps.dashboard;
  server.Get("/", [&assets](const httplib::Request& req, httplib::Response& res) {
    serveAsset(assets, "index.html", req, res);
  });
  server.Get(R"(/ui/([A-Za-z0-9_./-]+))",
             [&assets](const httplib::Request& req, httplib::Response& res) {
               serveAsset(assets, req.matches[1], req, res);
             });
}

}  // namespace corral::master
