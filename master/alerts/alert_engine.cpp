#include "master/alerts/alert_engine.h"

#include <set>
#include <utility>

#include "common/crypto.h"

namespace corral::master {
namespace {

bool readable(const SnapshotRule& rule, const ClusterObservation& cluster) {
  for (std::string_view kind : rule.kinds()) {
    if (cluster.unreadable.count(std::string(kind)) > 0) {
      return false;
    }
  }
  return true;
}

// The finding's labels, plus the cluster and whatever of `source` the rule did not set.
Labels labelsOf(const Finding& f, const Labels& source) {
  Labels labels = f.labels;
  if (!f.cluster_id.empty()) {
    labels.emplace("cluster", f.cluster_id);
  }
  for (const auto& [key, value] : source) {
    labels.emplace(key, value);
  }
  return labels;
}

}  // namespace

const char* changeKindName(AlertChange::Kind kind) {
  switch (kind) {
    case AlertChange::Kind::kFired:
      return "fired";
    case AlertChange::Kind::kUpdated:
      return "updated";
    case AlertChange::Kind::kResolved:
      return "resolved";
    case AlertChange::Kind::kAcknowledged:
      return "acknowledged";
  }
  return "updated";
}

std::string alertFingerprint(std::string_view rule, const std::string& cluster_id,
                             const std::string& identity) {
  // The separator cannot appear in a rule name, a cluster id or a Kubernetes name.
  std::string key = std::string(rule) + '\x1f' + cluster_id + '\x1f' + identity;
  return sha256Hex(key).substr(0, 16);
}

AlertEngine::AlertEngine(AlertRules rules) : rules_(std::move(rules)) {}

std::vector<AlertChange> AlertEngine::load(std::vector<AlertRecord> firing, int64_t now) {
  std::set<std::string_view> running;
  for (const auto& rule : rules_.snapshot) {
    running.insert(rule->name());
  }
  for (const auto& rule : rules_.liveness) {
    running.insert(rule->name());
  }
  firing_.clear();
  pending_.clear();
  std::vector<AlertChange> out;
  for (auto& alert : firing) {
    if (running.count(alert.rule) == 0) {
      alert.state = kAlertResolved;
      alert.resolved_at = now;
      out.push_back({AlertChange::Kind::kResolved, std::move(alert)});
      continue;
    }
    std::string fingerprint = alert.fingerprint;
    firing_[fingerprint] = Firing{std::move(alert), now};
  }
  return out;
}

std::vector<AlertChange> AlertEngine::evaluateSnapshot(const ClusterObservation& cluster,
                                                       const Labels& source, int64_t now) {
  std::vector<AlertChange> out;
  for (const auto& rule : rules_.snapshot) {
    if (!readable(*rule, cluster)) {
      continue;  // its alerts and pending conditions stay as they are
    }
    std::vector<Finding> findings;
    if (!rule->evaluate(cluster, now, findings)) {
      continue;  // nothing to judge against yet
    }
    for (Finding& f : findings) {
      f.cluster_id = cluster.cluster_id;
    }
    apply(rule->name(), rule->settings(), findings, &cluster.cluster_id, source, now, out);
  }
  return out;
}

std::vector<AlertChange> AlertEngine::evaluateLiveness(const FleetObservation& fleet, int64_t now) {
  std::vector<AlertChange> out;
  for (const auto& rule : rules_.liveness) {
    std::vector<Finding> findings;
    rule->evaluate(fleet, now, findings);
    apply(rule->name(), rule->settings(), findings, nullptr, Labels(), now, out);
  }
  return out;
}

void AlertEngine::apply(std::string_view rule, const AlertRuleSettings& settings,
                        std::vector<Finding>& findings, const std::string* cluster,
                        const Labels& source, int64_t now, std::vector<AlertChange>& out) {
  auto inScope = [&](std::string_view alert_rule, const std::string& alert_cluster) {
    return alert_rule == rule && (cluster == nullptr || alert_cluster == *cluster);
  };
  std::set<std::string> seen;
  for (Finding& f : findings) {
    std::string fingerprint = alertFingerprint(rule, f.cluster_id, f.identity);
    if (!seen.insert(fingerprint).second) {
      continue;  // the same object twice in one snapshot: once is enough
    }
    Labels labels = labelsOf(f, source);
    if (auto it = firing_.find(fingerprint); it != firing_.end()) {
      AlertRecord& a = it->second.alert;
      bool changed = a.summary != f.summary || a.description != f.description ||
                     a.labels != labels || a.severity != settings.severity;
      a.summary = std::move(f.summary);
      a.description = std::move(f.description);
      a.labels = std::move(labels);
      a.severity = settings.severity;
      a.last_seen = now;
      ++a.count;
      if (changed || now - it->second.reported_at >= kRefreshMs) {
        it->second.reported_at = now;
        out.push_back({AlertChange::Kind::kUpdated, a});
      }
      continue;
    }
    auto [pending, first] =
        pending_.try_emplace(fingerprint, Pending{std::string(rule), f.cluster_id, now, 0});
    ++pending->second.count;
    if (now - pending->second.since < settings.for_duration.count()) {
      continue;
    }
    AlertRecord a;
    a.id = newId("alt_");
    a.fingerprint = fingerprint;
    a.rule = std::string(rule);
    a.severity = settings.severity;
    a.state = kAlertFiring;
    a.cluster_id = f.cluster_id;
    a.summary = std::move(f.summary);
    a.description = std::move(f.description);
    a.labels = std::move(labels);
    a.first_seen = pending->second.since;
    a.last_seen = now;
    a.count = pending->second.count;
    pending_.erase(pending);
    out.push_back({AlertChange::Kind::kFired, a});
    firing_[fingerprint] = Firing{std::move(a), now};
  }
  for (auto it = firing_.begin(); it != firing_.end();) {
    AlertRecord& a = it->second.alert;
    if (!inScope(a.rule, a.cluster_id) || seen.count(it->first) > 0) {
      ++it;
      continue;
    }
    a.state = kAlertResolved;
    a.resolved_at = now;
    out.push_back({AlertChange::Kind::kResolved, std::move(a)});
    it = firing_.erase(it);
  }
  std::erase_if(pending_, [&](const auto& entry) {
    return inScope(entry.second.rule, entry.second.cluster_id) && seen.count(entry.first) == 0;
  });
}

void AlertEngine::acknowledged(const AlertRecord& alert) {
  auto it = firing_.find(alert.fingerprint);
  if (it != firing_.end() && it->second.alert.id == alert.id) {
    it->second.alert.acknowledged_by = alert.acknowledged_by;
    it->second.alert.acknowledged_at = alert.acknowledged_at;
    it->second.alert.ack_comment = alert.ack_comment;
  }
}

std::vector<FiringCount> AlertEngine::firingCounts() const {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const auto& rule : rules_.snapshot) {
    counts[{std::string(rule->name()), rule->settings().severity}] += 0;
  }
  for (const auto& rule : rules_.liveness) {
    counts[{std::string(rule->name()), rule->settings().severity}] += 0;
  }
  for (const auto& [fingerprint, firing] : firing_) {
    ++counts[{firing.alert.rule, firing.alert.severity}];
  }
  std::vector<FiringCount> out;
  out.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    out.push_back({key.first, key.second, count});
  }
  return out;
}

}  // namespace corral::master
