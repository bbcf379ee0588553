// The routes agents call: register, heartbeat, long-poll for commands, progress and results.

#include "common/time_format.h"
#include "master/api/routes.h"
#include "master/auth/token_service.h"
#include "master/fleet/fleet_service.h"
#include "master/queue/command_queue.h"
#include "master/queue/wait_set.h"
#include "proto-json/messages.h"

namespace corral::master {
namespace {

template <typename T>
Result<T> decodeBody(const ApiContext& ctx, const httplib::Request& req) {
  auto body = jsonBody(ctx, req);
  if (!body.isOk()) {
    return body.status();
  }
  return proto::decode<T>(*body);
}

proto::Command wireCommand(const CommandRecord& c) {
  proto::Command w;
  w.id = c.id;
  w.action = c.action;
  w.params = c.params;
  w.fence = c.attempts;
  w.attempt = c.attempts;
  w.timeout_s = c.timeout_s;
  w.created_at = formatRfc3339(fromUnixMillis(c.created_at));
  return w;
}

// Answers the agent's poll: 200 once the queue has news for it (commands, cancellations) or an
// enqueue hands it commands, 204 when `wait_s` passes first. `ticket` is armed for the agent.
Status answerPoll(ApiContext& ctx, const httplib::Request& req, WaitSet::Ticket& ticket,
                  const std::string& agent_id, int wait_s, int max, httplib::Response& res) {
  auto& waits = ctx.deps.waits;
  Clock& clock = ctx.deps.clock;
  SteadyTime deadline = clock.now() + std::chrono::seconds(wait_s);
  while (true) {
    ticket.waiter().reset();
    auto lease = ctx.deps.queue.lease(agent_id, max);
    if (!lease.isOk()) {
      return lease.status();
    }
    if (lease->news) {
      proto::PollResponse out;
      for (const auto& c : lease->commands) {
        out.commands.push_back(wireCommand(c));
      }
      out.cancel = std::move(lease->cancel);
      sendJson(res, 200, Json(out));
      return Status::ok();
    }
    auto remaining = std::chrono::duration_cast<Millis>(deadline - clock.now());
    if (remaining.count() <= 0) {
      res.status = 204;
      return Status::ok();
    }
    auto wake = waits.wait(ticket, remaining);
    if (wake == WaitSet::Wake::kHandedOff) {
      // An enqueue leased its command to this poll and committed it; deliver as is.
      proto::PollResponse out;
      for (const auto& c : ticket.waiter().takeHandedOff()) {
        out.commands.push_back(wireCommand(c));
      }
      sendJson(res, 200, Json(out));
      return Status::ok();
    }
    if (wake == WaitSet::Wake::kSuperseded) {
      // A newer poll of the same agent took over. This one is usually a dead connection; if it
      // is not, two processes share one credential, and answering 409 (which agents back off
      // on) keeps them from taking turns at full speed.
      return conflict(
          "superseded by a newer poll of the same agent; if this agent is alive, "
          "another process is using its credential");
    }
    if (wake != WaitSet::Wake::kNotified) {
      res.status = 204;
      return Status::ok();
    }
    // Woken: the token may have been revoked meanwhile.
    auto still = authorizeAgent(ctx, req);
    if (!still.isOk()) {
      return still.status();
    }
  }
}

void poll(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  respond(res, [&]() -> Status {
    auto principal = authorizeAgent(ctx, req);
    if (!principal.isOk()) {
      return principal.status();
    }
    auto wait_s =
        queryInt(req, "wait", ctx.options.default_poll_wait_s, 0, ctx.options.max_poll_wait_s);
    if (!wait_s.isOk()) {
      return wait_s.status();
    }
    auto max = queryInt(req, "max", 1, 1, 64);
    if (!max.isOk()) {
      return max.status();
    }
    const std::string& agent_id = principal->agent_id;
    // Arm before the first look at the queue so that an enqueue racing with it still wakes us.
    auto ticket = ctx.deps.waits.arm(agent_id, /*exclusive=*/true);
    Status answered = answerPoll(ctx, req, *ticket, agent_id, *wait_s, *max, res);
    if (answered.isOk()) {
      // An answered poll is a sign of life, recorded while the ticket still shows the poll as
      // parked: the liveness monitor never finds the agent neither polling nor heard from.
      ctx.deps.fleet.pollEnded(agent_id);
    }
    return answered;
  });
}

}  // namespace

void addAgentRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Post(
      "/api/v1/agent/register", [&ctx](const httplib::Request& req, httplib::Response& res) {
        respond(res, [&]() -> Status {
          auto principal = ctx.deps.tokens.authenticate(bearerToken(req), TokenKind::kEnrollment);
          if (!principal.isOk()) {
            return principal.status();
          }
          auto request = decodeBody<proto::RegisterRequest>(ctx, req);
          if (!request.isOk()) {
            return request.status();
          }
          auto reg = ctx.deps.fleet.registerAgent(*principal, *request, actorOf(*principal, req));
          if (!reg.isOk()) {
            return reg.status();
          }
          sendJson(res, reg->created ? 201 : 200, Json(reg->response));
          return Status::ok();
        });
      });

  server.Post("/api/v1/agent/heartbeat",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                respond(res, [&]() -> Status {
                  auto principal = authorizeAgent(ctx, req);
                  if (!principal.isOk()) {
                    return principal.status();
                  }
                  auto request = decodeBody<proto::HeartbeatRequest>(ctx, req);
                  if (!request.isOk()) {
                    return request.status();
                  }
                  auto response = ctx.deps.fleet.heartbeat(principal->agent_id, *request);
                  if (!response.isOk()) {
                    return response.status();
                  }
                  sendJson(res, 200, Json(*response));
                  return Status::ok();
                });
              });

  server.Get("/api/v1/agent/commands",
             [&ctx](const httplib::Request& req, httplib::Response& res) { poll(ctx, req, res); });

  server.Post(R"(/api/v1/agent/commands/([^/]+)/progress)",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                respond(res, [&]() -> Status {
                  auto principal = authorizeAgent(ctx, req);
                  if (!principal.isOk()) {
                    return principal.status();
                  }
                  auto request = decodeBody<proto::ProgressRequest>(ctx, req);
                  if (!request.isOk()) {
                    return request.status();
                  }
                  auto ack = ctx.deps.queue.progress(principal->agent_id, req.matches[1],
                                                     request->fence, request->offset, request->log);
                  if (!ack.isOk()) {
                    return ack.status();
                  }
                  proto::ProgressResponse out{ack->cancel_requested, ack->next_offset};
                  sendJson(res, 200, Json(out));
                  return Status::ok();
                });
              });

  server.Post(R"(/api/v1/agent/commands/([^/]+)/result)", [&ctx](const httplib::Request& req,
                                                                 httplib::Response& res) {
    respond(res, [&]() -> Status {
      auto principal = authorizeAgent(ctx, req);
      if (!principal.isOk()) {
        return principal.status();
      }
      auto request = decodeBody<proto::ResultRequest>(ctx, req);
      if (!request.isOk()) {
        return request.status();
      }
      CompletionReport report{request->fence, request->success, request->data, request->error};
      auto done = ctx.deps.queue.complete(principal->agent_id, req.matches[1], report);
      if (!done.isOk()) {
        return done.status();
      }
      sendJson(res, 200, {{"id", done->id}, {"state", commandStateName(done->state)}});
      return Status::ok();
    });
  });
}

}  // namespace corral::master
