// Operator routes for agent pools and their enrollment tokens.

#include "common/time_format.h"
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

}  // namespace

Status readTokenExpiry(const Json& body, Clock& clock, int64_t& expires_at) {
  return readExpiry(body, clock, expires_at);
}

void addPoolRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/api/v1/agent-pools", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kViewer);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto page = queryPage(req);
      if (!page.isOk()) {
        return page.status();
      }
      auto pools = ctx.deps.fleet.listPools(*page);
      if (!pools.isOk()) {
        return pools.status();
      }
      Json items = Json::array();
      for (const auto& p : *pools) {
        items.push_back(toJson(p));
      }
      std::string next =
          static_cast<int>(pools->size()) == page->limit ? pools->back().name : std::string();
      sendJson(res, 200, pageJson(std::move(items), next));
      return Status::ok();
    });
  });

  server.Post("/api/v1/agent-pools", [&ctx](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kOperator);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto body = jsonBody(ctx, req);
      if (!body.isOk()) {
        return body.status();
      }
      Pool pool;
      CORRAL_RETURN_IF_ERROR(
          readFields(*body, [&](proto::FieldReader& r) { readPoolFields(r, pool, true); }));
      auto created = ctx.deps.fleet.createPool(pool, actorOf(*principal, req));
      if (!created.isOk()) {
        return created.status();
      }
      sendJson(res, 201, toJson(*created));
      return Status::ok();
    });
  });

  server.Get(R"(/api/v1/agent-pools/([^/]+))",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               respond(res, [&]() -> Status {
                 auto principal = authorizeOperator(ctx, req, Role::kViewer);
                 if (!principal.isOk()) {
                   return principal.status();
                 }
                 auto pool = ctx.deps.fleet.getPool(req.matches[1]);
                 if (!pool.isOk()) {
                   return pool.status();
                 }
                 sendJson(res, 200, toJson(*pool));
                 return Status::ok();
               });
             });

  server.Put(R"(/api/v1/agent-pools/([^/]+))", [&ctx](const httplib::Request& req,
                                                      httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kOperator);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto body = jsonBody(ctx, req);
      if (!body.isOk()) {
        return body.status();
      }
      auto updated = ctx.deps.fleet.updatePool(
          req.matches[1],
          [&](Pool& p) {
            return readFields(*body, [&](proto::FieldReader& r) { readPoolFields(r, p, false); });
          },
          actorOf(*principal, req));
      if (!updated.isOk()) {
        return updated.status();
      }
      sendJson(res, 200, toJson(*updated));
      return Status::ok();
    });
  });

  server.Delete(R"(/api/v1/agent-pools/([^/]+))", [&ctx](const httplib::Request& req,
                                                         httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kOperator);
      if (!principal.isOk()) {
        return principal.status();
      }
      CORRAL_RETURN_IF_ERROR(ctx.deps.fleet.deletePool(req.matches[1], actorOf(*principal, req)));
      res.status = 204;
      return Status::ok();
    });
  });

  server.Post(R"(/api/v1/agent-pools/([^/]+)/agents)", [&ctx](const httplib::Request& req,
                                                              httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kOperator);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto body = jsonBody(ctx, req);
      if (!body.isOk()) {
        return body.status();
      }
      std::string agent_id;
      CORRAL_RETURN_IF_ERROR(
          readFields(*body, [&](proto::FieldReader& r) { r.string("agent_id", agent_id, true); }));
      auto agent =
          ctx.deps.fleet.addAgentToPool(req.matches[1], agent_id, actorOf(*principal, req));
      if (!agent.isOk()) {
        return agent.status();
      }
      sendJson(res, 200, toJson(*agent));
      return Status::ok();
    });
  });

  server.Delete(R"(/api/v1/agent-pools/([^/]+)/agents/([^/]+))",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                  respond(res, [&]() -> Status {
                    auto principal = authorizeOperator(ctx, req, Role::kOperator);
                    if (!principal.isOk()) {
                      return principal.status();
                    }
                    CORRAL_RETURN_IF_ERROR(ctx.deps.fleet.deleteAgent(
                        req.matches[2], req.matches[1], actorOf(*principal, req)));
                    res.status = 204;
                    return Status::ok();
                  });
                });

  server.Post(R"(/api/v1/agent-pools/([^/]+)/tokens)", [&ctx](const httplib::Request& req,
                                                              httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeOperator(ctx, req, Role::kOperator);
      if (!principal.isOk()) {
        return principal.status();
      }
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
      CORRAL_RETURN_IF_ERROR(readExpiry(*body, ctx.deps.clock, spec.expires_at));
      auto issued = ctx.deps.tokens.create(TokenKind::kEnrollment, spec, actorOf(*principal, req));
      if (!issued.isOk()) {
        return issued.status();
      }
      Json out = toJson(issued->token);
      out["token"] = issued->secret;
      sendJson(res, 201, out);
      return Status::ok();
    });
  });

  server.Get(R"(/api/v1/agent-pools/([^/]+)/tokens)",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               respond(res, [&]() -> Status {
                 auto principal = authorizeOperator(ctx, req, Role::kViewer);
                 if (!principal.isOk()) {
                   return principal.status();
                 }
                 auto pool = ctx.deps.fleet.getPool(req.matches[1]);
                 if (!pool.isOk()) {
                   return pool.status();
                 }
                 auto tokens = ctx.deps.tokens.list(TokenKind::kEnrollment, pool->id);
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

  server.Delete(R"(/api/v1/agent-pools/([^/]+)/tokens/([^/]+))",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                  respond(res, [&]() -> Status {
                    auto principal = authorizeOperator(ctx, req, Role::kOperator);
                    if (!principal.isOk()) {
                      return principal.status();
                    }
                    auto tokens = ctx.deps.tokens.list(TokenKind::kEnrollment, req.matches[1]);
                    if (!tokens.isOk()) {
                      return tokens.status();
                    }
                    bool in_pool = false;
                    for (const auto& t : *tokens) {
                      in_pool = in_pool || t.id == req.matches[2];
                    }
                    if (!in_pool) {
                      return notFound("enrollment token '" + std::string(req.matches[2]) +
                                      "' not found in pool '" + std::string(req.matches[1]) + "'");
                    }
                    CORRAL_RETURN_IF_ERROR(ctx.deps.tokens.revoke(
                        req.matches[2], TokenKind::kEnrollment, actorOf(*principal, req)));
                    res.status = 204;
                    return Status::ok();
                  });
                });
}

}  // namespace corral::master
