#pragma once

// The counts a dashboard leads with, computed from a snapshot's objects, and the judgements they
// rest on: which pods have a problem, which deployments are healthy. Pure functions, safe from
// any thread.

#include <string>

#include "agent/model/cluster_snapshot.h"

namespace corral::agent {

// Why `pod` needs attention, or "" when it does not: a container (init containers first) waiting
// for a reason that does not fix itself (CrashLoopBackOff, ErrImagePull, ImagePullBackOff,
// CreateContainerConfigError, RunContainerError, ...) or terminated with a non-zero exit code
// (OOMKilled, Error, ...); else "Unschedulable", or the reason of a Failed pod (Evicted, ...), or
// "Unknown" for any other phase. Waiting in ContainerCreating or PodInitializing is progress, not a
// problem.
std::string podProblem(const model::Pod& pod);

// Ready, available and updated replicas all equal the desired number, and no surplus pods from a
// rollout remain (status.replicas == spec.replicas).
bool deploymentHealthy(const model::Deployment& deployment);

// The summary of `snapshot.resources`; `totals` covers the kinds in `snapshot.collected`.
model::SnapshotSummary summarize(const model::ClusterSnapshot& snapshot);

}  // namespace corral::agent
