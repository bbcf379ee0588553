#include "agent/service/snapshot_service.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "agent/service/snapshot_summary.h"

namespace corral::agent {

namespace {

using model::ResourceKind;

class ParallelSnapshotService final : public SnapshotService {
 public:
  ParallelSnapshotService(const Repositories& repositories, const Clock& clock,
                          NextVersion next_version, SnapshotOptions options)
      : repositories_(repositories),
        clock_(clock),
        next_version_(std::move(next_version)),
        options_(std::move(options)) {
    for (ResourceKind kind : options_.kinds) {
      if (std::find(kinds_.begin(), kinds_.end(), kind) == kinds_.end()) {
        kinds_.push_back(kind);
      }
    }
  }

  model::ClusterSnapshot collect() override {
    model::ClusterSnapshot snapshot;
    snapshot.cluster_id = options_.cluster_id;
    snapshot.fetched_at = clock_.wallNow();

    // Each worker takes the next kind until none is left, so at most `workers` lists run at once.
    // Every kind writes only its own vector in `resources` and its own slot in `failures`.
    std::vector<std::optional<std::string>> failures(kinds_.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < kinds_.size(); i = next++) {
        failures[i] = collectKind(kinds_[i], snapshot.resources);
      }
    };
    size_t workers =
        std::min(kinds_.size(), static_cast<size_t>(std::max(options_.max_in_flight, 1)));
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) {
      try {
        threads.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // out of threads: the ones running (and this one) share the rest
      }
    }
    work();
    for (std::thread& t : threads) {
      t.join();
    }

    for (size_t i = 0; i < kinds_.size(); ++i) {
      if (failures[i]) {
        snapshot.errors[model::resourceKindName(kinds_[i])] = std::move(*failures[i]);
      } else {
        snapshot.collected.insert(kinds_[i]);
      }
    }
    snapshot.summary = summarize(snapshot);
    snapshot.version = nextVersion();
    return snapshot;
  }

 private:
  // nullopt when the kind was read into `out`, else why not.
  std::optional<std::string> collectKind(ResourceKind kind, model::Resources& out) {
    const Repositories& r = repositories_;
    switch (kind) {
      case ResourceKind::kPods:
        return fill(r.pods.get(), out.pods);
      case ResourceKind::kNodes:
        return fill(r.nodes.get(), out.nodes);
      case ResourceKind::kDeployments:
        return fill(r.deployments.get(), out.deployments);
      case ResourceKind::kReplicaSets:
        return fill(r.replica_sets.get(), out.replica_sets);
      case ResourceKind::kStatefulSets:
        return fill(r.stateful_sets.get(), out.stateful_sets);
      case ResourceKind::kDaemonSets:
        return fill(r.daemon_sets.get(), out.daemon_sets);
      case ResourceKind::kServices:
        return fill(r.services.get(), out.services);
      case ResourceKind::kEvents:
        return fill(r.events.get(), out.events);
      case ResourceKind::kConfigMaps:
        return fill(r.config_maps.get(), out.config_maps);
      case ResourceKind::kIngresses:
        return fill(r.ingresses.get(), out.ingresses);
      case ResourceKind::kNamespaces:
        return fill(r.namespaces.get(), out.namespaces);
    }
    return "unknown kind";
  }

  template <typename T>
  std::optional<std::string> fill(ResourceRepository<T>* repository, std::vector<T>& out) {
    if (repository == nullptr) {
      return "no repository for this kind";
    }
    // A repository reports failures as values; an exception here (out of memory, a bug) must
    // still cost only this kind, not the agent: it would otherwise end the worker thread.
    try {
      Result<std::vector<T>> items = repository->list(options_.scope);
      if (!items.isOk()) {
        return items.status().message();
      }
      out = std::move(items).value();
      return std::nullopt;
    } catch (const std::exception& e) {
      return std::string("internal error: ") + e.what();
    }
  }

  int64_t nextVersion() {
    std::lock_guard lock(version_mutex_);
    int64_t offered = next_version_ ? next_version_() : 0;
    last_version_ = std::max(offered, last_version_ + 1);
    return last_version_;
  }

  const Repositories& repositories_;
  const Clock& clock_;
  NextVersion next_version_;  // guarded by version_mutex_
  const SnapshotOptions options_;
  std::vector<ResourceKind> kinds_;  // options_.kinds without repeats
  std::mutex version_mutex_;
  int64_t last_version_ = 0;  // guarded by version_mutex_
};

}  // namespace

std::unique_ptr<SnapshotService> makeSnapshotService(const Repositories& repositories,
                                                     const Clock& clock, NextVersion next_version,
                                                     SnapshotOptions options) {
  return std::make_unique<ParallelSnapshotService>(repositories, clock, std::move(next_version),
                                                   std::move(options));
}

}  // namespace corral::agent
