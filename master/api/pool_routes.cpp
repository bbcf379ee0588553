// Operator routes for agent pools and their enrollment tokens.

#include "master/api/page_answer.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/auth/token_service.h"
#include "master/fleet/fleet_service.h"

namespace corral::master {
namespace {

void readPoolFields(proto::FieldReader& r, Pool& p, bool creating) {
  r.string("name", p.name, creating, 128);
  r.string("description", p.description, false, 1024);
  r.oneOf("pool_type", p.pool_type, false, {"static", "k8s"});
  r.oneOf("selection_strategy", p.selection_strategy, false,
          {"round_robin", "least_busy", "random", "label_match"});
  r.labels("required_labels", p.required_labels);
  r.integer("slots_per_agent", p.slots_per_agent, false, 1, 64);
}

Status listPools(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Principal&) {
  auto page = queryPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  auto pools = ctx.deps.fleet.listPools(*page);
  if (!pools.isOk()) {
    return pools.status();
  }
  sendPage(res, *page, *pools, [](const Pool& p) { return p.name; });
  return Status::ok();
}

Status createPool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal& principal) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  Pool pool;
  CORRAL_RETURN_IF_ERROR(
      readFields(*body, [&](proto::FieldReader& r) { readPoolFields(r, pool, true); }));
  auto created = ctx.deps.fleet.createPool(pool, actorOf(principal, req));
  if (!created.isOk()) {
    return created.status();
  }
  sendJson(res, 201, toJson(*created));
  return Status::ok();
}

Status getPool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Principal&) {
  auto pool = ctx.deps.fleet.getPool(req.matches[1]);
  if (!pool.isOk()) {
    return pool.status();
  }
  sendJson(res, 200, toJson(*pool));
  return Status::ok();
}

Status editPool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Principal& principal) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  auto updated = ctx.deps.fleet.updatePool(
      req.matches[1],
      [&](Pool& p) {
        return readFields(*body, [&](proto::FieldReader& r) { readPoolFields(r, p, false); });
      },
      actorOf(principal, req));
  if (!updated.isOk()) {
    return updated.status();
  }
  sendJson(res, 200, toJson(*updated));
  return Status::ok();
}

Status deletePool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal& principal) {
  CORRAL_RETURN_IF_ERROR(ctx.deps.fleet.deletePool(req.matches[1], actorOf(principal, req)));
  res.status = 204;
  return Status::ok();
}

Status addAgentToPool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const Principal& principal) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  std::string agent_id;
  CORRAL_RETURN_IF_ERROR(
      readFields(*body, [&](proto::FieldReader& r) { r.string("agent_id", agent_id, true); }));
  auto agent = ctx.deps.fleet.addAgentToPool(req.matches[1], agent_id, actorOf(principal, req));
  if (!agent.isOk()) {
    return agent.status();
  }
  sendJson(res, 200, toJson(*agent));
  return Status::ok();
}

Status removeAgentFromPool(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                           const Principal& principal) {
  CORRAL_RETURN_IF_ERROR(
      ctx.deps.fleet.deleteAgent(req.matches[2], req.matches[1], actorOf(principal, req)));
  res.status = 204;
  return Status::ok();
}

Status createEnrollmentToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                             const Principal& principal) {
  auto body = jsonBody(ctx, req, /*allow_empty=*/true);
  if (!body.isOk()) {
    return body.status();
  }
  TokenSpec spec;
  spec.pool_id = req.matches[1];
  CORRAL_RETURN_IF_ERROR(readFields(*body, [&](proto::FieldReader& r) {
    r.string("name", spec.name, false, 128);
    r.integer("max_uses", spec.max_uses, false, 0, 1'000'000'000);
  }));
  return issueToken(ctx, req, res, principal, TokenKind::kEnrollment, *body, spec);
}

Status listEnrollmentTokens(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                            const Principal&) {
  auto pool = ctx.deps.fleet.getPool(req.matches[1]);
  if (!pool.isOk()) {
    return pool.status();
  }
  auto tokens = ctx.deps.tokens.list(TokenKind::kEnrollment, pool->id);
  if (!tokens.isOk()) {
    return tokens.status();
  }
  sendAll(res, *tokens);
  return Status::ok();
}

Status revokeEnrollmentToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                             const Principal& principal) {
  auto tokens = ctx.deps.tokens.list(TokenKind::kEnrollment, req.matches[1]);
  if (!tokens.isOk()) {
    return tokens.status();
  }
  bool in_pool = false;
  for (const auto& t : *tokens) {
    in_pool = in_pool || t.id == req.matches[2];
  }
  if (!in_pool) {
    return notFound("enrollment token '" + std::string(req.matches[2]) + "' not found in pool '" +
                    std::string(req.matches[1]) + "'");
  }
  CORRAL_RETURN_IF_ERROR(
      ctx.deps.tokens.revoke(req.matches[2], TokenKind::kEnrollment, actorOf(principal, req)));
  res.status = 204;
  return Status::ok();
}

}  // namespace

void addPoolRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/api/v1/agent-pools", operatorRoute(ctx, Role::kViewer, listPools));
  server.Post("/api/v1/agent-pools", operatorRoute(ctx, Role::kOperator, createPool));
  server.Get(R"(/api/v1/agent-pools/([^/]+))", operatorRoute(ctx, Role::kViewer, getPool));
  server.Put(R"(/api/v1/agent-pools/([^/]+))", operatorRoute(ctx, Role::kOperator, editPool));
  server.Delete(R"(/api/v1/agent-pools/([^/]+))", operatorRoute(ctx, Role::kOperator, deletePool));
  server.Post(R"(/api/v1/agent-pools/([^/]+)/agents)",
              operatorRoute(ctx, Role::kOperator, addAgentToPool));
  server.Delete(R"(/api/v1/agent-pools/([^/]+)/agents/([^/]+))",
                operatorRoute(ctx, Role::kOperator, removeAgentFromPool));
  server.Post(R"(/api/v1/agent-pools/([^/]+)/tokens)",
              operatorRoute(ctx, Role::kOperator, createEnrollmentToken));
  server.Get(R"(/api/v1/agent-pools/([^/]+)/tokens)",
             operatorRoute(ctx, Role::kViewer, listEnrollmentTokens));
  server.Delete(R"(/api/v1/agent-pools/([^/]+)/tokens/([^/]+))",
                operatorRoute(ctx, Role::kOperator, revokeEnrollmentToken));
}

}  // namespace corral::master
