// Operator routes for agents: list, inspect, edit, delete, and manage their credentials.

#include "master/api/page_answer.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/fleet/fleet_service.h"
#include "master/queue/command_queue.h"

namespace corral::master {
namespace {

Status listAgents(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  auto page = queryPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  AgentFilter filter;
  filter.pool_id = queryString(req, "pool_id");
  filter.status = queryString(req, "status");
  auto labels = parseLabelSelector(queryString(req, "label"), "label");
  if (!labels.isOk()) {
    return labels.status();
  }
  filter.labels = std::move(*labels);
  auto agents = ctx.deps.fleet.listAgents(filter, *page);
  if (!agents.isOk()) {
    return agents.status();
  }
  sendPage(res, *page, *agents, [](const Agent& a) { return a.id; });
  return Status::ok();
}

Status getAgent(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Principal&) {
  auto agent = ctx.deps.fleet.getAgent(req.matches[1]);
  if (!agent.isOk()) {
    return agent.status();
  }
  sendJson(res, 200, toJson(*agent));
  return Status::ok();
}

Status agentStatus(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                   const Principal&) {
  auto agent = ctx.deps.fleet.getAgent(req.matches[1]);
  if (!agent.isOk()) {
    return agent.status();
  }
  Json full = toJson(*agent);
  sendJson(res, 200,
           {{"id", agent->id},
            {"status", agent->status},
            {"status_message", agent->status_message},
            {"last_heartbeat", full["last_heartbeat"]},
            {"polling", ctx.deps.waits.isWaiting(agent->id)},
            {"slots", full["slots"]},
            {"load", agent->load},
            {"tasks", full["tasks"]}});
  return Status::ok();
}

Status editAgent(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Principal& principal) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  auto updated = ctx.deps.fleet.updateAgent(
      req.matches[1],
      [&](Agent& a) {
        return readFields(*body, [&](proto::FieldReader& r) {
          r.labels("labels", a.labels);
          r.string("description", a.description, false, 1024);
          r.boolean("drain", a.drain, false);
        });
      },
      actorOf(principal, req));
  if (!updated.isOk()) {
    return updated.status();
  }
  sendJson(res, 200, toJson(*updated));
  return Status::ok();
}

Status deleteAgent(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                   const Principal& principal) {
  CORRAL_RETURN_IF_ERROR(ctx.deps.fleet.deleteAgent(req.matches[1], "", actorOf(principal, req)));
  res.status = 204;
  return Status::ok();
}

Status regenerateToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                       const Principal& principal) {
  auto secret = ctx.deps.fleet.regenerateToken(req.matches[1], actorOf(principal, req));
  if (!secret.isOk()) {
    return secret.status();
  }
  sendJson(res, 200, {{"agent_id", std::string(req.matches[1])}, {"agent_token", *secret}});
  return Status::ok();
}

Status revokeToken(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                   const Principal& principal) {
  CORRAL_RETURN_IF_ERROR(ctx.deps.fleet.revokeToken(req.matches[1], actorOf(principal, req)));
  res.status = 204;
  return Status::ok();
}

Status agentCommands(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Principal&) {
  auto agent = ctx.deps.fleet.getAgent(req.matches[1]);
  if (!agent.isOk()) {
    return agent.status();
  }
  CommandFilter filter;
  filter.agent_id = agent->id;
  filter.state = queryString(req, "state");
  return listCommands(ctx, req, filter, res);
}

}  // namespace

void addAgentAdminRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Get("/api/v1/agents", operatorRoute(ctx, Role::kViewer, listAgents));
  server.Get(R"(/api/v1/agents/([^/]+))", operatorRoute(ctx, Role::kViewer, getAgent));
  server.Get(R"(/api/v1/agents/([^/]+)/status)", operatorRoute(ctx, Role::kViewer, agentStatus));
  server.Put(R"(/api/v1/agents/([^/]+))", operatorRoute(ctx, Role::kOperator, editAgent));
  server.Delete(R"(/api/v1/agents/([^/]+))", operatorRoute(ctx, Role::kOperator, deleteAgent));
  server.Post(R"(/api/v1/agents/([^/]+)/regenerate-token)",
              operatorRoute(ctx, Role::kOperator, regenerateToken));
  server.Post(R"(/api/v1/agents/([^/]+)/revoke-token)",
              operatorRoute(ctx, Role::kOperator, revokeToken));
  server.Get(R"(/api/v1/agents/([^/]+)/commands)",
             operatorRoute(ctx, Role::kViewer, agentCommands));
}

}  // namespace corral::master
