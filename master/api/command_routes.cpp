// Operator routes for commands: enqueue, list, inspect (optionally waiting for the end), cancel.

#include "master/api/page_answer.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/auth/token_service.h"
#include "master/queue/command_queue.h"
#include "master/queue/durable_command_queue.h"
#include "master/queue/wait_set.h"

namespace corral::master {
namespace {

Status readEnqueue(const Json& body, EnqueueRequest& r) {
  CORRAL_RETURN_IF_ERROR(readFields(body, [&](proto::FieldReader& f) {
    const Json* target = f.raw("target");
    if (target != nullptr) {
      proto::FieldReader t(*target, "target");
      t.string("agent_id", r.agent_id, false, 64);
      t.string("pool_id", r.pool_id, false, 64);
      t.labels("labels", r.labels);
      t.string("cluster_id", r.cluster_id, false, 128);
    } else {
      // The target's fields may also sit at the top level.
      f.string("agent_id", r.agent_id, false, 64);
      f.string("pool_id", r.pool_id, false, 64);
      f.labels("labels", r.labels);
      f.string("cluster_id", r.cluster_id, false, 128);
    }
    f.string("action", r.action, true, 64);
    f.object("params", r.params, false);
    f.integer("timeout_s", r.timeout_s, false, 1, 86'400);
    f.integer("deadline_s", r.deadline_s, false, 1, 7 * 86'400);
    f.integer("max_attempts", r.max_attempts, false, 1, 100);
    f.string("idempotency_key", r.idempotency_key, false, 128);
  }));
  if (!r.labels.empty() && r.pool_id.empty() && r.cluster_id.empty()) {
    return invalidArgument("field 'target.labels': labels narrow a pool or cluster target");
  }
  return Status::ok();
}

Status enqueueCommand(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const Principal& principal) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  EnqueueRequest request;
  CORRAL_RETURN_IF_ERROR(readEnqueue(*body, request));
  if (request.idempotency_key.empty()) {
    request.idempotency_key = req.get_header_value("Idempotency-Key");
  }
  auto enqueued = ctx.deps.queue.enqueue(request, actorOf(principal, req));
  if (!enqueued.isOk()) {
    return enqueued.status();
  }
  res.set_header("Location", "/api/v1/commands/" + enqueued->command.id);
  sendJson(res, enqueued->created ? 201 : 200, toJson(enqueued->command));
  return Status::ok();
}

Status listAllCommands(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                       const Principal&) {
  CommandFilter filter;
  filter.agent_id = queryString(req, "agent_id");
  filter.pool_id = queryString(req, "pool_id");
  return listCommands(ctx, req, filter, res);
}

Status getCommand(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  auto wait_s = queryInt(req, "wait", 0, 0, ctx.options.max_poll_wait_s);
  if (!wait_s.isOk()) {
    return wait_s.status();
  }
  std::string id = req.matches[1];
  auto ticket = ctx.deps.waits.arm(commandKey(id), /*exclusive=*/false);
  SteadyTime deadline = ctx.deps.clock.now() + std::chrono::seconds(*wait_s);
  while (true) {
    ticket->waiter().reset();
    auto command = readValue<CommandRecord>(ctx.deps.store,
                                            [&](StoreTx& tx) { return tx.commands().get(id); });
    if (!command.isOk()) {
      return command.status();
    }
    auto remaining = std::chrono::duration_cast<Millis>(deadline - ctx.deps.clock.now());
    if (isTerminal(command->state) || remaining.count() <= 0) {
      sendJson(res, 200, toJson(*command));
      return Status::ok();
    }
    auto wake = ctx.deps.waits.wait(*ticket, remaining);
    if (wake == WaitSet::Wake::kShutdown) {
      sendJson(res, 200, toJson(*command));
      return Status::ok();
    }
    if (wake == WaitSet::Wake::kNotified) {
      auto still = authorizeOperator(ctx, req, Role::kViewer);
      if (!still.isOk()) {
        return still.status();
      }
    }
  }
}

Status commandLog(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  auto log = readValue<std::string>(ctx.deps.store, [&](StoreTx& tx) -> Result<std::string> {
    auto found = tx.commands().get(req.matches[1]);
    if (!found.isOk()) {
      return found.status();
    }
    return tx.commands().readLog(found->id);
  });
  if (!log.isOk()) {
    return log.status();
  }
  res.status = 200;
  res.set_content(*log, "text/plain; charset=utf-8");
  return Status::ok();
}

Status cancelCommand(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Principal& principal) {
  auto cancelled = ctx.deps.queue.cancel(req.matches[1], actorOf(principal, req));
  if (!cancelled.isOk()) {
    return cancelled.status();
  }
  sendJson(res, 200, toJson(*cancelled));
  return Status::ok();
}

}  // namespace

Status listCommands(ApiContext& ctx, const httplib::Request& req, CommandFilter filter,
                    httplib::Response& res) {
  auto page = querySeqPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  if (filter.state.empty()) {
    filter.state = queryString(req, "state");
  }
  if (!filter.state.empty() && !parseCommandState(filter.state)) {
    return invalidArgument(
        "query parameter 'state': expected one of queued, leased, running, succeeded, failed, "
        "cancelled, expired");
  }
  filter.action = queryString(req, "action");
  auto commands = readValue<std::vector<CommandRecord>>(
      ctx.deps.store, [&](StoreTx& tx) { return tx.commands().list(filter, *page); });
  if (!commands.isOk()) {
    return commands.status();
  }
  sendPage(res, *page, *commands, [](const CommandRecord& c) { return std::to_string(c.seq); });
  return Status::ok();
}

void addCommandRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Post("/api/v1/commands", operatorRoute(ctx, Role::kOperator, enqueueCommand));
  server.Get("/api/v1/commands", operatorRoute(ctx, Role::kViewer, listAllCommands));
  server.Get(R"(/api/v1/commands/([^/]+))", operatorRoute(ctx, Role::kViewer, getCommand));
  server.Get(R"(/api/v1/commands/([^/]+)/logs)", operatorRoute(ctx, Role::kViewer, commandLog));
  server.Post(R"(/api/v1/commands/([^/]+)/cancel)",
              operatorRoute(ctx, Role::kOperator, cancelCommand));
}

}  // namespace corral::master
