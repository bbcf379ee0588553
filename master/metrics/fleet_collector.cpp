#include "master/metrics/fleet_collector.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "master/scheduling/agent_selector.h"

namespace corral::master {
namespace {

using metrics::FamilyData;
using metrics::gaugeFamily;
using metrics::LabelValues;

// Every status an agent record can have; each pool shows all of them, zeros included, so that a
// rule can compare a status' count with 0 rather than test for an absent series.
constexpr std::array<const char*, 5> kAgentStatuses = {"online", "busy", "draining", "error",
                                                       "offline"};
constexpr std::array<CommandState, 7> kCommandStates = {
    CommandState::kQueued,    CommandState::kLeased, CommandState::kRunning,
    CommandState::kSucceeded, CommandState::kFailed, CommandState::kCancelled,
    CommandState::kExpired};

double secondsSince(int64_t now_ms, int64_t then_ms) {
  return static_cast<double>(std::max<int64_t>(0, now_ms - then_ms)) / 1000.0;
}

// Names by id, for labels; a missing record (deleted between reads, which one read transaction
// rules out) shows as its id.
struct Names {
  std::map<std::string, const Pool*> pools;
  std::map<std::string, const Agent*> agents;

  explicit Names(const FleetView& view) {
    for (const auto& p : view.pools) {
      pools[p.id] = &p;
    }
    for (const auto& a : view.agents) {
      agents[a.id] = &a;
    }
  }
  std::string pool(const std::string& id) const {
    auto it = pools.find(id);
    return it == pools.end() ? id : it->second->name;
  }
  std::string agent(const std::string& id) const {
    auto it = agents.find(id);
    return it == agents.end() ? id : it->second->name;
  }
  std::string poolOfAgent(const std::string& id) const {
    auto it = agents.find(id);
    return it == agents.end() ? std::string() : pool(it->second->pool_id);
  }
};

// Commands an agent holds as the master counts them: assigned to it and queued, leased or
// running.
std::map<std::string, int64_t> heldByAgent(const FleetView& view) {
  std::map<std::string, int64_t> held;
  for (const auto& c : view.active) {
    if (!c.agent_id.empty()) {
      held[c.agent_id] += c.count;
    }
  }
  return held;
}

void agentFamilies(const FleetView& view, const Names& names, int64_t now_ms,
                   std::vector<FamilyData>& out) {
  FamilyData by_status =
      gaugeFamily("corral_agents", "Agents by pool and status.", {"pool", "status"});
  std::map<std::string, std::map<std::string, int64_t>> counts;  // pool name -> status -> n
  for (const auto& p : view.pools) {
    for (const char* status : kAgentStatuses) {
      counts[p.name][status] = 0;
    }
  }
  FamilyData available = gaugeFamily(
      "corral_pool_available_agents",
      "Agents of the pool that could take a pool command now: live, not draining, carrying the "
      "pool's required labels, with a free slot.",
      {"pool"});
  std::map<std::string, int64_t> available_counts;
  for (const auto& p : view.pools) {
    available_counts[p.name] = 0;
  }
  std::vector<std::string> per_agent = {"pool", "agent", "agent_id"};
  FamilyData age = gaugeFamily(
      "corral_agent_heartbeat_age_seconds",
      "Seconds since the agent's last heartbeat, poll or snapshot. A poll parked on the master "
      "counts only when it returns, so this may reach agents.poll_wait for a healthy agent.",
      per_agent);
  FamilyData up =
      gaugeFamily("corral_agent_up", "1 when the agent is not offline, else 0.", per_agent);
  FamilyData slots = gaugeFamily("corral_agent_slots", "Slots the agent reported.", per_agent);
  FamilyData used = gaugeFamily(
      "corral_agent_slots_used",
      "Slots in use: the larger of what the agent reported and the commands the master has "
      "assigned or leased to it.",
      per_agent);

  auto held = heldByAgent(view);
  for (const auto& a : view.agents) {
    std::string pool = names.pool(a.pool_id);
    counts[pool][a.status] += 1;
    LabelValues labels = {pool, a.name, a.id};
    int64_t in_use = std::max<int64_t>(a.slots_used, held[a.id]);
    age.add(labels, secondsSince(now_ms, a.last_heartbeat));
    up.add(labels, a.status == "offline" ? 0 : 1);
    slots.add(labels, a.slots_total);
    used.add(std::move(labels), static_cast<double>(in_use));

    auto p = names.pools.find(a.pool_id);
    bool live = a.status != "offline" && a.status != "draining" && a.status != "error" && !a.drain;
    if (p != names.pools.end() && live && in_use < a.slots_total &&
        AgentSelector::labelsMatch(a.labels, p->second->required_labels)) {
      available_counts[pool] += 1;
    }
  }
  for (const auto& [pool, statuses] : counts) {
    for (const auto& [status, n] : statuses) {
      by_status.add({pool, status}, static_cast<double>(n));
    }
  }
  for (const auto& [pool, n] : available_counts) {
    available.add({pool}, static_cast<double>(n));
  }
  out.push_back(std::move(by_status));
  out.push_back(std::move(available));
  out.push_back(std::move(age));
  out.push_back(std::move(up));
  out.push_back(std::move(slots));
  out.push_back(std::move(used));
}

void commandFamily(const FleetView& view, std::vector<FamilyData>& out) {
  std::map<std::string, std::map<std::string, int64_t>> by_action;  // action -> state -> n
  std::map<std::string, int64_t> totals;
  for (const auto& c : view.commands) {
    by_action[c.action][c.state] += c.count;
    totals[c.action] += c.count;
  }
  if (by_action.size() > kMaxActionSeries) {
    std::vector<std::pair<int64_t, std::string>> ranked;
    ranked.reserve(totals.size());
    for (const auto& [action, n] : totals) {
      ranked.emplace_back(n, action);
    }
    // The most used keep their own series; ties go to the earlier name, so the choice is stable.
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::map<std::string, int64_t> other;
    for (size_t i = kMaxActionSeries - 1; i < ranked.size(); ++i) {
      for (const auto& [state, n] : by_action[ranked[i].second]) {
        other[state] += n;
      }
      by_action.erase(ranked[i].second);
    }
    for (const auto& [state, n] : other) {
      by_action["other"][state] += n;
    }
  }
  FamilyData family = gaugeFamily(
      "corral_commands", "Commands kept by the master, by state and action.", {"state", "action"});
  for (const auto& [action, states] : by_action) {
    for (CommandState state : kCommandStates) {
      auto it = states.find(commandStateName(state));
      family.add({commandStateName(state), action},
                 it == states.end() ? 0 : static_cast<double>(it->second));
    }
  }
  out.push_back(std::move(family));
}

void queueFamily(const FleetView& view, const Names& names, std::vector<FamilyData>& out) {
  std::map<LabelValues, int64_t> depth;
  // Every pool shows its unassigned backlog, zero included.
  for (const auto& p : view.pools) {
    depth[{"pool", p.name, "", ""}] = 0;
  }
  for (const auto& c : view.active) {
    if (c.state != "queued") {
      continue;
    }
    std::string pool = !c.target_pool_id.empty() ? names.pool(c.target_pool_id)
                       : !c.agent_id.empty()     ? names.poolOfAgent(c.agent_id)
                                                 : std::string();
    std::string agent = c.agent_id.empty() ? std::string() : names.agent(c.agent_id);
    depth[{c.target_type, pool, agent, c.target_cluster_id}] += c.count;
  }
  FamilyData family = gaugeFamily(
      "corral_queue_depth",
      "Queued commands by target kind (agent, pool, cluster), the pool they wait in, the agent "
      "they are assigned to (empty: not yet) and the cluster they aim at.",
      {"target", "pool", "agent", "cluster"});
  for (auto& [labels, n] : depth) {
    family.add(labels, static_cast<double>(n));
  }
  out.push_back(std::move(family));
}

void snapshotFamily(const FleetView& view, int64_t now_ms, std::vector<FamilyData>& out) {
  FamilyData family =
      gaugeFamily("corral_snapshot_age_seconds",
                  "Seconds since the master stored the cluster's latest snapshot.", {"cluster"});
  for (const auto& c : view.clusters) {
    family.add({c.cluster_id}, secondsSince(now_ms, c.received_at));
  }
  out.push_back(std::move(family));
}

}  // namespace

FleetCollector::FleetCollector(Store& store, const WaitSet& waits, const Clock& clock)
    : store_(store), waits_(waits), clock_(clock) {}

Result<std::vector<metrics::FamilyData>> FleetCollector::collect() {
  auto view = readFleetView(store_);
  if (!view.isOk()) {
    return view.status();
  }
  return fleetFamilies(*view, toUnixMillis(clock_.wallNow()), waits_.parked());
}

std::vector<metrics::FamilyData> fleetFamilies(const FleetView& view, int64_t now_ms,
                                               size_t parked) {
  std::vector<FamilyData> out;
  Names names(view);
  agentFamilies(view, names, now_ms, out);
  commandFamily(view, out);
  queueFamily(view, names, out);
  snapshotFamily(view, now_ms, out);
  FamilyData polls = gaugeFamily(
      "corral_parked_polls",
      "Requests parked in a long-poll right now: agents' command polls and operators' command "
      "waits.");
  polls.add({}, static_cast<double>(parked));
  out.push_back(std::move(polls));
  return out;
}

}  // namespace corral::master
