#include "agent/service/snapshot_summary.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace corral::agent {

namespace {

constexpr std::array<std::string_view, 5> kPhases = {"Running", "Pending", "Succeeded", "Failed",
                                                     "Unknown"};

// Waiting reasons the kubelet does not get out of by itself.
constexpr std::array<std::string_view, 10> kStuckReasons = {
    "CrashLoopBackOff",     "ErrImagePull",      "ImagePullBackOff",
    "ErrImageNeverPull",    "InvalidImageName",  "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError", "PreStartHookError",
    "PostStartHookError",
};

std::string containerProblem(const model::Container& c) {
  if (c.state == "waiting" &&
      std::find(kStuckReasons.begin(), kStuckReasons.end(), c.reason) != kStuckReasons.end()) {
    return c.reason;
  }
  if (c.state == "terminated" && c.exit_code.value_or(0) != 0) {
    return c.reason.empty() ? "Error" : c.reason;
  }
  return {};
}

}  // namespace

std::string podProblem(const model::Pod& pod) {
  for (const auto* containers : {&pod.init_containers, &pod.containers}) {
    for (const model::Container& c : *containers) {
      if (std::string problem = containerProblem(c); !problem.empty()) {
        return problem;
      }
    }
  }
  bool unschedulable =
      std::any_of(pod.conditions.begin(), pod.conditions.end(), [](const model::Condition& c) {
        return c.type == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable";
      });
  if (unschedulable) {
    return "Unschedulable";
  }
  if (pod.phase == "Failed") {
    return pod.reason.empty() ? "Failed" : pod.reason;
  }
  if (pod.phase == "Running" || pod.phase == "Pending" || pod.phase == "Succeeded") {
    return {};
  }
  return "Unknown";  // the node stopped reporting, or a phase this agent does not know
}

bool deploymentHealthy(const model::Deployment& d) {
  return d.ready_replicas == d.replicas && d.available_replicas == d.replicas &&
         d.updated_replicas == d.replicas && d.current_replicas == d.replicas;
}

model::SnapshotSummary summarize(const model::ClusterSnapshot& snapshot) {
  const model::Resources& r = snapshot.resources;
  model::SnapshotSummary s;
  for (const model::Node& node : r.nodes) {
    ++(node.ready ? s.nodes_ready : s.nodes_not_ready);
  }
  for (std::string_view phase : kPhases) {
    s.pods_by_phase[std::string(phase)] = 0;
  }
  for (const model::Pod& pod : r.pods) {
    bool known = std::find(kPhases.begin(), kPhases.end(), pod.phase) != kPhases.end();
    ++s.pods_by_phase[known ? pod.phase : "Unknown"];
    if (std::string problem = podProblem(pod); !problem.empty()) {
      ++s.pods_with_problems;
      ++s.pod_problems[problem];
    }
  }
  for (const model::Deployment& d : r.deployments) {
    ++(deploymentHealthy(d) ? s.deployments_healthy : s.deployments_unhealthy);
  }
  s.warning_events = std::count_if(r.events.begin(), r.events.end(),
                                   [](const model::Event& e) { return e.type == "Warning"; });
  for (model::ResourceKind kind : snapshot.collected) {
    s.totals[model::resourceKindName(kind)] = model::countOf(r, kind);
  }
  return s;
}

}  // namespace corral::agent
