// GET /metrics: the master's metrics in the Prometheus text format. Prometheus scrapes it on the
// API's own port. It is open by default, like most exporters, because it names pools, agents and
// clusters but holds no secrets; with metrics.require_token it asks for an operator token of any
// role (a viewer token made for Prometheus is enough).

#include "master/api/routes.h"
#include "master/metrics/registry.h"
#include "master/metrics/text_format.h"

namespace corral::master {
namespace {

void scrape(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  respond(res, [&]() -> Status {
    if (ctx.options.metrics_require_token) {
      auto principal = authorizeOperator(ctx, req, Role::kViewer);
      if (!principal.isOk()) {
        return principal.status();
      }
    }
    auto text = ctx.deps.metrics->render();
    if (!text.isOk()) {
      return unavailable("the metrics could not be collected: " + text.status().message());
    }
    res.status = 200;
    res.body = std::move(*text);
    res.set_header("Content-Type", metrics::kTextContentType);
    return Status::ok();
  });
}

}  // namespace

void addMetricsRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.metrics == nullptr) {
    return;
  }
  server.Get("/metrics", [&ctx](const httplib::Request& req, httplib::Response& res) {
    scrape(ctx, req, res);
  });
}

}  // namespace corral::master
