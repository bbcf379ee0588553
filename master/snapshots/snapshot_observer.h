#pragma once

// What the snapshot service reports when a snapshot becomes its cluster's latest, for the live
// event stream (SnapshotIngestObserver, its sibling, is for metrics and also hears refusals).
// Called on the uploading request's thread after the commit; an implementation must be cheap and
// must not block. Implementations are called from many threads at once.

#include "master/model/model.h"

namespace corral::master {

class SnapshotObserver {
 public:
  virtual ~SnapshotObserver() = default;
  // `snapshot` is the stored row; its body is not meant for observers and may be empty.
  virtual void snapshotStored(const ClusterSnapshot& snapshot) = 0;
};

}  // namespace corral::master
