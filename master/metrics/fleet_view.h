#pragma once

// Everything the master's gauges are computed from, read from the store in one read transaction
// so that a scrape is consistent: pools, agents, command counts and the latest snapshot of each
// cluster. Plain values; reading takes a read connection and never waits for the writer.

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "master/model/model.h"
#include "master/store/store.h"

namespace corral::master {

struct FleetView {
  std::vector<Pool> pools;
  std::vector<Agent> agents;
  std::vector<CommandCount> commands;      // every command, by state and action
  std::vector<ActiveCommandCount> active;  // commands not ended, by where they are bound
  std::vector<ClusterSnapshot> clusters;   // without bodies
};

// Reads the whole view. Its cost grows with the fleet and with the commands kept: one pass over
// the pools, agents and clusters, and one grouped scan of the commands table.
Result<FleetView> readFleetView(Store& store);

}  // namespace corral::master
