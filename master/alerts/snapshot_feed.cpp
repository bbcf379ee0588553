#include "master/alerts/snapshot_feed.h"

#include <utility>

#include "master/alerts/alert_service.h"
#include "master/alerts/inventory_observation.h"
#include "master/inventory/cluster_index.h"
#include "spdlog/spdlog.h"

namespace corral::master {

SnapshotAlertFeed::SnapshotAlertFeed(AlertService& service) : service_(service) {}

SnapshotAlertFeed::~SnapshotAlertFeed() { stop(); }

void SnapshotAlertFeed::push(std::shared_ptr<const ClusterIndex> index) {
  if (index == nullptr || !service_.hasSnapshotRules()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    auto [slot, added] = waiting_.try_emplace(index->info().cluster_id);
    if (added) {
      order_.push_back(slot->first);
    }
    slot->second = std::move(index);
  }
  wake_.notify_one();
}

void SnapshotAlertFeed::start() {
  if (!worker_.joinable()) {
    worker_ = std::thread([this] { run(); });
  }
}

void SnapshotAlertFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    waiting_.clear();
    order_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) {
    worker_.join();
  }
}

std::shared_ptr<const ClusterIndex> SnapshotAlertFeed::take() {
  std::lock_guard lock(mutex_);
  if (order_.empty()) {
    return nullptr;
  }
  auto waiting = waiting_.find(order_.front());
  order_.pop_front();
  auto index = std::move(waiting->second);
  waiting_.erase(waiting);
  return index;
}

void SnapshotAlertFeed::evaluate(const ClusterIndex& index) {
  auto changes = service_.evaluateSnapshot(observationFromIndex(index));
  if (!changes.isOk()) {
    spdlog::warn("alerts: cluster '{}' version {} not evaluated: {}", index.info().cluster_id,
                 index.info().version, changes.status().message());
  }
}

int SnapshotAlertFeed::drain() {
  int evaluated = 0;
  while (auto index = take()) {
    evaluate(*index);
    ++evaluated;
  }
  return evaluated;
}

void SnapshotAlertFeed::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (stopping_) {
        return;
      }
    }
    if (auto next = take()) {
      evaluate(*next);
    }
  }
}

}  // namespace corral::master
