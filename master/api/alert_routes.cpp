// Operator routes for alerts: the list with its filters, one alert, and the acknowledgement.

#include <algorithm>

#include "common/time_format.h"
#include "master/alerts/alert_json.h"
#include "master/alerts/alert_service.h"
#include "master/alerts/rule_set.h"
#include "master/api/page_answer.h"
#include "master/api/routes.h"

namespace corral::master {

// The operator view of an alert; page_answer.h finds it by its argument's type.
Json toJson(const AlertRecord& alert) { return alertJson(alert); }

namespace {

Status expected(const char* name, const std::string& what, const std::string& got) {
  return invalidArgument("query parameter '" + std::string(name) + "': expected " + what +
                         ", got '" + got + "'");
}

// One of `allowed`, or empty when absent; 422 naming the parameter otherwise.
Result<std::string> queryChoice(const httplib::Request& req, const char* name,
                                const std::vector<std::string_view>& allowed,
                                const std::string& what) {
  std::string value = queryString(req, name);
  if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return value;
  }
  return expected(name, what, value);
}

Result<AlertFilter> readFilter(const httplib::Request& req) {
  AlertFilter f;
  auto state = queryChoice(req, "state", {kAlertFiring, kAlertResolved}, "firing or resolved");
  auto severity =
      queryChoice(req, "severity", {"critical", "warning", "info"}, "critical, warning or info");
  auto rule = queryChoice(req, "rule", allAlertRuleNames(), "the name of an alert rule");
  for (const auto* choice : {&state, &severity, &rule}) {
    if (!choice->isOk()) {
      return choice->status();
    }
  }
  f.state = *state;
  f.severity = *severity;
  f.rule = *rule;
  f.cluster_id = queryString(req, "cluster");
  f.fingerprint = queryString(req, "fingerprint");
  std::string acknowledged = queryString(req, "acknowledged");
  if (acknowledged == "true" || acknowledged == "false") {
    f.acknowledged = acknowledged == "true";
  } else if (!acknowledged.empty()) {
    return expected("acknowledged", "true or false", acknowledged);
  }
  std::string since = queryString(req, "since");
  if (!since.empty()) {
    auto parsed = parseRfc3339(since);
    if (!parsed.isOk()) {
      return expected("since", "an RFC 3339 time such as 2026-03-14T09:30:00Z", since);
    }
    f.since = toUnixMillis(*parsed);
  }
  return f;
}

Status listAlerts(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  auto page = querySeqPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  auto filter = readFilter(req);
  if (!filter.isOk()) {
    return filter.status();
  }
  auto alerts = ctx.deps.alerts->list(*filter, *page);
  if (!alerts.isOk()) {
    return alerts.status();
  }
  sendPage(res, *page, *alerts, [](const AlertRecord& a) { return std::to_string(a.seq); });
  return Status::ok();
}

Status getAlert(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Principal&) {
  auto alert = ctx.deps.alerts->get(req.matches[1]);
  if (!alert.isOk()) {
    return alert.status();
  }
  sendJson(res, 200, alertJson(*alert));
  return Status::ok();
}

Status acknowledgeAlert(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                        const Principal& principal) {
  auto body = jsonBody(ctx, req, /*allow_empty=*/true);
  if (!body.isOk()) {
    return body.status();
  }
  std::string comment;
  CORRAL_RETURN_IF_ERROR(
      readFields(*body, [&](proto::FieldReader& r) { r.string("comment", comment, false, 1024); }));
  auto alert = ctx.deps.alerts->acknowledge(req.matches[1], actorOf(principal, req), comment);
  if (!alert.isOk()) {
    return alert.status();
  }
  sendJson(res, 200, alertJson(*alert));
  return Status::ok();
}

}  // namespace

void addAlertRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.alerts == nullptr) {
    return;
  }
  server.Get("/api/v1/alerts", operatorRoute(ctx, Role::kViewer, listAlerts));
  server.Get(R"(/api/v1/alerts/([^/]+))", operatorRoute(ctx, Role::kViewer, getAlert));
  server.Post(R"(/api/v1/alerts/([^/]+)/ack)",
              operatorRoute(ctx, Role::kOperator, acknowledgeAlert));
}

}  // namespace corral::master
