// GET /api/v1/overview: every cluster and every runner pool with their health at a glance, in one
// answer, for the top of a dashboard.

#include <map>
#include <vector>

#include "master/api/cluster_views.h"
#include "master/api/conditional_get.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/fleet/fleet_service.h"
#include "master/inventory/cluster_inventory.h"
#include "master/snapshots/snapshot_service.h"

namespace corral::master {
namespace {

constexpr int kPageSize = 500;

// Every page of a list read through `read(page) -> Result<std::vector<T>>`, whose position is
// `position(last record)`.
template <typename T, typename ReadFn, typename PositionFn>
Result<std::vector<T>> readAll(ReadFn read, PositionFn position) {
  std::vector<T> all;
  Page page;
  page.limit = kPageSize;
  while (true) {
    auto batch = read(page);
    if (!batch.isOk()) {
      return batch.status();
    }
    bool last = static_cast<int>(batch->size()) < page.limit;
    if (!batch->empty()) {
      page.after = position(batch->back());
    }
    for (auto& record : *batch) {
      all.push_back(std::move(record));
    }
    if (last) {
      return all;
    }
  }
}

Status overview(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Principal&) {
  auto clusters =
      readAll<ClusterStatus>([&](const Page& p) { return ctx.deps.snapshots.listClusters(p); },
                             [](const ClusterStatus& c) { return c.snapshot.cluster_id; });
  if (!clusters.isOk()) {
    return clusters.status();
  }
  auto pools = readAll<Pool>([&](const Page& p) { return ctx.deps.fleet.listPools(p); },
                             [](const Pool& p) { return p.name; });
  if (!pools.isOk()) {
    return pools.status();
  }
  auto agents =
      readAll<Agent>([&](const Page& p) { return ctx.deps.fleet.listAgents(AgentFilter{}, p); },
                     [](const Agent& a) { return a.id; });
  if (!agents.isOk()) {
    return agents.status();
  }
  std::map<std::string, const Agent*> by_id;
  std::map<std::string, std::vector<const Agent*>> by_pool;
  for (const Agent& a : *agents) {
    by_id[a.id] = &a;
    by_pool[a.pool_id].push_back(&a);
  }

  int64_t stale_after_s = int64_t{3} * ctx.deps.fleet.options().snapshot_interval_s;
  std::map<std::string, int64_t> cluster_health;
  Json cluster_items = Json::array();
  for (const ClusterStatus& c : *clusters) {
    auto agent = by_id.find(c.snapshot.agent_id);
    auto index = ctx.deps.inventory->current(c.snapshot.cluster_id);
    Json view =
        clusterView(c, agent == by_id.end() ? nullptr : agent->second, index.get(), stale_after_s);
    ++cluster_health[view["health"].get<std::string>()];
    cluster_items.push_back(std::move(view));
  }
  std::map<std::string, int64_t> pool_health;
  Json pool_items = Json::array();
  for (const Pool& pool : *pools) {
    Json view = poolView(pool, by_pool[pool.id]);
    ++pool_health[view["health"].get<std::string>()];
    pool_items.push_back(std::move(view));
  }
  std::map<std::string, int64_t> agent_status;
  for (const Agent& a : *agents) {
    ++agent_status[a.status != "offline" && a.drain ? "draining" : a.status];
  }
  Json agent_counts(agent_status);
  agent_counts["total"] = static_cast<int64_t>(agents->size());
  Json body = {{"clusters", std::move(cluster_items)},
               {"pools", std::move(pool_items)},
               {"totals",
                {{"clusters", static_cast<int64_t>(clusters->size())},
                 {"clusters_by_health", cluster_health},
                 {"pools", static_cast<int64_t>(pools->size())},
                 {"pools_by_health", pool_health},
                 {"agents", std::move(agent_counts)}}}};
  sendTaggedJson(req, res, body.dump());
  return Status::ok();
}

}  // namespace

void addOverviewRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.inventory == nullptr) {
    return;
  }
  server.Get("/api/v1/overview", operatorRoute(ctx, Role::kViewer, overview));
}

}  // namespace corral::master
