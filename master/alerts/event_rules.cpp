#include "master/alerts/event_rules.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "master/alerts/rule_text.h"

namespace corral::master {
namespace {

struct Occurrence {
  int64_t at = 0;  // the master's time
  std::string ns;
  std::string kind;  // of the object the event is about
  std::string name;
  std::string reason;
  int64_t n = 0;
};

struct Tally {
  int64_t total = 0;
  std::map<std::string, int64_t> by_reason;
};

// "FailedMount ×20, BackOff ×7": the three most frequent reasons.
std::string topReasons(const Tally& tally) {
  std::vector<std::pair<std::string, int64_t>> reasons(tally.by_reason.begin(),
                                                       tally.by_reason.end());
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (size_t i = 0; i < reasons.size() && i < 3; ++i) {
    out += (i == 0 ? "" : ", ") + (reasons[i].first.empty() ? "(no reason)" : reasons[i].first) +
           " \u00d7" + std::to_string(reasons[i].second);
  }
  return out;
}

class WarningEventsRule final : public SnapshotRule {
 public:
  explicit WarningEventsRule(WarningEventsSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRuleWarningEvents; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"events"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t now,
                std::vector<Finding>& out) override {
    ClusterState& state = clusters_[cluster.cluster_id];
    int64_t window = settings_.window.count();
    // Event times are the cluster's; they are compared with the time the agent took the
    // snapshot, then placed on the master's clock by their age.
    int64_t taken = cluster.fetched_at != 0 ? cluster.fetched_at : now;
    std::map<std::string, int64_t> counts;
    for (const EventFacts& e : cluster.events) {
      if (e.type != "Warning") {
        continue;
      }
      std::string key = e.uid.empty() ? e.ns + "/" + e.name : e.uid;
      int64_t n = 0;
      if (auto before = state.counts.find(key); before != state.counts.end()) {
        n = std::max<int64_t>(0, e.count - before->second);
      } else if (e.first_time != 0 && taken - e.first_time <= window) {
        n = e.count;
      } else if (e.last_time != 0 && taken - e.last_time <= window) {
        n = 1;
      }
      counts[key] = e.count;
      if (n == 0) {
        continue;
      }
      int64_t age = e.last_time != 0 ? std::max<int64_t>(0, taken - e.last_time) : 0;
      state.occurrences.push_back({now - age, e.involved_ns.empty() ? e.ns : e.involved_ns,
                                   e.involved_kind, e.involved_name, e.reason, n});
    }
    state.counts = std::move(counts);
    std::erase_if(state.occurrences, [&](const Occurrence& o) { return now - o.at >= window; });

    std::map<std::string, Tally> by_namespace;
    std::map<std::tuple<std::string, std::string, std::string>, Tally> by_object;
    for (const Occurrence& o : state.occurrences) {
      Tally& ns = by_namespace[o.ns];
      ns.total += o.n;
      ns.by_reason[o.reason] += o.n;
      Tally& object = by_object[{o.kind, o.ns, o.name}];
      object.total += o.n;
      object.by_reason[o.reason] += o.n;
    }
    std::string in_window = " in the last " + durationText(window);
    for (const auto& [ns, tally] : by_namespace) {
      // Events about nodes and namespaces belong to no namespace; they count per object only.
      if (ns.empty() || tally.total < settings_.namespace_threshold) {
        continue;
      }
      Finding f;
      f.identity = "Namespace/" + ns;
      f.summary = "Warning events pile up in namespace " + ns;
      f.description = plural(tally.total, "Warning event", "Warning events") + in_window + ": " +
                      topReasons(tally) + ".";
      f.labels = {{"namespace", ns}, {"scope", "namespace"}};
      out.push_back(std::move(f));
    }
    for (const auto& [object, tally] : by_object) {
      if (tally.total < settings_.object_threshold) {
        continue;
      }
      const auto& [kind, ns, name] = object;
      Finding f;
      f.identity = "Object/";
      f.identity.append(kind).append("/").append(ns).append("/").append(name);
      f.summary = "Warning events pile up about " + kind + " " + qualifiedName(ns, name);
      f.description = plural(tally.total, "Warning event", "Warning events") + in_window + ": " +
                      topReasons(tally) + ".";
      f.labels = {{"namespace", ns}, {"kind", kind}, {"name", name}, {"scope", "object"}};
      out.push_back(std::move(f));
    }
    return true;
  }

 private:
  struct ClusterState {
    std::map<std::string, int64_t> counts;  // event uid -> its count in the last snapshot
    std::vector<Occurrence> occurrences;    // within the window
  };

  WarningEventsSettings settings_;
  std::map<std::string, ClusterState> clusters_;
};

}  // namespace

std::unique_ptr<SnapshotRule> makeWarningEventsRule(const WarningEventsSettings& settings) {
  return std::make_unique<WarningEventsRule>(settings);
}

}  // namespace corral::master
