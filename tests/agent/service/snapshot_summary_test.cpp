#include "agent/service/snapshot_summary.h"

#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/service/fake_cluster.h"

namespace corral::agent {
namespace {

model::Pod fixturePod(const std::string& file) {
  return podFromJson(testing::fixtureItems("pods/" + file).at(0)).value();
}

TEST_CASE("pods stuck for a reason have that problem", "[agent][service][summary]") {
  CHECK(podProblem(fixturePod("message-pod-crashloop-backoff.json")) == "CrashLoopBackOff");
  CHECK(podProblem(fixturePod("message-image-pull-fail.json")) == "ErrImagePull");
  CHECK(podProblem(fixturePod("message-oomkill-pod.json")) == "OOMKilled");
  CHECK(podProblem(fixturePod("message-pending-pod-resources.json")) == "Unschedulable");
  CHECK(podProblem(fixturePod("message-pending-node-affinity.json")) == "Unschedulable");
  CHECK(podProblem(fixturePod("message-pod-init-crashloop-backoff.json")) == "RunContainerError");
}

TEST_CASE("running and progressing pods have no problem", "[agent][service][summary]") {
  CHECK(podProblem(fixturePod("default.json")).empty());
  CHECK(podProblem(fixturePod("other.json")).empty());
  CHECK(podProblem(fixturePod("message-container-creating-failed-mount.json")).empty());
}

TEST_CASE("failed, evicted and unknown pods have a problem", "[agent][service][summary]") {
  model::Pod evicted;
  evicted.phase = "Failed";
  evicted.reason = "Evicted";
  CHECK(podProblem(evicted) == "Evicted");
  model::Pod lost;
  lost.phase = "Unknown";
  CHECK(podProblem(lost) == "Unknown");
  model::Pod errored;
  errored.phase = "Running";
  errored.containers.resize(1);
  errored.containers[0].state = "terminated";
  errored.containers[0].exit_code = 1;
  CHECK(podProblem(errored) == "Error");
  model::Pod done;
  done.phase = "Succeeded";
  done.containers.resize(1);
  done.containers[0].state = "terminated";
  done.containers[0].reason = "Completed";
  done.containers[0].exit_code = 0;
  CHECK(podProblem(done).empty());
}

TEST_CASE("a deployment is healthy when its rollout is complete and all pods are ready",
          "[agent][service][summary]") {
  model::Deployment d;
  d.replicas = d.current_replicas = d.ready_replicas = d.available_replicas = d.updated_replicas =
      2;
  CHECK(deploymentHealthy(d));
  d.ready_replicas = 1;
  CHECK_FALSE(deploymentHealthy(d));

  // kotsadm-web as recorded: 1 desired, 2 pods during a rollout, 1 ready.
  model::Deployment web;
  web.replicas = 1;
  web.current_replicas = 2;
  web.ready_replicas = web.available_replicas = web.updated_replicas = 1;
  CHECK_FALSE(deploymentHealthy(web));

  model::Deployment scaled_to_zero;
  CHECK(deploymentHealthy(scaled_to_zero));
}

TEST_CASE("pods of an unexpected phase count as Unknown", "[agent][service][summary]") {
  model::ClusterSnapshot s;
  s.resources.pods.resize(2);
  s.resources.pods[0].phase = "Running";
  s.resources.pods[1].phase = "Exploded";
  model::SnapshotSummary summary = summarize(s);
  CHECK(summary.pods_by_phase.at("Running") == 1);
  CHECK(summary.pods_by_phase.at("Unknown") == 1);
  CHECK(summary.pods_by_phase.size() == 5);
  CHECK(summary.pods_with_problems == 1);
  CHECK(summary.totals.empty());  // nothing marked as collected
}

TEST_CASE("not-ready nodes and warning events are counted", "[agent][service][summary]") {
  model::ClusterSnapshot s;
  s.resources.nodes.resize(3);
  s.resources.nodes[0].ready = true;
  s.resources.events.resize(3);
  s.resources.events[0].type = "Warning";
  s.resources.events[2].type = "Warning";
  s.collected = {model::ResourceKind::kNodes, model::ResourceKind::kEvents};
  model::SnapshotSummary summary = summarize(s);
  CHECK(summary.nodes_ready == 1);
  CHECK(summary.nodes_not_ready == 2);
  CHECK(summary.warning_events == 2);
  CHECK(summary.totals == std::map<std::string, int64_t>{{"nodes", 3}, {"events", 3}});
}

}  // namespace
}  // namespace corral::agent
