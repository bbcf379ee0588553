// The pod rules over the recorded cluster and over pods edited through the agent's model.

#include <catch2/catch.hpp>

#include "master/alerts/pod_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {
namespace {

using master::AlertRuleSettings;
using master::PodOomSettings;
using master::PodRestartsSettings;

constexpr const char* kCrashLoopPod = "Pod/message-pod-crashloop-backoff/init-demo";
constexpr const char* kImagePullPod =
    "Pod/message-image-pull-fail/no-image-deployment-849c4c4958-rxqmt";
constexpr const char* kOomPod = "Pod/message-oomkill-pod/oom-kill-job3-gbb89";

// A cluster of one running pod, `restarts` restarts so far.
agent::model::ClusterSnapshot onePod(int64_t restarts, const std::string& uid = "uid-1") {
  auto s = emptyCluster();
  auto pod = recordedPod("init-demo");
  pod.meta.uid = uid;
  pod.reason = "Running";
  pod.restarts = restarts;
  pod.containers[0].state = "running";
  pod.containers[0].reason = "";
  pod.containers[0].restart_count = restarts;
  pod.containers[0].last_reason = "Error";
  s.resources.pods.push_back(pod);
  return s;
}

}  // namespace

TEST_CASE("in the recorded cluster only the crash-looping pod fires pod_crash_loop",
          "[alerts][rules][pods]") {
  FakeClock clock;
  auto rule = master::makePodCrashLoopRule(AlertRuleSettings{});
  auto found = findings(*rule, observe(recordedCluster()), clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at(kCrashLoopPod);
  CHECK(f.summary == "Pod message-pod-crashloop-backoff/init-demo is crash-looping");
  CHECK(f.description ==
        "Container nginx is in CrashLoopBackOff after 4 restarts; its last run ended with "
        "ContainerCannotRun (exit code 127).");
  CHECK(f.labels.at("namespace") == "message-pod-crashloop-backoff");
  CHECK(f.labels.at("kind") == "Pod");
  CHECK(f.labels.at("name") == "init-demo");
  CHECK(f.labels.at("node") == "minikube");
  CHECK(f.labels.at("container") == "nginx");
  CHECK(f.labels.at("reason") == "CrashLoopBackOff");
}

TEST_CASE("an init container in CrashLoopBackOff fires pod_crash_loop; a running pod does not",
          "[alerts][rules][pods]") {
  FakeClock clock;
  auto rule = master::makePodCrashLoopRule(AlertRuleSettings{});
  auto s = emptyCluster();
  auto pod = recordedPod("init-demo2");
  REQUIRE_FALSE(pod.init_containers.empty());
  pod.init_containers[0].reason = "CrashLoopBackOff";
  pod.init_containers[0].restart_count = 6;
  s.resources.pods.push_back(pod);
  s.resources.pods.push_back(recordedPod("other-pod-75b66db9b9-nqhp8"));
  auto found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  const auto& f = found.begin()->second;
  CHECK(f.identity == "Pod/message-pod-init-crashloop-backoff/init-demo2");
  CHECK(contains(f.description, "Init container install is in CrashLoopBackOff after 6 restarts"));
}

TEST_CASE("a pod waiting in ErrImagePull or ImagePullBackOff fires pod_image_pull",
          "[alerts][rules][pods]") {
  FakeClock clock;
  auto rule = master::makePodImagePullRule(AlertRuleSettings{});
  auto found = findings(*rule, observe(recordedCluster()), clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at(kImagePullPod);
  CHECK(f.summary ==
        "Pod message-image-pull-fail/no-image-deployment-849c4c4958-rxqmt cannot pull its image");
  CHECK(contains(f.description, "Container demo-deployment-container waits in ErrImagePull: "));
  CHECK(contains(f.description, "noimage.com"));
  CHECK(f.labels.at("owner") == "ReplicaSet/no-image-deployment-849c4c4958");
  CHECK(f.labels.at("reason") == "ErrImagePull");

  // The kubelet backs off: the same pod, the other reason, still one finding.
  auto s = emptyCluster();
  auto pod = recordedPod("no-image-deployment-849c4c4958-rxqmt");
  pod.containers[0].reason = "ImagePullBackOff";
  s.resources.pods.push_back(pod);
  found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  CHECK(found.at(kImagePullPod).labels.at("reason") == "ImagePullBackOff");

  // Pulled at last.
  pod.containers[0].state = "running";
  pod.containers[0].reason = "";
  s.resources.pods = {pod};
  CHECK(findings(*rule, observe(s), clock).empty());
}

TEST_CASE("a container terminated with OOMKilled fires pod_oom_killed while it stays so",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodOomSettings settings;
  settings.window = std::chrono::minutes(15);
  auto rule = master::makePodOomKilledRule(settings);
  auto found = findings(*rule, observe(recordedCluster()), clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at(kOomPod);
  CHECK(f.summary == "Pod message-oomkill-pod/oom-kill-job3-gbb89 was OOM-killed");
  CHECK(f.description == "Container memory-eater was killed for running out of memory.");
  CHECK(f.labels.at("owner") == "Job/oom-kill-job3");
  CHECK(f.labels.at("container") == "memory-eater");

  clock.advance(std::chrono::hours(2));
  CHECK(findings(*rule, observe(recordedCluster()), clock).count(kOomPod) == 1);
}

TEST_CASE("an OOM kill followed by a restart fires pod_oom_killed for the window, then clears",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodOomSettings settings;
  settings.window = std::chrono::minutes(15);
  auto rule = master::makePodOomKilledRule(settings);
  auto s = onePod(2);
  CHECK(findings(*rule, observe(s), clock).empty());  // its last run ended with Error

  // Killed and restarted between two snapshots.
  clock.advance(std::chrono::seconds(30));
  s.resources.pods[0].restarts = 3;
  s.resources.pods[0].containers[0].restart_count = 3;
  s.resources.pods[0].containers[0].last_reason = "OOMKilled";
  s.resources.pods[0].containers[0].last_exit_code = 137;
  auto found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  CHECK(found.begin()->second.description ==
        "Container nginx was killed for running out of memory and restarted (3 restarts).");

  // Running since: the kill stays reported for the window, no longer.
  clock.advance(settings.window - std::chrono::milliseconds(1));
  CHECK(findings(*rule, observe(s), clock).size() == 1);
  clock.advance(std::chrono::milliseconds(1));
  CHECK(findings(*rule, observe(s), clock).empty());

  // Killed again.
  clock.advance(std::chrono::minutes(1));
  s.resources.pods[0].restarts = 4;
  s.resources.pods[0].containers[0].restart_count = 4;
  CHECK(findings(*rule, observe(s), clock).size() == 1);
}

TEST_CASE("a container first seen after an OOM kill counts as killed now",
          "[alerts][rules][pods]") {
  FakeClock clock;
  auto rule = master::makePodOomKilledRule(PodOomSettings{});
  auto s = onePod(5);
  s.resources.pods[0].containers[0].last_reason = "OOMKilled";
  CHECK(findings(*rule, observe(s), clock).size() == 1);
}

TEST_CASE("pod_restarts judges nothing on a cluster's first snapshot, then fires on a rise",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodRestartsSettings settings;
  settings.increase = 3;
  settings.window = std::chrono::minutes(15);
  auto rule = master::makePodRestartsRule(settings);
  std::vector<master::Finding> out;
  CHECK_FALSE(rule->evaluate(observe(onePod(4)), nowMs(clock), out));
  CHECK(out.empty());

  clock.advance(std::chrono::seconds(30));
  CHECK(findings(*rule, observe(onePod(6)), clock).empty());  // +2
  clock.advance(std::chrono::seconds(30));
  auto found = findings(*rule, observe(onePod(7)), clock);  // +3 within the window
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at(kCrashLoopPod);
  CHECK(f.summary == "Pod message-pod-crashloop-backoff/init-demo keeps restarting");
  CHECK(f.description == "Its containers restarted 3 times in the last 1m (7 in total).");
}

TEST_CASE("pod_restarts counts the rise within the window and clears when it leaves it",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodRestartsSettings settings;
  settings.increase = 3;
  settings.window = std::chrono::minutes(10);
  auto rule = master::makePodRestartsRule(settings);
  std::vector<master::Finding> out;
  (void)rule->evaluate(observe(onePod(0)), nowMs(clock), out);
  for (int restarts = 1; restarts <= 3; ++restarts) {
    clock.advance(std::chrono::minutes(1));
    bool fires = restarts == 3;
    CHECK(findings(*rule, observe(onePod(restarts)), clock).size() == (fires ? 1U : 0U));
  }
  // No more restarts: the rise stays in the window until its start passes the first one.
  for (int minute = 4; minute < 11; ++minute) {
    clock.advance(std::chrono::minutes(1));
    INFO("minute " << minute);
    CHECK(findings(*rule, observe(onePod(3)), clock).size() == 1);
  }
  clock.advance(std::chrono::minutes(1));
  CHECK(findings(*rule, observe(onePod(3)), clock).empty());
}

TEST_CASE("pod_restarts compares two snapshots further apart than its window",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodRestartsSettings settings;
  settings.increase = 3;
  settings.window = std::chrono::minutes(1);
  auto rule = master::makePodRestartsRule(settings);
  std::vector<master::Finding> out;
  (void)rule->evaluate(observe(onePod(0)), nowMs(clock), out);
  clock.advance(std::chrono::minutes(5));
  auto found = findings(*rule, observe(onePod(4)), clock);
  REQUIRE(found.size() == 1);
  CHECK(found.begin()->second.description ==
        "Its containers restarted 4 times in the last 5m (4 in total).");
}

TEST_CASE("a pod recreated under the same name starts its restart count again",
          "[alerts][rules][pods]") {
  FakeClock clock;
  PodRestartsSettings settings;
  settings.increase = 3;
  auto rule = master::makePodRestartsRule(settings);
  std::vector<master::Finding> out;
  (void)rule->evaluate(observe(onePod(9, "uid-1")), nowMs(clock), out);
  clock.advance(std::chrono::seconds(30));
  CHECK(findings(*rule, observe(onePod(2, "uid-2")), clock).empty());
  clock.advance(std::chrono::seconds(30));
  CHECK(findings(*rule, observe(onePod(5, "uid-2")), clock).size() == 1);
}

}  // namespace corral::testing
