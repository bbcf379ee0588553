#include "master/inventory/cluster_inventory.h"

namespace corral::master {

std::shared_ptr<const ClusterIndex> ClusterInventory::current(const std::string& cluster_id) const {
  std::lock_guard lock(mutex_);
  auto it = current_.find(cluster_id);
  return it == current_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const ClusterIndex>> ClusterInventory::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const ClusterIndex>> out;
  out.reserve(current_.size());
  for (const auto& [id, index] : current_) {
    out.push_back(index);
  }
  return out;
}

bool ClusterInventory::publish(const std::shared_ptr<const ClusterIndex>& index) {
  std::shared_ptr<const ClusterIndex> before;
  {
    std::lock_guard lock(mutex_);
    auto& slot = current_[index->info().cluster_id];
    if (slot && slot->info().version >= index->info().version) {
      return false;
    }
    before = std::move(slot);
    slot = index;
  }
  // Copied out, so a listener may subscribe or unsubscribe without deadlocking.
  std::vector<std::shared_ptr<Listener>> listeners;
  {
    std::lock_guard lock(listeners_mutex_);
    for (const auto& [id, listener] : listeners_) {
      listeners.push_back(listener);
    }
  }
  for (const auto& listener : listeners) {
    (*listener)(index, before);
  }
  // The replaced index is freed here, on this thread, unless a reader still holds it.
  return true;
}

int ClusterInventory::subscribe(Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  int id = next_listener_++;
  listeners_.emplace(id, std::make_shared<Listener>(std::move(listener)));
  return id;
}

void ClusterInventory::unsubscribe(int id) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(id);
}

}  // namespace corral::master
