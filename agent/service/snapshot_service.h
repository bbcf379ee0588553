#pragma once

// SnapshotService reads the cluster through the repositories and assembles a ClusterSnapshot:
// the configured kinds fetched in parallel (at most max_in_flight lists at once), the summary
// computed from them, and a version that grows with every snapshot. A kind that cannot be read
// is recorded in the snapshot's errors; the other kinds are still reported, so there is always a
// snapshot to send.
//
// Thread-safety: collect() may be called from any thread; concurrent calls each produce their
// own snapshot with distinct, growing versions.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/model/cluster_snapshot.h"
#include "agent/model/resource_kind.h"
#include "agent/repository/resource_repository.h"
#include "agent/repository/scope.h"
#include "common/clock.h"

namespace corral::agent {

struct SnapshotOptions {
  std::string cluster_id;
  // The kinds to collect; repeats are ignored. Default: all of them.
  std::vector<model::ResourceKind> kinds = model::allResourceKinds();
  Scope scope;
  int max_in_flight = 4;  // repository lists running at once; values below 1 mean 1
};

// Hands out snapshot versions. It must never go back, across restarts too, so the caller persists
// it; the service adds its own guard: a version is always above the one it last handed out.
using NextVersion = std::function<int64_t()>;

class SnapshotService {
 public:
  virtual ~SnapshotService() = default;

  // Reads every configured kind and returns the snapshot. Blocks until each list has answered
  // (the repositories' own timeouts bound it). Never fails: a kind whose list fails, or that has
  // no repository, appears in `errors` with the reason and is left out of `collected`.
  // fetched_at is the clock's wall time when collection began.
  virtual model::ClusterSnapshot collect() = 0;
};

// `repositories` and `clock` must outlive the service.
std::unique_ptr<SnapshotService> makeSnapshotService(const Repositories& repositories,
                                                     const Clock& clock, NextVersion next_version,
                                                     SnapshotOptions options);

}  // namespace corral::agent
