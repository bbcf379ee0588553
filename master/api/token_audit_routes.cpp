// Admin routes for operator tokens, who the caller is, the audit log, and the health checks.

#include "common/time_format.h"
#include "master/api/page_answer.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/auth/token_service.h"
#include "master/queue/wait_set.h"

namespace corral::master {
namespace {

// Optional RFC 3339 "expires_at" or relative "expires_in_s" in a token request.
Status readExpiry(const Json& body, Clock& clock, int64_t& expires_at) {
  std::string at;
  int64_t in_s = 0;
  CORRAL_RETURN_IF_ERROR(readFields(body, [&](proto::FieldReader& r) {
    r.string("expires_at", at, false, 40);
    r.integer("expires_in_s", in_s, false, 1, int64_t(10) * 366 * 86400);
  }));
  if (!at.empty()) {
    auto parsed = parseRfc3339(at);
    if (!parsed.isOk()) {
      return invalidArgument("field 'expires_at': " + parsed.status().message());
    }
    expires_at = toUnixMillis(*parsed);
  } else if (in_s > 0) {
    expires_at = toUnixMillis(clock.wallNow()) + in_s * 1000;
  }
  return Status::ok();
}

Status listOperatorTokens(ApiContext& ctx, const httplib::Request&, httplib::Response& res,
                          const Principal&) {
  auto tokens = ctx.deps.tokens.list(TokenKind::kOperator, "");
  if (!tokens.isOk()) {
    return tokens.status();
  }
  sendAll(res, *tokens);
  return Status::ok();
}

Status createOperatorToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                           const Principal& principal) {
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
  return issueToken(ctx, req, res, principal, TokenKind::kOperator, *body, spec);
}

Status revokeOperatorToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                           const Principal& principal) {
  CORRAL_RETURN_IF_ERROR(
      ctx.deps.tokens.revoke(req.matches[1], TokenKind::kOperator, actorOf(principal, req)));
  // Waiting requests re-check their token: a revoked one ends now with 401.
  ctx.deps.waits.notifyAll();
  res.status = 204;
  return Status::ok();
}

// Who the token is, for a dashboard that must show only what its role may do. Any valid operator
// token may ask; the answer holds no secret.
Status whoAmI(ApiContext&, const httplib::Request&, httplib::Response& res,
              const Principal& principal) {
  sendJson(res, 200,
           {{"token_id", principal.token_id},
            {"role", roleName(principal.role)},
            {"name", principal.name}});
  return Status::ok();
}

Status listAudit(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Principal&) {
  auto page = querySeqPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  auto entries = readValue<std::vector<AuditEntry>>(ctx.deps.store, [&](StoreTx& tx) {
    return tx.audit().list(queryString(req, "action"), *page);
  });
  if (!entries.isOk()) {
    return entries.status();
  }
  sendPage(res, *page, *entries, [](const AuditEntry& e) { return std::to_string(e.seq); });
  return Status::ok();
}

}  // namespace

Status issueToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal& principal, TokenKind kind, const Json& body, TokenSpec& spec) {
  CORRAL_RETURN_IF_ERROR(readExpiry(body, ctx.deps.clock, spec.expires_at));
  auto issued = ctx.deps.tokens.create(kind, spec, actorOf(principal, req));
  if (!issued.isOk()) {
    return issued.status();
  }
  Json out = toJson(issued->token);
  out["token"] = issued->secret;
  sendJson(res, 201, out);
  return Status::ok();
}

void addTokenAndAuditRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/api/v1/tokens", operatorRoute(ctx, Role::kAdmin, listOperatorTokens));
  server.Post("/api/v1/tokens", operatorRoute(ctx, Role::kAdmin, createOperatorToken));
  server.Delete(R"(/api/v1/tokens/([^/]+))", operatorRoute(ctx, Role::kAdmin, revokeOperatorToken));
  server.Get("/api/v1/whoami", operatorRoute(ctx, Role::kViewer, whoAmI));
  server.Get("/api/v1/audit", operatorRoute(ctx, Role::kViewer, listAudit));
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
