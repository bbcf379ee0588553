#include "master/metrics/fleet_view.h"

namespace corral::master {
namespace {

constexpr int kPageSize = 500;

// Every row of a paged list: `list(page)` answers a page, `position(last row)` is where the next
// one starts.
template <typename T, typename ListFn, typename PositionFn>
Status readAll(std::vector<T>& out, ListFn list, PositionFn position) {
  Page page{"", kPageSize};
  while (true) {
    auto rows = list(page);
    if (!rows.isOk()) {
      return rows.status();
    }
    bool full = static_cast<int>(rows->size()) == kPageSize;
    for (auto& row : *rows) {
      out.push_back(std::move(row));
    }
    if (!full) {
      return Status::ok();
    }
    page.after = position(out.back());
  }
}

}  // namespace

Result<FleetView> readFleetView(Store& store) {
  return readValue<FleetView>(store, [](StoreTx& tx) -> Result<FleetView> {
    FleetView view;
    CORRAL_RETURN_IF_ERROR(readAll(
        view.pools, [&](const Page& p) { return tx.pools().list(p); },
        [](const Pool& p) { return p.name; }));
    CORRAL_RETURN_IF_ERROR(readAll(
        view.agents, [&](const Page& p) { return tx.agents().list(AgentFilter{}, p); },
        [](const Agent& a) { return a.id; }));
    CORRAL_RETURN_IF_ERROR(readAll(
        view.clusters, [&](const Page& p) { return tx.snapshots().list(p); },
        [](const ClusterSnapshot& c) { return c.cluster_id; }));
    auto commands = tx.stats().commandCounts();
    if (!commands.isOk()) {
      return commands.status();
    }
    view.commands = std::move(*commands);
    auto active = tx.stats().activeCommandCounts();
    if (!active.isOk()) {
      return active.status();
    }
    view.active = std::move(*active);
    return view;
  });
}

}  // namespace corral::master
