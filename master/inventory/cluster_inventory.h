#pragma once

// The latest index of every cluster, for the query routes and for whatever else watches clusters
// (alerts, live updates, metrics). An ingest builds the new index off to the side and publishes
// it here by swapping one shared pointer under a short lock, so readers are never blocked by an
// ingest and a reader keeps the index it took for as long as it needs it. Thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "master/inventory/cluster_index.h"

namespace corral::master {

class ClusterInventory {
 public:
  // Called after an index was published, with the new one and the one it replaced (null for a
  // cluster's first). Runs on the publishing thread (the agent's upload, or the start-up load),
  // outside every lock of the inventory, and may be called from several threads at once; it must
  // be quick and must not throw.
  using Listener = std::function<void(const std::shared_ptr<const ClusterIndex>& now,
                                      const std::shared_ptr<const ClusterIndex>& before)>;

  // The cluster's current index, or null when it has none.
  std::shared_ptr<const ClusterIndex> current(const std::string& cluster_id) const;
  // Every cluster's current index, ordered by cluster id.
  std::vector<std::shared_ptr<const ClusterIndex>> all() const;

  // Makes `index` its cluster's current one (index->info().cluster_id), unless the current one
  // has the same or a higher version: two uploads of one cluster may finish out of order, and the
  // view never goes back. Returns whether it was published; listeners hear only of those.
  bool publish(const std::shared_ptr<const ClusterIndex>& index);

  // Adds a listener; returns its id for unsubscribe().
  int subscribe(Listener listener);
  // Publishes that start after it returns no longer call the listener; one already under way may
  // still call it once.
  void unsubscribe(int id);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const ClusterIndex>> current_;  // guarded by mutex_

  std::mutex listeners_mutex_;
  int next_listener_ = 1;                               // guarded by listeners_mutex_
  std::map<int, std::shared_ptr<Listener>> listeners_;  // guarded by listeners_mutex_
};

}  // namespace corral::master
