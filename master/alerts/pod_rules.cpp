#include "master/alerts/pod_rules.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <utility>

#include "master/alerts/rule_text.h"

namespace corral::master {
namespace {

std::string podIdentity(const PodFacts& pod) { return "Pod/" + pod.ns + "/" + pod.name; }

// A pod's own state, kept across snapshots: its uid tells a pod recreated under the same name
// from the one seen before.
std::string podKey(const PodFacts& pod) { return pod.uid.empty() ? podIdentity(pod) : pod.uid; }

Labels podLabels(const PodFacts& pod) {
  Labels labels{{"namespace", pod.ns}, {"kind", "Pod"}, {"name", pod.name}};
  if (!pod.node.empty()) {
    labels["node"] = pod.node;
  }
  if (!pod.owner_kind.empty()) {
    labels["owner"] = pod.owner_kind + "/" + pod.owner_name;
  }
  return labels;
}

std::string containerWord(const ContainerFacts& c) {
  return std::string(c.init ? "Init container " : "Container ") + c.name;
}

std::string exitText(const std::string& reason, const std::optional<int64_t>& code) {
  std::string out = reason.empty() ? "an unknown reason" : reason;
  if (code) {
    out += " (exit code " + std::to_string(*code) + ")";
  }
  return out;
}

// Joins the names of the containers matched, for the `container` label.
std::string containerNames(const std::vector<const ContainerFacts*>& matched) {
  std::string out;
  for (const ContainerFacts* c : matched) {
    out += (out.empty() ? "" : ",") + c->name;
  }
  return out;
}

// A rule that fires for a pod while one of its containers waits with one of `reasons`.
class WaitingReasonRule final : public SnapshotRule {
 public:
  using Describe = std::string (*)(const ContainerFacts&);

  WaitingReasonRule(std::string_view name, AlertRuleSettings settings,
                    std::set<std::string> reasons, std::string summary_verb, Describe describe)
      : name_(name),
        settings_(std::move(settings)),
        reasons_(std::move(reasons)),
        summary_verb_(std::move(summary_verb)),
        describe_(describe) {}

  std::string_view name() const override { return name_; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"pods"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t, std::vector<Finding>& out) override {
    for (const PodFacts& pod : cluster.pods) {
      std::vector<const ContainerFacts*> matched;
      for (const ContainerFacts& c : pod.containers) {
        if (c.state == "waiting" && reasons_.count(c.reason) > 0) {
          matched.push_back(&c);
        }
      }
      if (matched.empty()) {
        continue;
      }
      Finding f;
      f.identity = podIdentity(pod);
      f.summary = "Pod " + qualifiedName(pod.ns, pod.name) + " " + summary_verb_;
      for (const ContainerFacts* c : matched) {
        f.description += (f.description.empty() ? "" : " ") + describe_(*c);
      }
      f.labels = podLabels(pod);
      f.labels["container"] = containerNames(matched);
      f.labels["reason"] = matched.front()->reason;
      out.push_back(std::move(f));
    }
    return true;
  }

 private:
  std::string_view name_;
  AlertRuleSettings settings_;
  std::set<std::string> reasons_;
  std::string summary_verb_;
  Describe describe_;
};

std::string describeCrashLoop(const ContainerFacts& c) {
  std::string out = containerWord(c) + " is in CrashLoopBackOff after " +
                    plural(c.restart_count, "restart", "restarts");
  if (!c.last_reason.empty() || c.last_exit_code) {
    out += "; its last run ended with " + exitText(c.last_reason, c.last_exit_code);
  }
  return out + ".";
}

std::string describeImagePull(const ContainerFacts& c) {
  std::string out = containerWord(c) + " waits in " + c.reason;
  if (!c.message.empty()) {
    out += ": " + c.message;
  }
  return out + ".";
}

class PodOomKilledRule final : public SnapshotRule {
 public:
  explicit PodOomKilledRule(PodOomSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRulePodOomKilled; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"pods"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t now,
                std::vector<Finding>& out) override {
    auto& seen = containers_[cluster.cluster_id];
    std::map<std::string, Seen> next;
    int64_t window = settings_.window.count();
    for (const PodFacts& pod : cluster.pods) {
      std::vector<const ContainerFacts*> killed;
      for (const ContainerFacts& c : pod.containers) {
        std::string key = podKey(pod) + "/" + (c.init ? "init/" : "") + c.name;
        auto before = seen.find(key);
        Seen state{c.restart_count, before == seen.end() ? 0 : before->second.killed_at};
        bool killed_now = c.state == "terminated" && c.reason == "OOMKilled";
        bool restarted_after_kill =
            c.last_reason == "OOMKilled" &&
            (before == seen.end() || c.restart_count > before->second.restarts);
        if (killed_now || restarted_after_kill) {
          state.killed_at = now;
        }
        if (state.killed_at != 0 && now - state.killed_at < window) {
          killed.push_back(&c);
        }
        if (c.state == "terminated" || !c.last_reason.empty() || state.killed_at != 0) {
          next.emplace(std::move(key), state);
        }
      }
      if (killed.empty()) {
        continue;
      }
      Finding f;
      f.identity = podIdentity(pod);
      f.summary = "Pod " + qualifiedName(pod.ns, pod.name) + " was OOM-killed";
      for (const ContainerFacts* c : killed) {
        bool now_terminated = c->state == "terminated" && c->reason == "OOMKilled";
        f.description +=
            (f.description.empty() ? "" : " ") + containerWord(*c) +
            (now_terminated ? " was killed for running out of memory"
                            : " was killed for running out of memory and restarted (" +
                                  plural(c->restart_count, "restart", "restarts") + ")") +
            ".";
      }
      f.labels = podLabels(pod);
      f.labels["container"] = containerNames(killed);
      f.labels["reason"] = "OOMKilled";
      out.push_back(std::move(f));
    }
    // Containers that are gone, or that never ended a run, are forgotten.
    seen = std::move(next);
    return true;
  }

