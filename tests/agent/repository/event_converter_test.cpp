// Events from the recorded EventLists: core v1 events with counts, and events.k8s.io ones that
// leave count and the timestamps empty.

#include <algorithm>
#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"
#include "tests/agent/support/fake_k8s_client.h"

namespace corral::agent {
namespace {

std::vector<model::Event> eventsOf(const std::string& file) {
  std::vector<model::Event> events;
  const Json list = testing::fixtureFile("events/" + file);
  for (const Json& item : list["items"]) {
    Result<model::Event> event = eventFromJson(item);
    REQUIRE(event.isOk());
    events.push_back(std::move(event).value());
  }
  return events;
}

TEST_CASE("events carry type, reason, count, object and source", "[agent][converters][event]") {
  std::vector<model::Event> events = eventsOf("message-pod-init-crashloop-backoff.json");
  REQUIRE(events.size() == 17);
  auto backoff = std::find_if(events.begin(), events.end(), [](const model::Event& e) {
    return e.reason == "BackOff" && e.involved.name == "init-demo";
  });
  REQUIRE(backoff != events.end());
  CHECK(backoff->type == "Warning");
  CHECK(backoff->count == 111);
  CHECK(backoff->meta.kind == "Event");
  CHECK(backoff->meta.name == "init-demo.1770b2b1917b81fa");
  CHECK(backoff->involved.kind == "Pod");
  CHECK(backoff->involved.ns == "message-pod-init-crashloop-backoff");
  CHECK(backoff->involved.uid == "8d27f35a-4b45-4752-a5db-7985ea8b38bf");
  CHECK(backoff->first_timestamp == "2023-07-11T03:32:15Z");
  CHECK(backoff->last_timestamp == "2023-07-11T03:56:47Z");
  CHECK(backoff->source_component == "kubelet");
  CHECK(backoff->source_host == "minikube");
  CHECK(std::count_if(events.begin(), events.end(),
                      [](const model::Event& e) { return e.type == "Warning"; }) == 6);
}

TEST_CASE("events without count or timestamps fall back to eventTime and the reporter",
          "[agent][converters][event]") {
  std::vector<model::Event> events = eventsOf("message-image-pull-fail.json");
  REQUIRE(events.size() == 17);
  const model::Event& scheduled = events[0];
  CHECK(scheduled.reason == "Scheduled");
  CHECK(scheduled.type == "Normal");
  CHECK(scheduled.count == 1);
  CHECK(scheduled.first_timestamp == "2023-07-11T05:34:44.764227Z");
  CHECK(scheduled.last_timestamp == "2023-07-11T05:34:44.764227Z");
  CHECK(scheduled.source_component == "default-scheduler");
  CHECK(scheduled.source_host.empty());
  CHECK(scheduled.message ==
        "Successfully assigned default/no-image-deployment-849c4c4958-rxqmt to minikube");
}

TEST_CASE("events record image pull failures and a job's backoff limit",
          "[agent][converters][event]") {
  std::vector<model::Event> events = eventsOf("message-image-pull-fail.json");
  auto failed = std::find_if(events.begin(), events.end(), [](const model::Event& e) {
    return e.reason == "Failed" && e.count == 5;
  });
  REQUIRE(failed != events.end());
  CHECK(failed->type == "Warning");
  CHECK(failed->involved.name == "no-image-deployment-849c4c4958-rxqmt");
  auto limit = std::find_if(events.begin(), events.end(), [](const model::Event& e) {
    return e.reason == "BackoffLimitExceeded";
  });
  REQUIRE(limit != events.end());
  CHECK(limit->involved.kind == "Job");
  CHECK(limit->involved.name == "oom-kill-job3");
  CHECK(limit->source_component == "job-controller");
  CHECK(limit->message == "Job has reached the specified backoff limit");
}

TEST_CASE("a large event list converts whole", "[agent][converters][event]") {
  std::vector<model::Event> events = eventsOf("message-container-creating-failed-mount.json");
  CHECK(events.size() == 76);
  CHECK(std::count_if(events.begin(), events.end(),
                      [](const model::Event& e) { return e.type == "Warning"; }) == 24);
  auto unhealthy = std::find_if(events.begin(), events.end(), [](const model::Event& e) {
    return e.reason == "Unhealthy" && e.count == 60;
  });
  REQUIRE(unhealthy != events.end());
  CHECK(unhealthy->involved.name == "failing-liveness-pod");
}

TEST_CASE("a Pod -> ReplicaSet -> Deployment chain can be followed through owners and events",
          "[agent][converters][event]") {
  model::Pod pod =
      podFromJson(testing::fixtureFile("pods/message-image-pull-fail.json")["items"][0]).value();
  std::vector<model::Event> events = eventsOf("message-image-pull-fail.json");
  auto created = std::find_if(events.begin(), events.end(), [](const model::Event& e) {
    return e.reason == "SuccessfulCreate" && e.involved.kind == "ReplicaSet";
  });
  auto scaled = std::find_if(events.begin(), events.end(),
                             [](const model::Event& e) { return e.reason == "ScalingReplicaSet"; });
  REQUIRE(created != events.end());
  REQUIRE(scaled != events.end());
  CHECK(pod.meta.owner_kind == "ReplicaSet");
  CHECK(created->involved.name == pod.meta.owner_name);
  CHECK(created->source_component == "replicaset-controller");
  CHECK(scaled->involved.kind == "Deployment");
  CHECK(scaled->involved.name == "no-image-deployment");
  CHECK(pod.meta.owner_name.starts_with(scaled->involved.name + "-"));
}

}  // namespace
}  // namespace corral::agent
