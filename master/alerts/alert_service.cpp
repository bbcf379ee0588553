#include "master/alerts/alert_service.h"

#include <utility>

#include "spdlog/spdlog.h"

namespace corral::master {
namespace {

constexpr int64_t kPruneEveryMs = 3'600'000;
constexpr int kReadPage = 500;

// Reads every row of a paged list: `next(page)` returns one page, `position(last)` the cursor
// after it.
template <typename T, typename NextFn, typename PositionFn>
Status readAll(std::vector<T>& out, NextFn next, PositionFn position) {
  Page page{"", kReadPage};
  while (true) {
    auto rows = next(page);
    if (!rows.isOk()) {
      return rows.status();
    }
    bool full = static_cast<int>(rows->size()) == page.limit;
    for (auto& row : *rows) {
      out.push_back(std::move(row));
    }
    if (!full || out.empty()) {
      return Status::ok();
    }
    page.after = position(out.back());
  }
}

AgentFacts agentFacts(const Agent& agent, const std::map<std::string, std::string>& pools) {
  AgentFacts f;
  f.id = agent.id;
  f.name = agent.name;
  f.pool_id = agent.pool_id;
  if (auto it = pools.find(agent.pool_id); it != pools.end()) {
    f.pool = it->second;
  }
  f.cluster_id = agent.cluster_id;
  f.status = agent.status;
  f.last_heartbeat = agent.last_heartbeat;
  return f;
}

}  // namespace

AlertService::AlertService(Store& store, Clock& clock, AlertRules rules,
                           AlertServiceOptions options, std::vector<AlertNotifier*> notifiers)
    : store_(store),
      clock_(clock),
      options_(options),
      notifiers_(std::move(notifiers)),
      engine_(std::move(rules)) {}

Status AlertService::start() {
  std::lock_guard lock(mutex_);
  return loadLocked(nowMs());
}

bool AlertService::hasSnapshotRules() const { return engine_.hasSnapshotRules(); }
bool AlertService::hasLivenessRules() const { return engine_.hasLivenessRules(); }

Status AlertService::loadLocked(int64_t now) {
  loaded_ = false;
  auto firing = readValue<std::vector<AlertRecord>>(
      store_, [](StoreTx& tx) { return tx.alerts().listFiring(); });
  if (!firing.isOk()) {
    return firing.status();
  }
  std::vector<AlertChange> retired = engine_.load(std::move(*firing), now);
  loaded_ = true;
  // Alerts of rules that no longer run are resolved now; a failure here leaves loaded_ false,
  // so the next evaluation tries again.
  auto committed = commitLocked(std::move(retired));
  if (!committed.isOk()) {
    return committed.status();
  }
  if (!committed->empty()) {
    spdlog::info("alerts: resolved {} alert(s) of rules that no longer run", committed->size());
  }
  return Status::ok();
}

Result<std::vector<AlertChange>> AlertService::commitLocked(std::vector<AlertChange> changes) {
  if (!changes.empty()) {
    Status written = store_.write([&](StoreTx& tx) -> Status {
      for (AlertChange& change : changes) {
        if (change.kind == AlertChange::Kind::kFired) {
          CORRAL_RETURN_IF_ERROR(tx.alerts().insert(change.alert));
        } else {
          CORRAL_RETURN_IF_ERROR(tx.alerts().updateObservation(change.alert));
        }
      }
      return Status::ok();
    });
    if (!written.isOk()) {
      // The engine has moved on to a state the store does not hold; it is reloaded from the store
      // before the next evaluation, which then decides again.
      loaded_ = false;
      spdlog::warn("alerts: cannot store {} change(s): {}", changes.size(), written.message());
      return written;
    }
  }
  {
    // Before the notifiers hear of it: whoever hears of a change sees it counted.
    std::lock_guard lock(counts_mutex_);
    counts_ = engine_.firingCounts();
  }
  notify(changes);
  return changes;
}

void AlertService::notify(const std::vector<AlertChange>& changes) {
  for (const AlertChange& change : changes) {
    if (change.kind == AlertChange::Kind::kFired || change.kind == AlertChange::Kind::kResolved) {
      spdlog::info("alert {} {}: {} [{} {}]", change.alert.id, change.alert.state,
                   change.alert.summary, change.alert.rule, change.alert.severity);
    }
    for (AlertNotifier* notifier : notifiers_) {
      notifier->alertChanged(change);
    }
  }
}

Labels AlertService::sourceLabels(const std::string& agent_id) {
  Labels labels;
  if (agent_id.empty()) {
    return labels;
  }
  labels["agent_id"] = agent_id;
  // Labels are a convenience: when the agent or its pool cannot be read, the alert goes without.
  (void)store_.read([&](StoreTx& tx) -> Status {
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status();
    }
    labels["agent"] = agent->name;
    auto pool = tx.pools().get(agent->pool_id);
    if (pool.isOk()) {
      labels["pool"] = pool->name;
    }
    return Status::ok();
  });
  return labels;
}

