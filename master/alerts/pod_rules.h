#pragma once

// The rules about pods: a container in CrashLoopBackOff, an image that cannot be pulled, an OOM
// kill, and restarts that keep rising. One alert per pod (its namespace and name), whichever of
// its containers are affected.

#include <memory>
#include <string_view>

#include "master/alerts/alert_rule.h"

namespace corral::master {

inline constexpr const char* kRulePodCrashLoop = "pod_crash_loop";
inline constexpr const char* kRulePodImagePull = "pod_image_pull";
inline constexpr const char* kRulePodOomKilled = "pod_oom_killed";
inline constexpr const char* kRulePodRestarts = "pod_restarts";

// Whether a container reason is one these rules look at: a pod whose containers carry none of
// them needs no more than its restart count.
bool podReasonMatters(std::string_view reason);

// A container (app or init) waits in CrashLoopBackOff.
std::unique_ptr<SnapshotRule> makePodCrashLoopRule(const AlertRuleSettings& settings);
// A container waits in ImagePullBackOff or ErrImagePull.
std::unique_ptr<SnapshotRule> makePodImagePullRule(const AlertRuleSettings& settings);
// A container was killed for running out of memory within the window: it is terminated with
// OOMKilled now, or its previous run ended with OOMKilled and it restarted since the snapshot
// before (a container first seen that way counts as killed now).
std::unique_ptr<SnapshotRule> makePodOomKilledRule(const PodOomSettings& settings);
// The pod's restart count rose by at least `increase` since the previous snapshot or within the
// window.
std::unique_ptr<SnapshotRule> makePodRestartsRule(const PodRestartsSettings& settings);

}  // namespace corral::master
