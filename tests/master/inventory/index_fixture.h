#pragma once

// Indexes built the way the master builds them, for the inventory's tests: an envelope's text
// through parseSnapshot(), with the record fields the snapshot service would set.

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "master/inventory/cluster_index.h"
#include "master/inventory/snapshot_parser.h"
#include "tests/master/inventory/sample_snapshots.h"

namespace corral::testing {

inline std::shared_ptr<master::ClusterIndex> indexOf(std::string json) {
  auto parsed = master::parseSnapshot(std::move(json));
  INFO(parsed.status().message());
  REQUIRE(parsed.isOk());
  master::SnapshotInfo info;
  info.cluster_id = parsed->head.value("cluster_id", "");
  info.version = parsed->head.value("version", int64_t{0});
  parsed->index->setInfo(std::move(info));
  return parsed->index;
}

// The emulator's cluster with `pods` pods, indexed.
inline std::shared_ptr<master::ClusterIndex> sampleIndex(int pods, int64_t version = 1) {
  return indexOf(sampleSnapshotJson(pods, "sample", version));
}

}  // namespace corral::testing
