#pragma once

// Hands the snapshots the inventory publishes to the alerts, off the uploading thread. The
// inventory's listener (ClusterInventory::subscribe) must be quick, and reading a large cluster
// for the rules is not, so push() only keeps the newest index of each cluster and wakes a worker
// thread, which builds the observation and evaluates it. A cluster that uploads faster than it is
// evaluated skips the snapshots in between: the rules judge the latest state, and the queue never
// holds more than one index per cluster. Thread-safe.

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace corral::master {

class AlertService;
class ClusterIndex;

class SnapshotAlertFeed {
 public:
  // The service must outlive the feed.
  explicit SnapshotAlertFeed(AlertService& service);
  ~SnapshotAlertFeed();
  SnapshotAlertFeed(const SnapshotAlertFeed&) = delete;
  SnapshotAlertFeed& operator=(const SnapshotAlertFeed&) = delete;

  // Keeps `index` as its cluster's next to evaluate, replacing one not evaluated yet. Never
  // blocks on an evaluation.
  void push(std::shared_ptr<const ClusterIndex> index);

  // Starts the worker thread; stop() waits for an evaluation in progress and drops the rest.
  void start();
  void stop();

  // Evaluates every index waiting, on the calling thread; returns how many. For tests.
  int drain();

 private:
  // Takes one waiting index, or null.
  std::shared_ptr<const ClusterIndex> take();
  void evaluate(const ClusterIndex& index);
  void run();

  AlertService& service_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<const ClusterIndex>> waiting_;  // guarded by mutex_
  std::deque<std::string> order_;  // guarded by mutex_; waiting_'s clusters, oldest push first
  bool stopping_ = false;          // guarded by mutex_
  std::thread worker_;
};

}  // namespace corral::master
