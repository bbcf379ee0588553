#include "master/api/cluster_views.h"

#include <map>
#include <string>

#include "master/api/views.h"

namespace corral::master {
namespace {

// A count from the agent's summary; 0 when absent or not a number (summaries are as sent).
int64_t summaryCount(const Json& summary, const char* key) {
  auto it = summary.find(key);
  return it != summary.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

Json agentBrief(const Agent& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"pool_id", a.pool_id},
          {"status", a.status},
          {"last_heartbeat", timeJson(a.last_heartbeat)}};
}

}  // namespace

Json clusterView(const ClusterStatus& cluster, const Agent* agent, const ClusterIndex* index,
                 int64_t stale_after_s) {
  Json view = toJson(cluster);
  view["agent"] = agent != nullptr ? agentBrief(*agent) : Json(nullptr);
  view["counts"] = index != nullptr ? objectCounts(*index) : Json(nullptr);
  view["index_bytes"] =
      index != nullptr ? Json(static_cast<int64_t>(index->memoryBytes())) : Json(nullptr);
  bool stale = cluster.staleness_s > stale_after_s;
  view["stale"] = stale;

  Json problems = Json::array();
  const Json& summary = cluster.snapshot.summary;
  for (auto [key, what] : {std::pair("nodes_not_ready", " node(s) not ready"),
                           std::pair("pods_with_problems", " pod(s) with problems"),
                           std::pair("deployments_unhealthy", " deployment(s) unhealthy")}) {
    if (int64_t n = summaryCount(summary, key); n > 0) {
      problems.push_back(std::to_string(n) + what);
    }
  }
  for (const auto& [kind, message] : cluster.snapshot.errors.items()) {
    problems.push_back("'" + kind + "' could not be read: " +
                       (message.is_string() ? message.get<std::string>() : message.dump()));
  }
  bool offline = agent == nullptr || agent->status == "offline";
  if (offline) {
    problems.insert(problems.begin(), agent == nullptr ? "the agent that sent the snapshot is gone"
                                                       : "the agent is offline");
  }
  if (stale) {
    problems.insert(problems.begin(),
                    "no snapshot for " + std::to_string(cluster.staleness_s) + " s");
  }
  const char* health = "ok";
  if (offline) {
    health = "offline";
  } else if (stale) {
    health = "stale";
  } else if (!problems.empty()) {
    health = "degraded";
  }
  view["health"] = health;
  view["problems"] = std::move(problems);
  return view;
}

Json poolView(const Pool& pool, const std::vector<const Agent*>& agents) {
  std::map<std::string, int64_t> by_status{
      {"online", 0}, {"busy", 0}, {"draining", 0}, {"error", 0}, {"offline", 0}};
  int64_t slots_total = 0;
  int64_t slots_used = 0;
  for (const Agent* a : agents) {
    bool live = a->status != "offline";
    ++by_status[live && a->drain ? "draining" : a->status];
    if (live) {
      slots_total += a->slots_total;
      slots_used += a->slots_used;
    }
  }
  auto total = static_cast<int64_t>(agents.size());
  int64_t live = total - by_status["offline"];
  Json counts(by_status);
  counts["total"] = total;
  const char* health = "ok";
  if (total == 0) {
    health = "empty";
  } else if (live == 0) {
    health = "down";
  } else if (live < total) {
    health = "degraded";
  }
  return {{"id", pool.id},
          {"name", pool.name},
          {"pool_type", pool.pool_type},
          {"agents", std::move(counts)},
          {"slots",
           {{"total", slots_total},
            {"used", slots_used},
            {"free", std::max<int64_t>(0, slots_total - slots_used)}}},
          {"health", health}};
}

}  // namespace corral::master
