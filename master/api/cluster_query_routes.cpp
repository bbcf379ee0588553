// Operator routes that query clusters: the cluster record, its history of summaries, lists of
// each kind of object with filters and pages, and one object with what it relates to. Lists and
// details are answered from the cluster's index (master/inventory), never from the stored
// snapshot, and carry an ETag of the snapshot version and the query.

#include <string>

#include "common/time_format.h"
#include "master/api/cluster_views.h"
#include "master/api/conditional_get.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/fleet/fleet_service.h"
#include "master/inventory/cluster_inventory.h"
#include "master/inventory/list_query.h"
#include "master/inventory/object_detail.h"
#include "master/snapshots/snapshot_service.h"

namespace corral::master {
namespace {

constexpr int kDefaultHistoryLimit = 1000;
constexpr int kMaxHistoryLimit = 10'000;
constexpr int64_t kDefaultHistoryWindowMs = int64_t{24} * 3600 * 1000;

std::string kindList() {
  std::string out;
  for (Kind kind : allKinds()) {
    out += (out.empty() ? "" : ", ") + std::string(kindName(kind));
  }
  return out;
}

Result<Kind> kindOf(const std::string& name) {
  auto kind = parseKindName(name);
  if (!kind) {
    return notFound("a cluster has no kind '" + name + "'; the kinds are " + kindList());
  }
  return *kind;
}

Result<std::shared_ptr<const ClusterIndex>> indexOf(ApiContext& ctx, const std::string& id) {
  auto index = ctx.deps.inventory->current(id);
  if (!index) {
    return notFound("cluster '" + id + "' has no snapshot");
  }
  return index;
}

// How long a cluster may go without a snapshot before it counts as stale: three of the
// intervals agents are told to send them at.
int64_t staleAfterSeconds(const ApiContext& ctx) {
  return int64_t{3} * ctx.deps.fleet.options().snapshot_interval_s;
}

void sendJsonText(httplib::Response& res, std::string body) {
  res.status = 200;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
}

Status getCluster(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  std::string id = req.matches[1];
  auto cluster = ctx.deps.snapshots.getCluster(id);
  if (!cluster.isOk()) {
    return cluster.status();
  }
  auto agent = ctx.deps.fleet.getAgent(cluster->snapshot.agent_id);
  if (!agent.isOk() && agent.status().code() != ErrorCode::kNotFound) {
    return agent.status();
  }
  auto index = ctx.deps.inventory->current(id);
  Json view =
      clusterView(*cluster, agent.isOk() ? &*agent : nullptr, index.get(), staleAfterSeconds(ctx));
  sendTaggedJson(req, res, view.dump());
  return Status::ok();
}

// A time parameter in RFC 3339, as Unix ms; `fallback` when absent.
Result<int64_t> queryTime(const httplib::Request& req, const char* name, int64_t fallback) {
  std::string text = queryString(req, name);
  if (text.empty()) {
    return fallback;
  }
  auto parsed = parseRfc3339(text);
  if (!parsed.isOk()) {
    return invalidArgument("query parameter '" + std::string(name) +
                           "': expected an RFC 3339 time such as 2026-03-14T09:30:00Z, got '" +
                           text + "'");
  }
  return toUnixMillis(*parsed);
}

Status getHistory(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Principal&) {
  std::string id = req.matches[1];
  auto cluster = ctx.deps.snapshots.getCluster(id);
  if (!cluster.isOk()) {
    return cluster.status();
  }
  HistoryRange range;
  auto until = queryTime(req, "until", toUnixMillis(ctx.deps.clock.wallNow()));
  if (!until.isOk()) {
    return until.status();
  }
  auto since = queryTime(req, "since", *until - kDefaultHistoryWindowMs);
  if (!since.isOk()) {
    return since.status();
  }
  if (*since > *until) {
    return invalidArgument("query parameter 'since': must not be after 'until'");
  }
  auto limit = queryInt(req, "limit", kDefaultHistoryLimit, 1, kMaxHistoryLimit);
  if (!limit.isOk()) {
    return limit.status();
  }
  range.since = *since;
  range.until = *until;
  range.limit = *limit;
  std::string after = queryString(req, "continue");
  if (!after.empty()) {
    if (after.size() > 19 || after.find_first_not_of("0123456789") != std::string::npos) {
      return invalidArgument("query parameter 'continue': not a token this master issued");
    }
    range.after_version = std::stoll(after);
  }
  auto entries = ctx.deps.snapshots.history(id, range);
  if (!entries.isOk()) {
    return entries.status();
  }
  Json items = Json::array();
  for (const SnapshotHistoryEntry& e : *entries) {
    items.push_back({{"version", e.version},
                     {"fetched_at", timeJson(e.fetched_at)},
                     {"received_at", timeJson(e.received_at)},
                     {"summary", e.summary},
                     {"counts", e.counts}});
  }
  bool full = static_cast<int>(entries->size()) == range.limit;
  Json page = {{"cluster_id", id},
               {"since", timeJson(range.since)},
               {"until", timeJson(range.until)},
               {"items", std::move(items)},
               {"continue", full ? Json(std::to_string(entries->back().version)) : Json(nullptr)}};
  sendTaggedJson(req, res, page.dump());
  return Status::ok();
}

Status listObjects(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                   const Principal&) {
  std::string id = req.matches[1];
  auto kind = kindOf(req.matches[2]);
  if (!kind.isOk()) {
    return kind.status();
  }
  auto index = indexOf(ctx, id);
  if (!index.isOk()) {
    return index.status();
  }
  auto query = parseListQuery(*kind, req.params);
  if (!query.isOk()) {
    return query.status();
  }
  // The answer depends only on the snapshot and the query, so their tag decides a 304 before
  // any work is done.
  std::string version = std::to_string((*index)->info().version);
  if (answeredNotModified(req, res, etagOf({"list", id, version, canonicalRequest(req)}))) {
    return Status::ok();
  }
  ListPage page = runListQuery(**index, *query);
  sendJsonText(res, renderListPage(**index, *kind, page));
  return Status::ok();
}

// One object: /{kind}/{name} for nodes and namespaces, /{kind}/{namespace}/{name} for the rest.
Status describe(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const std::string& ns, const std::string& name, bool with_namespace) {
  std::string id = req.matches[1];
  auto kind = kindOf(req.matches[2]);
  if (!kind.isOk()) {
    return kind.status();
  }
  if (namespaced(*kind) != with_namespace) {
    std::string plural(kindName(*kind));
    return notFound(namespaced(*kind)
                        ? plural + " are named by namespace and name: /api/v1/clusters/" + id +
                              "/" + plural + "/{namespace}/{name}"
                        : plural + " have no namespace: /api/v1/clusters/" + id + "/" + plural +
                              "/{name}");
  }
  auto index = indexOf(ctx, id);
  if (!index.isOk()) {
    return index.status();
  }
  std::string version = std::to_string((*index)->info().version);
  if (answeredNotModified(req, res, etagOf({"object", id, version, canonicalRequest(req)}))) {
    return Status::ok();
  }
  auto answer = describeObject(**index, *kind, ns, name);
  if (!answer.isOk()) {
    res.headers.erase("ETag");
    return answer.status();
  }
  sendJsonText(res, std::move(*answer));
  return Status::ok();
}

Status describeClusterScoped(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                             const Principal&) {
  return describe(ctx, req, res, "", req.matches[3], false);
}

Status describeNamespaced(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                          const Principal&) {
  return describe(ctx, req, res, req.matches[3], req.matches[4], true);
}

}  // namespace

void addClusterQueryRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.inventory == nullptr) {
    return;
  }
  // After the snapshot routes, whose /clusters/{id}/snapshot the list pattern would also match.
  server.Get(R"(/api/v1/clusters/([^/]+))", operatorRoute(ctx, Role::kViewer, getCluster));
  server.Get(R"(/api/v1/clusters/([^/]+)/history)", operatorRoute(ctx, Role::kViewer, getHistory));
  server.Get(R"(/api/v1/clusters/([^/]+)/([^/]+))", operatorRoute(ctx, Role::kViewer, listObjects));
  server.Get(R"(/api/v1/clusters/([^/]+)/([^/]+)/([^/]+))",
             operatorRoute(ctx, Role::kViewer, describeClusterScoped));
  server.Get(R"(/api/v1/clusters/([^/]+)/([^/]+)/([^/]+)/([^/]+))",
             operatorRoute(ctx, Role::kViewer, describeNamespaced));
}

}  // namespace corral::master
