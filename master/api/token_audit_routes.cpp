// Admin routes for operator tokens, the audit log, and the health checks.

#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/auth/token_service.h"
#include "master/queue/wait_set.h"

namespace corral::master {

void addTokenAndAuditRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/api/v1/tokens", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kAdmin);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto tokens = ctx.deps.tokens.list(TokenKind::kOperator, "");
      if (!tokens.isOk()) {
        return tokens.status();
      }
      Json items = Json::array();
      for (const auto& t : *tokens) {
        items.push_back(toJson(t));
      }
      sendJson(res, 200, pageJson(std::move(items), ""));
      return Status::ok();
    });
  });

  server.Post("/api/v1/tokens", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kAdmin);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto body = jsonBody(ctx, req);
      if (!body.isOk()) {
        return body.status();
      }
      TokenSpec spec;
      std::string role;
      CORRAL_RETURN_IF_ERROR(readFields(*body, [&](proto::FieldReader& r) {
        r.string("name", spec.name, false, 128);
        r.oneOf("role", role, true, {"admin", "operator", "viewer"});
      }));
      spec.role = parseRole(role).value_or(Role::kViewer);
      CORRAL_RETURN_IF_ERROR(readTokenExpiry(*body, ctx.deps.clock, spec.expires_at));
      auto issued = ctx.deps.tokens.create(TokenKind::kOperator, spec, actorOf(*principal, req));
      if (!issued.isOk()) {
        return issued.status();
      }
      Json out = toJson(issued->token);
      out["token"] = issued->secret;
      sendJson(res, 201, out);
      return Status::ok();
    });
  });

  server.Delete(R"(/api/v1/tokens/([^/]+))",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                  respond(res, [&]() -> Status {
                    auto principal = authorizeOperator(ctx, req, Role::kAdmin);
                    if (!principal.isOk()) {
                      return principal.status();
                    }
                    CORRAL_RETURN_IF_ERROR(ctx.deps.tokens.revoke(
                        req.matches[1], TokenKind::kOperator, actorOf(*principal, req)));
                    // Waiting requests re-check their token: a revoked one ends now with 401.
                    ctx.deps.waits.notifyAll();
                    res.status = 204;
                    return Status::ok();
                  });
                });

  server.Get("/api/v1/audit", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kViewer);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto page = queryPage(req);
      if (!page.isOk()) {
        return page.status();
      }
      if (!page->after.empty() &&
          page->after.find_first_not_of("0123456789") != std::string::npos) {
        return invalidArgument("query parameter 'continue': not a token this master issued");
      }
      std::vector<AuditEntry> entries;
      CORRAL_RETURN_IF_ERROR(ctx.deps.store.read([&](StoreTx& tx) {
        auto rows = tx.audit().list(queryString(req, "action"), *page);
        if (!rows.isOk()) {
          return rows.status();
        }
        entries = std::move(*rows);
        return Status::ok();
      }));
      Json items = Json::array();
      for (const auto& e : entries) {
        items.push_back(toJson(e));
      }
      std::string next = static_cast<int>(entries.size()) == page->limit
                             ? std::to_string(entries.back().seq)
                             : std::string();
      sendJson(res, 200, pageJson(std::move(items), next));
      return Status::ok();
    });
  });
}

void addHealthRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    sendJson(res, 200, {{"status", "ok"}});
  });
  server.Get("/readyz", [&ctx](const httplib::Request&, httplib::Response& res) {
    Status status = ctx.deps.store.read([](StoreTx& tx) {
      auto pools = tx.pools().list(Page{"", 1});
      return pools.isOk() ? Status::ok() : pools.status();
    });
    if (!status.isOk()) {
      sendError(res, unavailable("the store is not ready: " + status.message()));
      return;
    }
    sendJson(res, 200, {{"status", "ready"}, {"parked_polls", ctx.deps.waits.parked()}});
  });
}

}  // namespace corral::master