Result<std::vector<AlertChange>> AlertService::evaluateSnapshot(const ClusterObservation& cluster) {
  Labels source = sourceLabels(cluster.agent_id);
  std::lock_guard lock(mutex_);
  int64_t now = nowMs();
  if (!loaded_) {
    CORRAL_RETURN_IF_ERROR(loadLocked(now));
  }
  return commitLocked(engine_.evaluateSnapshot(cluster, source, now));
}

Result<FleetObservation> AlertService::readFleet() {
  FleetObservation fleet;
  Status read = store_.read([&](StoreTx& tx) -> Status {
    std::vector<Pool> pools;
    CORRAL_RETURN_IF_ERROR(readAll(
        pools, [&](const Page& page) { return tx.pools().list(page); },
        [](const Pool& p) { return p.name; }));
    std::map<std::string, std::string> pool_names;
    for (const Pool& p : pools) {
      pool_names[p.id] = p.name;
    }
    std::vector<Agent> offline;
    AgentFilter filter;
    filter.status = "offline";
    CORRAL_RETURN_IF_ERROR(readAll(
        offline, [&](const Page& page) { return tx.agents().list(filter, page); },
        [](const Agent& a) { return a.id; }));
    for (const Agent& agent : offline) {
      fleet.offline_agents.push_back(agentFacts(agent, pool_names));
    }
    std::vector<ClusterSnapshot> clusters;
    CORRAL_RETURN_IF_ERROR(readAll(
        clusters, [&](const Page& page) { return tx.snapshots().list(page); },
        [](const ClusterSnapshot& s) { return s.cluster_id; }));
    for (const ClusterSnapshot& s : clusters) {
      ClusterLiveness c;
      c.cluster_id = s.cluster_id;
      c.received_at = s.received_at;
      c.agent.id = s.agent_id;
      if (auto agent = tx.agents().get(s.agent_id); agent.isOk()) {
        c.agent = agentFacts(*agent, pool_names);
      }
      fleet.clusters.push_back(std::move(c));
    }
    return Status::ok();
  });
  if (!read.isOk()) {
    return read;
  }
  return fleet;
}

Result<std::vector<AlertChange>> AlertService::evaluateLiveness() {
  std::vector<AlertChange> none;
  if (engine_.hasLivenessRules()) {
    auto fleet = readFleet();
    if (!fleet.isOk()) {
      return fleet.status();
    }
    std::lock_guard lock(mutex_);
    int64_t now = nowMs();
    if (!loaded_) {
      CORRAL_RETURN_IF_ERROR(loadLocked(now));
    }
    auto changes = commitLocked(engine_.evaluateLiveness(*fleet, now));
    if (!changes.isOk()) {
      return changes;
    }
    none = std::move(*changes);
  }
  pruneIfDue(nowMs());
  return none;
}

void AlertService::pruneIfDue(int64_t now) {
  {
    std::lock_guard lock(mutex_);
    if (pruned_at_ != 0 && now - pruned_at_ < kPruneEveryMs) {
      return;
    }
    pruned_at_ = now;
  }
  auto deleted = writeValue<int64_t>(store_, [&](StoreTx& tx) {
    return tx.alerts().deleteResolvedBefore(now - options_.retention.count());
  });
  if (!deleted.isOk()) {
    spdlog::warn("alerts: cannot delete old resolved alerts: {}", deleted.status().message());
  } else if (*deleted > 0) {
    spdlog::info("alerts: deleted {} resolved alert(s) past their retention", *deleted);
  }
}

Result<AlertRecord> AlertService::get(const std::string& id) {
  return readValue<AlertRecord>(store_, [&](StoreTx& tx) { return tx.alerts().get(id); });
}

Result<std::vector<AlertRecord>> AlertService::list(const AlertFilter& filter, const Page& page) {
  return readValue<std::vector<AlertRecord>>(
      store_, [&](StoreTx& tx) { return tx.alerts().list(filter, page); });
}

Result<AlertRecord> AlertService::acknowledge(const std::string& id, const Actor& actor,
                                              const std::string& comment) {
  int64_t now = nowMs();
  bool changed = false;
  auto acked = writeValue<AlertRecord>(store_, [&](StoreTx& tx) -> Result<AlertRecord> {
    auto alert = tx.alerts().get(id);
    if (!alert.isOk() || alert->acknowledged_at != 0) {
      return alert;
    }
    CORRAL_RETURN_IF_ERROR(tx.alerts().acknowledge(id, actor.id, now, comment));
    CORRAL_RETURN_IF_ERROR(tx.audit().append(auditEntry(actor, now, "alert.acknowledge", id,
                                                        {{"rule", alert->rule},
                                                         {"fingerprint", alert->fingerprint},
                                                         {"state", alert->state},
                                                         {"comment", comment}})));
    alert->acknowledged_by = actor.id;
    alert->acknowledged_at = now;
    alert->ack_comment = comment;
    changed = true;
    return alert;
  });
  if (!acked.isOk() || !changed) {
    return acked;
  }
  std::lock_guard lock(mutex_);
  engine_.acknowledged(*acked);
  notify({AlertChange{AlertChange::Kind::kAcknowledged, *acked}});
  return acked;
}

std::vector<FiringCount> AlertService::firingCounts() const {
  std::lock_guard lock(counts_mutex_);
  return counts_;
}

}  // namespace corral::master
