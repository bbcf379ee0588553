#pragma once

// Chooses the agent of a pool that receives a pool-targeted command. Eligibility is the same for
// every strategy: the agent is live and not draining, its labels include the pool's required
// labels and the command's labels, and it has a free slot. The pool's strategy then picks one:
//   round_robin  the next eligible agent after the one picked last time for this pool
//   least_busy   the lowest share of slots in use (ties: lowest id)
//   random       uniformly at random (injected source)
//   label_match  the agent with the fewest labels beyond those asked for, keeping general agents
//                free for general work (ties: least busy)
// Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "master/model/model.h"

namespace corral::master {

inline const std::vector<std::string>& selectionStrategies() {
  static const std::vector<std::string> kNames = {"round_robin", "least_busy", "random",
                                                  "label_match"};
  return kNames;
}

class AgentSelector {
 public:
  // `random` returns uniformly distributed 64-bit values.
  explicit AgentSelector(std::function<uint64_t()> random) : random_(std::move(random)) {}

  // `busy` maps agent id to the commands the master has assigned or leased to it; an agent's
  // load is the larger of that and what it last reported. Returns the chosen agent's id.
  std::optional<std::string> select(const Pool& pool, const std::vector<Agent>& live,
                                    const std::map<std::string, int>& busy, const Labels& wanted);

  static bool labelsMatch(const Labels& have, const Labels& wanted);

 private:
  std::function<uint64_t()> random_;
  std::mutex mutex_;
  std::map<std::string, std::string> last_pick_;  // pool id -> agent id; guarded by mutex_
};

}  // namespace corral::master
