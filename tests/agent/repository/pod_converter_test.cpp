// Pods from the recorded PodLists in tests/fixtures/k8s/troubleshoot/pods: one per failure mode.

#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

using testing::fixtureFile;

model::Pod onlyPod(const std::string& file) {
  Json list = fixtureFile("pods/" + file);
  REQUIRE(list["items"].size() == 1);
  Result<model::Pod> pod = podFromJson(list["items"][0]);
  REQUIRE(pod.isOk());
  return std::move(pod).value();
}

TEST_CASE("a crash-looping pod shows CrashLoopBackOff, its restarts and the last exit",
          "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-pod-crashloop-backoff.json");
  CHECK(pod.meta.name == "init-demo");
  CHECK(pod.meta.ns == "message-pod-crashloop-backoff");
  CHECK(pod.meta.uid == "8d27f35a-4b45-4752-a5db-7985ea8b38bf");
  CHECK(pod.meta.kind == "Pod");
  CHECK(pod.meta.node_name == "minikube");
  CHECK(pod.meta.created_at == "2023-07-11T03:31:41Z");
  CHECK(pod.meta.owner_kind.empty());
  CHECK(pod.meta.annotations.empty());  // only kubectl's last-applied-configuration was there
  CHECK(pod.phase == "Running");
  CHECK(pod.reason == "CrashLoopBackOff");
  CHECK(pod.restarts == 4);
  CHECK(pod.ready == "0/1");
  CHECK(pod.ready_containers == 0);
  CHECK(pod.total_containers == 1);
  CHECK(pod.images == std::vector<std::string>{"nginx"});
  REQUIRE(pod.containers.size() == 1);
  const model::Container& c = pod.containers[0];
  CHECK(c.name == "nginx");
  CHECK(c.image == "nginx");
  CHECK(c.state == "waiting");
  CHECK(c.reason == "CrashLoopBackOff");
  CHECK(c.restart_count == 4);
  CHECK_FALSE(c.exit_code);
  CHECK(c.last_reason == "ContainerCannotRun");
  CHECK(c.last_exit_code == 127);
  CHECK(pod.pod_ip == "172.17.0.3");
  CHECK(pod.host_ip == "192.168.49.2");
  CHECK(pod.qos_class == "BestEffort");
  REQUIRE(pod.conditions.size() == 4);
  CHECK(pod.conditions[1].type == "Ready");
  CHECK(pod.conditions[1].status == "False");
  CHECK(pod.conditions[1].reason == "ContainersNotReady");
  CHECK(pod.conditions[1].message == "containers with unready status: [nginx]");
}

TEST_CASE("a pod that cannot pull its image shows ErrImagePull and its ReplicaSet",
          "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-image-pull-fail.json");
  CHECK(pod.meta.name == "no-image-deployment-849c4c4958-rxqmt");
  CHECK(pod.phase == "Pending");
  CHECK(pod.reason == "ErrImagePull");
  CHECK(pod.containers.at(0).reason == "ErrImagePull");
  CHECK(pod.containers.at(0).message.find("x509") != std::string::npos);
  CHECK(pod.meta.owner_kind == "ReplicaSet");
  CHECK(pod.meta.owner_name == "no-image-deployment-849c4c4958");
  CHECK(pod.meta.node_name == "minikube");
  CHECK(pod.images == std::vector<std::string>{"noimage.com/no-such-image"});
}

TEST_CASE("an OOM-killed Job pod shows OOMKilled with exit code 137 and its memory",
          "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-oomkill-pod.json");
  CHECK(pod.meta.name == "oom-kill-job3-gbb89");
  CHECK(pod.phase == "Failed");
  CHECK(pod.reason == "OOMKilled");
  CHECK(pod.meta.owner_kind == "Job");
  CHECK(pod.meta.owner_name == "oom-kill-job3");
  CHECK(pod.meta.labels.at("job-name") == "oom-kill-job3");
  const model::Container& c = pod.containers.at(0);
  CHECK(c.state == "terminated");
  CHECK(c.reason == "OOMKilled");
  CHECK(c.exit_code == 137);
  CHECK(c.requests.memory == "100Mi");
  CHECK(c.limits.memory == "100Mi");
  CHECK(c.requests.cpu.empty());
  CHECK(pod.requests.memory_bytes == int64_t{100} * 1024 * 1024);
  CHECK(pod.limits.memory_bytes == int64_t{100} * 1024 * 1024);
  CHECK(pod.requests.cpu_millis == 0);
  CHECK(pod.qos_class == "Burstable");
}

