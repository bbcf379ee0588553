// The cluster index built from real snapshots (the recorded Kubernetes fixtures through the
// agent's converters): every object kept as sent, the fields the queries need read out of it, the
// lookups between objects, and bad input refused or tolerated without a crash.

#include "master/inventory/cluster_index.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "master/inventory/label_selector.h"
#include "tests/master/inventory/index_fixture.h"

namespace corral::master {
namespace {

using testing::indexOf;
using testing::sampleIndex;

const IndexedObject& required(const ClusterIndex& index, Kind kind, std::string_view ns,
                              std::string_view name) {
  const IndexedObject* o = index.find(kind, ns, name);
  INFO(kindName(kind) << " " << ns << "/" << name);
  REQUIRE(o != nullptr);
  return *o;
}

TEST_CASE("every object of a real snapshot is indexed with its text exactly as sent",
          "[inventory][index]") {
  std::string json = testing::sampleSnapshotJson(0);
  Json envelope = Json::parse(json);
  auto index = indexOf(json);
  for (Kind kind : allKinds()) {
    INFO(kindName(kind));
    const Json& sent = envelope["resources"][std::string(kindName(kind))];
    REQUIRE(index->count(kind) == static_cast<int64_t>(sent.size()));
    std::multiset<std::string> expected;
    for (const Json& item : sent) {
      expected.insert(item.dump());
    }
    std::multiset<std::string> kept;
    for (const IndexedObject& o : index->objects(kind)) {
      kept.insert(std::string(o.json));
    }
    CHECK(kept == expected);
  }
  CHECK(objectCounts(*index) == envelope["summary"]["totals"]);
}

TEST_CASE("the fields that lists filter on are read out of each object", "[inventory][index]") {
  auto index = sampleIndex(0);
  const IndexedObject& pod = required(*index, Kind::kPods, "message-image-pull-fail",
                                      "no-image-deployment-849c4c4958-rxqmt");
  CHECK(pod.node == "minikube");
  CHECK(pod.owner_kind == "ReplicaSet");
  CHECK(pod.owner_name == "no-image-deployment-849c4c4958");
  CHECK(pod.phase == "Pending");
  CHECK(pod.status == "ErrImagePull");
  CHECK(std::find(pod.reasons.begin(), pod.reasons.end(), "ErrImagePull") != pod.reasons.end());
  CHECK(pod.uid.size() == 36);
  CHECK_FALSE(pod.created_at.empty());
  REQUIRE(findLabel(pod.labels, "app") != nullptr);
  CHECK(*findLabel(pod.labels, "app") == "no-image-deployment");

  // A container that was OOM-killed shows in the reasons even when the pod says something else.
  const IndexedObject& oom =
      required(*index, Kind::kPods, "message-oomkill-pod", "oom-kill-job3-gbb89");
  CHECK(oom.owner_kind == "Job");
  CHECK(std::find(oom.reasons.begin(), oom.reasons.end(), "OOMKilled") != oom.reasons.end());

  const IndexedObject& node = required(*index, Kind::kNodes, "", "minikube");
  CHECK(node.status == "Ready");
  CHECK(node.ns.empty());

  int64_t healthy = 0;
  for (const IndexedObject& d : index->objects(Kind::kDeployments)) {
    CHECK((d.status == "Healthy" || d.status == "Unhealthy"));
    healthy += d.status == "Healthy" ? 1 : 0;
    CHECK_FALSE(d.selector.empty());
  }
  Json summary = Json::parse(testing::sampleSnapshotJson(0))["summary"];
  CHECK(healthy == summary["deployments_healthy"].get<int64_t>());

  int64_t warnings = 0;
  for (const IndexedObject& e : index->objects(Kind::kEvents)) {
    warnings += e.status == "Warning" ? 1 : 0;
    CHECK_FALSE(e.involved.name.empty());
    CHECK_FALSE(e.last_seen.empty());
  }
  CHECK(warnings == summary["warning_events"].get<int64_t>());

  const IndexedObject& ingress = required(*index, Kind::kIngresses, "default", "random-pod");
  REQUIRE(ingress.backends.size() == 1);
  CHECK(ingress.backends[0] == "random-pod");
  const IndexedObject& ns = required(*index, Kind::kNamespaces, "", "default");
  CHECK(ns.status == "Active");
}

TEST_CASE("owners, nodes and events link objects to each other", "[inventory][index]") {
  auto index = sampleIndex(30);
  auto owned_sets = index->ownedBy({"Deployment", "default", "kotsadm-api-00001"});
  REQUIRE(owned_sets.size() == 1);
  CHECK(owned_sets[0].kind == Kind::kReplicaSets);
  const IndexedObject& rs = index->object(owned_sets[0]);
  CHECK(rs.name == "kotsadm-api-00001-8gcrps74mv");
  auto pods = index->ownedBy({"ReplicaSet", "default", rs.name});
  CHECK(pods.size() == 10);
  for (const ObjectId& id : pods) {
    CHECK(id.kind == Kind::kPods);
    CHECK(index->object(id).owner_name == rs.name);
  }

  size_t placed = 0;
  for (const IndexedObject& node : index->objects(Kind::kNodes)) {
    for (uint32_t p : index->podsOnNode(node.name)) {
      CHECK(index->objects(Kind::kPods)[p].node == node.name);
      ++placed;
    }
  }
  size_t scheduled = 0;
  for (const IndexedObject& pod : index->objects(Kind::kPods)) {
    scheduled += pod.node.empty() ? 0 : 1;
  }
  CHECK(placed == scheduled);

  const IndexedObject& event = index->objects(Kind::kEvents)[0];
  auto about = index->eventsAbout({event.involved.kind, event.involved.ns, event.involved.name});
  REQUIRE_FALSE(about.empty());
  for (size_t i = 1; i < about.size(); ++i) {
    CHECK(index->objects(Kind::kEvents)[about[i - 1]].last_seen >=
          index->objects(Kind::kEvents)[about[i]].last_seen);
  }

  auto [first, last] = index->namespaceRange(Kind::kPods, "default");
  CHECK(last - first == 10);
  CHECK(index->namespaceRange(Kind::kPods, "nope") == std::pair<uint32_t, uint32_t>(0, 0));
  CHECK(index->find(Kind::kPods, "default", "nope") == nullptr);
}

TEST_CASE("a pretty-printed envelope is indexed as its compact form", "[inventory][index]") {
  std::string json = testing::sampleSnapshotJson(0);
  auto compact = indexOf(json);
  auto pretty = indexOf(Json::parse(json).dump(2));
  for (Kind kind : allKinds()) {
    REQUIRE(pretty->count(kind) == compact->count(kind));
    for (size_t i = 0; i < compact->objects(kind).size(); ++i) {
      CHECK(pretty->objects(kind)[i].json == compact->objects(kind)[i].json);
    }
  }
  CHECK(pretty->text().size() == compact->text().size());
}

TEST_CASE("escaped strings are decoded into the kept fields", "[inventory][index]") {
  Json pod = {{"uid", "u1"},
              {"name", "caf\u00e9"},
              {"namespace", "a\"b"},
              {"message", "line\none"},
              {"labels", {{"k", "v\\w"}}},
              {"phase", "Running"}};
  Json envelope = {{"cluster_id", "c"}, {"version", 1}, {"resources", {{"pods", {pod}}}}};
  auto index = indexOf(envelope.dump());
  const IndexedObject& o = index->objects(Kind::kPods)[0];
  CHECK(o.name == "caf\u00e9");
  CHECK(o.ns == "a\"b");
  CHECK(o.message == "line\none");
  CHECK(*findLabel(o.labels, "k") == "v\\w");
  CHECK(Json::parse(o.json) == pod);
}

TEST_CASE("objects of unexpected shapes are tolerated, never a crash", "[inventory][index]") {
  Json envelope = {{"cluster_id", "c"},
                   {"version", 1},
                   {"resources",
                    {{"pods",
                      {1,
                       "x",
                       nullptr,
                       Json::array(),
                       {{"name", 5}, {"labels", "nope"}, {"restarts", "many"}},
                       {{"name", "ok"},
                        {"namespace", "n"},
                        {"containers", {1, {{"reason", 2}}}},
                        {"conditions", "x"}}}},
                     {"secrets", {{{"name", "never"}}}},
                     {"nodes", "not a list"},
                     {"events", {{{"involved_object", "x"}, {"count", 1.5}}}}}}};
  auto index = indexOf(envelope.dump());
  CHECK(index->count(Kind::kPods) == 2);  // the two objects; the other items are skipped
  CHECK(index->count(Kind::kNodes) == 0);
  CHECK(index->count(Kind::kEvents) == 1);
  CHECK(index->objects(Kind::kEvents)[0].count == 1);
  CHECK(index->find(Kind::kPods, "n", "ok") != nullptr);
}

TEST_CASE("what is not a JSON object is refused with the right code", "[inventory][index]") {
  auto malformed = parseSnapshot(R"({"cluster_id": "c", "resources": {"pods": [)");
  REQUIRE_FALSE(malformed.isOk());
  CHECK(malformed.status().code() == ErrorCode::kBadRequest);
  CHECK(malformed.status().message().find("byte") != std::string::npos);
  auto array = parseSnapshot("[1, 2]");
  REQUIRE_FALSE(array.isOk());
  CHECK(array.status().code() == ErrorCode::kInvalidArgument);
  auto odd = parseSnapshot(R"({"resources": [1], "cluster_id": "c"})");
  REQUIRE(odd.isOk());
  CHECK(odd->head["resources"] == Json::array({1}));  // left for the envelope check to refuse
}

TEST_CASE("the index costs well under twice the snapshot's text", "[inventory][index]") {
  std::string json = testing::sampleSnapshotJson(500);
  size_t size = json.size();
  auto index = indexOf(std::move(json));
  INFO("text " << size << " bytes, index " << index->memoryBytes() << " bytes");
  CHECK(index->memoryBytes() < size * 2);
}

}  // namespace
}  // namespace corral::master
