#include "master/scheduling/agent_selector.h"

#include <algorithm>

namespace corral::master {
namespace {

struct Candidate {
  const Agent* agent;
  int used;
};

double share(const Candidate& c) {
  return c.agent->slots_total == 0 ? 1.0 : static_cast<double>(c.used) / c.agent->slots_total;
}

bool lessBusy(const Candidate& a, const Candidate& b) {
  if (share(a) != share(b)) {
    return share(a) < share(b);
  }
  return a.agent->id < b.agent->id;
}

}  // namespace

bool AgentSelector::labelsMatch(const Labels& have, const Labels& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const auto& kv) {
    auto it = have.find(kv.first);
    return it != have.end() && it->second == kv.second;
  });
}

std::optional<std::string> AgentSelector::select(const Pool& pool, const std::vector<Agent>& live,
                                                 const std::map<std::string, int>& busy,
                                                 const Labels& wanted) {
  std::vector<Candidate> eligible;
  for (const auto& a : live) {
    if (a.drain || a.status == "offline" || a.status == "draining" || a.status == "error") {
      continue;
    }
    if (!labelsMatch(a.labels, pool.required_labels) || !labelsMatch(a.labels, wanted)) {
      continue;
    }
    auto it = busy.find(a.id);
    int used = std::max(a.slots_used, it == busy.end() ? 0 : it->second);
    if (used >= a.slots_total) {
      continue;
    }
    eligible.push_back({&a, used});
  }
  if (eligible.empty()) {
    return std::nullopt;
  }
  std::sort(eligible.begin(), eligible.end(),
            [](const Candidate& a, const Candidate& b) { return a.agent->id < b.agent->id; });

  const std::string& strategy = pool.selection_strategy;
  const Candidate* chosen = nullptr;
  if (strategy == "least_busy") {
    chosen = &*std::min_element(eligible.begin(), eligible.end(), lessBusy);
  } else if (strategy == "random") {
    chosen = &eligible[random_() % eligible.size()];
  } else if (strategy == "label_match") {
    chosen = &*std::min_element(eligible.begin(), eligible.end(),
                                [](const Candidate& a, const Candidate& b) {
                                  if (a.agent->labels.size() != b.agent->labels.size()) {
                                    return a.agent->labels.size() < b.agent->labels.size();
                                  }
                                  return lessBusy(a, b);
                                });
  } else {  // round_robin
    std::lock_guard lock(mutex_);
    const std::string& last = last_pick_[pool.id];
    auto next = std::find_if(eligible.begin(), eligible.end(),
                             [&](const Candidate& c) { return c.agent->id > last; });
    chosen = next == eligible.end() ? &eligible.front() : &*next;
    last_pick_[pool.id] = chosen->agent->id;
    return chosen->agent->id;
  }
  return chosen->agent->id;
}

}  // namespace corral::master