TEST_CASE("a pod no node can take is Unschedulable, without a node", "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-pending-pod-resources.json");
  CHECK(pod.meta.name == "pending-pod-resources-5fddcf7688-djjfc");
  CHECK(pod.phase == "Pending");
  CHECK(pod.reason == "Unschedulable");
  CHECK(pod.meta.node_name.empty());
  CHECK(pod.pod_ip.empty());
  CHECK(pod.meta.owner_name == "pending-pod-resources-5fddcf7688");
  REQUIRE(pod.conditions.size() == 1);
  CHECK(pod.conditions[0].type == "PodScheduled");
  CHECK(pod.conditions[0].reason == "Unschedulable");
  CHECK(pod.containers.at(0).requests.cpu == "3");
  CHECK(pod.containers.at(0).limits.memory == "5Gi");
  CHECK(pod.requests.cpu_millis == 3000);
  CHECK(pod.requests.memory_bytes == 5LL * 1024 * 1024 * 1024);
  CHECK(pod.qos_class == "Guaranteed");
  CHECK(pod.ready == "0/1");
}

TEST_CASE("init containers count toward requests as the scheduler counts them",
          "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-pending-node-affinity.json");
  CHECK(pod.reason == "Unschedulable");
  REQUIRE(pod.init_containers.size() == 4);
  CHECK(pod.init_containers[0].name == "schemahero-plan");
  CHECK(pod.init_containers[0].state.empty());  // never started
  CHECK(pod.init_containers[0].requests.cpu == "50m");
  // App container: 100m / 100Mi requested, 1 / 2Gi limit; the largest init container is the same.
  CHECK(pod.requests.cpu_millis == 100);
  CHECK(pod.requests.memory_bytes == int64_t{100} * 1024 * 1024);
  CHECK(pod.limits.cpu_millis == 1000);
  CHECK(pod.limits.memory_bytes == 2LL * 1024 * 1024 * 1024);
  CHECK(pod.images == std::vector<std::string>{"kotsadm/kotsadm:v1.100.3"});
}

TEST_CASE("a failing init container shows as Init:<reason>", "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-pod-init-crashloop-backoff.json");
  CHECK(pod.meta.name == "init-demo2");
  CHECK(pod.phase == "Pending");
  CHECK(pod.reason == "Init:RunContainerError");
  REQUIRE(pod.init_containers.size() == 1);
  CHECK(pod.init_containers[0].name == "install");
  CHECK(pod.init_containers[0].image == "busybox:1.28");
  CHECK(pod.init_containers[0].reason == "RunContainerError");
  CHECK(pod.init_containers[0].restart_count == 1);
  CHECK(pod.containers.at(0).reason == "PodInitializing");
  CHECK(pod.restarts == 1);
}

TEST_CASE("a pod waiting on a failed mount shows ContainerCreating and its DaemonSet",
          "[agent][converters][pod]") {
  model::Pod pod = onlyPod("message-container-creating-failed-mount.json");
  CHECK(pod.reason == "ContainerCreating");
  CHECK(pod.phase == "Pending");
  CHECK(pod.meta.owner_kind == "DaemonSet");
  CHECK(pod.meta.owner_name == "troubleshoot-copyfromhost-4m79m");
  CHECK(pod.pod_ip.empty());
  CHECK(pod.host_ip == "192.168.49.2");
}

TEST_CASE("a healthy pod is Running and ready", "[agent][converters][pod]") {
  model::Pod pod = onlyPod("default.json");
  CHECK(pod.meta.name == "random-pod-75b66db9b9-nqhp8");
  CHECK(pod.meta.ns == "default");
  CHECK(pod.meta.node_name == "chart-testing-control-plane");
  CHECK(pod.meta.owner_kind == "ReplicaSet");
  CHECK(pod.meta.owner_name == "random-pod-75b66db9b9");
  CHECK(pod.phase == "Running");
  CHECK(pod.reason == "Running");
  CHECK(pod.ready == "1/1");
  CHECK(pod.restarts == 0);
  CHECK(pod.containers.at(0).state == "running");
  CHECK(pod.containers.at(0).ready);
  CHECK(pod.pod_ip == "10.244.0.5");
  CHECK(pod.host_ip == "172.18.0.2");
}

TEST_CASE("a pod being deleted shows Terminating", "[agent][converters][pod]") {
  Json item = fixtureFile("pods/default.json")["items"][0];
  item["metadata"]["deletionTimestamp"] = "2023-03-23T17:00:00Z";
  CHECK(podFromJson(item)->reason == "Terminating");
}

TEST_CASE("a container that exited without a reason shows its exit code",
          "[agent][converters][pod]") {
  Json item = fixtureFile("pods/default.json")["items"][0];
  item["status"]["containerStatuses"][0]["state"] = {{"terminated", {{"exitCode", 2}}}};
  CHECK(podFromJson(item)->reason == "ExitCode:2");
}

}  // namespace
}  // namespace corral::agent