 private:
  struct Seen {
    int64_t restarts = 0;
    int64_t killed_at = 0;  // when the last OOM kill was seen; 0: none
  };

  PodOomSettings settings_;
  // cluster -> pod key/container -> what was seen of it last
  std::map<std::string, std::map<std::string, Seen>> containers_;
};

class PodRestartsRule final : public SnapshotRule {
 public:
  explicit PodRestartsRule(PodRestartsSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kRulePodRestarts; }
  const AlertRuleSettings& settings() const override { return settings_; }
  std::vector<std::string_view> kinds() const override { return {"pods"}; }

  bool evaluate(const ClusterObservation& cluster, int64_t now,
                std::vector<Finding>& out) override {
    auto [entry, first_snapshot] = pods_.try_emplace(cluster.cluster_id);
    auto& history = entry->second;
    std::map<std::string, std::deque<Sample>> next;
    int64_t window = settings_.window.count();
    for (const PodFacts& pod : cluster.pods) {
      std::string key = podKey(pod);
      std::deque<Sample> samples;
      if (auto it = history.find(key); it != history.end()) {
        samples = std::move(it->second);
      }
      if (!samples.empty() && pod.restarts < samples.back().restarts) {
        samples.clear();  // counts only grow: this is another pod under the same name
      }
      // The baseline is the count at the window's start: the newest sample taken at or before
      // it, else the oldest one. The snapshot before this one always stays, however old, so a
      // snapshot interval longer than the window still sees the rise between two snapshots.
      while (samples.size() > 1 && now - samples[1].at >= window) {
        samples.pop_front();
      }
      if (!samples.empty()) {
        int64_t rise = pod.restarts - samples.front().restarts;
        if (rise >= settings_.increase) {
          Finding f;
          f.identity = podIdentity(pod);
          f.summary = "Pod " + qualifiedName(pod.ns, pod.name) + " keeps restarting";
          f.description = "Its containers restarted " + plural(rise, "time", "times") +
                          " in the last " + durationText(now - samples.front().at) + " (" +
                          std::to_string(pod.restarts) + " in total).";
          f.labels = podLabels(pod);
          out.push_back(std::move(f));
        }
      }
      samples.push_back({now, pod.restarts});
      next.emplace(std::move(key), std::move(samples));
    }
    history = std::move(next);  // pods that are gone are forgotten
    // Without an earlier snapshot of the cluster there is no rise to measure: say nothing rather
    // than resolve what fired before the master restarted.
    return !first_snapshot;
  }

 private:
  struct Sample {
    int64_t at = 0;
    int64_t restarts = 0;
  };

  PodRestartsSettings settings_;
  // cluster -> pod key -> restart counts seen, oldest first
  std::map<std::string, std::map<std::string, std::deque<Sample>>> pods_;
};

}  // namespace

bool podReasonMatters(std::string_view reason) {
  return reason == "CrashLoopBackOff" || reason == "ImagePullBackOff" || reason == "ErrImagePull" ||
         reason == "OOMKilled";
}

std::unique_ptr<SnapshotRule> makePodCrashLoopRule(const AlertRuleSettings& settings) {
  return std::make_unique<WaitingReasonRule>(kRulePodCrashLoop, settings,
                                             std::set<std::string>{"CrashLoopBackOff"},
                                             "is crash-looping", &describeCrashLoop);
}

std::unique_ptr<SnapshotRule> makePodImagePullRule(const AlertRuleSettings& settings) {
  return std::make_unique<WaitingReasonRule>(
      kRulePodImagePull, settings, std::set<std::string>{"ImagePullBackOff", "ErrImagePull"},
      "cannot pull its image", &describeImagePull);
}

std::unique_ptr<SnapshotRule> makePodOomKilledRule(const PodOomSettings& settings) {
  return std::make_unique<PodOomKilledRule>(settings);
}

std::unique_ptr<SnapshotRule> makePodRestartsRule(const PodRestartsSettings& settings) {
  return std::make_unique<PodRestartsRule>(settings);
}

}  // namespace corral::master
