#pragma once

// What the snapshot service reports about each upload it handles, for metrics. Called on the
// uploading request's thread once the upload is stored or refused; an implementation must be
// cheap and must not block. Implementations are called from many threads at once.

#include <chrono>
#include <cstdint>

namespace corral::master {

struct SnapshotIngest {
  bool stored = false;                   // false: refused (too large, malformed, stale, ...)
  std::chrono::nanoseconds duration{0};  // inflating, checking, compressing and the commit
  int64_t json_bytes = 0;                // the envelope's JSON; 0 when refused
  int64_t stored_bytes = 0;              // its gzip as stored; 0 when refused
};

class SnapshotIngestObserver {
 public:
  virtual ~SnapshotIngestObserver() = default;
  virtual void snapshotIngested(const SnapshotIngest& ingest) = 0;
};

}  // namespace corral::master
