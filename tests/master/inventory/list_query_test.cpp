// List queries over a multiplied real cluster: each filter, the sorts, pages joined by continue
// tokens (also across a newer snapshot), and parameters refused with the parameter named.

#include "master/inventory/list_query.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/master/inventory/index_fixture.h"

namespace corral::master {
namespace {

using testing::sampleIndex;

ListQuery query(Kind kind, const QueryParams& params) {
  auto q = parseListQuery(kind, params);
  INFO(q.status().message());
  REQUIRE(q.isOk());
  return std::move(*q);
}

// The objects of every page, following the continue tokens.
std::vector<const IndexedObject*> allPages(const ClusterIndex& index, Kind kind,
                                           QueryParams params) {
  std::vector<const IndexedObject*> out;
  for (int pages = 0; pages < 1000; ++pages) {
    ListPage page = runListQuery(index, query(kind, params));
    for (uint32_t i : page.items) {
      out.push_back(&index.objects(kind)[i]);
    }
    if (page.next.empty()) {
      return out;
    }
    params.erase("continue");
    params.emplace("continue", page.next);
  }
  FAIL("the pages never end");
  return out;
}

std::vector<const IndexedObject*> everything(const ClusterIndex& index, Kind kind,
                                             const QueryParams& params) {
  QueryParams all = params;
  all.emplace("limit", "500");
  ListPage page = runListQuery(index, query(kind, all));
  REQUIRE(page.next.empty());
  std::vector<const IndexedObject*> out;
  for (uint32_t i : page.items) {
    out.push_back(&index.objects(kind)[i]);
  }
  CHECK(page.total == static_cast<int64_t>(out.size()));
  return out;
}

Status refusal(Kind kind, const QueryParams& params) {
  auto q = parseListQuery(kind, params);
  REQUIRE_FALSE(q.isOk());
  return q.status();
}

TEST_CASE("each filter keeps exactly the objects it describes", "[inventory][list]") {
  auto index = sampleIndex(200);
  auto pods = index->objects(Kind::kPods);

  for (const IndexedObject* o : everything(*index, Kind::kPods, {{"namespace", "default"}})) {
    CHECK(o->ns == "default");
  }
  auto on_node = everything(*index, Kind::kPods, {{"node", "minikube"}});
  CHECK(on_node.size() == index->podsOnNode("minikube").size());
  for (const IndexedObject* o : on_node) {
    CHECK(o->node == "minikube");
  }
  auto crashing = everything(*index, Kind::kPods, {{"status", "crashloopbackoff"}});
  REQUIRE_FALSE(crashing.empty());
  for (const IndexedObject* o : crashing) {
    CHECK(o->status == "CrashLoopBackOff");
  }
  auto pending = everything(*index, Kind::kPods, {{"phase", "Pending,Failed"}});
  for (const IndexedObject* o : pending) {
    CHECK((o->phase == "Pending" || o->phase == "Failed"));
  }
  size_t expected_pending = 0;
  for (const IndexedObject& o : pods) {
    expected_pending += o.phase == "Pending" || o.phase == "Failed" ? 1 : 0;
  }
  CHECK(pending.size() == expected_pending);
  auto oom = everything(*index, Kind::kPods, {{"reason", "OOMKilled"}});
  REQUIRE_FALSE(oom.empty());
  auto owned =
      everything(*index, Kind::kPods, {{"owner", "replicaset/kotsadm-api-00001-8gcrps74mv"}});
  CHECK(owned.size() == 10);
  auto labelled = everything(*index, Kind::kPods,
                             {{"label", "app=kotsadm-api-00001,app.kubernetes.io/appname"}});
  REQUIRE_FALSE(labelled.empty());
  for (const IndexedObject* o : labelled) {
    CHECK(*findLabel(o->labels, "app") == "kotsadm-api-00001");
  }
  auto not_in = everything(*index, Kind::kPods, {{"label", "app notin (kotsadm-api-00001)"}});
  CHECK(not_in.size() + 10 == pods.size());
  auto text = everything(*index, Kind::kPods, {{"q", "OOM-KILL"}});
  REQUIRE_FALSE(text.empty());
  for (const IndexedObject* o : text) {
    CHECK(o->name.find("oom-kill") != std::string_view::npos);
  }
  auto both = everything(*index, Kind::kPods, {{"namespace", "default"}, {"status", "Running"}});
  for (const IndexedObject* o : both) {
    CHECK((o->ns == "default" && o->status == "Running"));
  }
  auto warnings = everything(*index, Kind::kEvents, {{"status", "Warning"}});
  for (const IndexedObject* o : warnings) {
    CHECK(o->status == "Warning");
  }
  auto ready = everything(*index, Kind::kNodes, {{"status", "Ready"}});
  CHECK(ready.size() == index->objects(Kind::kNodes).size());
  CHECK(everything(*index, Kind::kPods, {{"namespace", "nope"}}).empty());
}

TEST_CASE("sorting orders by the field, then namespace and name", "[inventory][list]") {
  auto index = sampleIndex(200);
  auto by_default = everything(*index, Kind::kPods, {});
  for (size_t i = 1; i < by_default.size(); ++i) {
    CHECK(std::pair(by_default[i - 1]->ns, by_default[i - 1]->name) <
          std::pair(by_default[i]->ns, by_default[i]->name));
  }
  auto by_restarts = everything(*index, Kind::kPods, {{"sort", "-restarts"}});
  for (size_t i = 1; i < by_restarts.size(); ++i) {
    CHECK(by_restarts[i - 1]->restarts >= by_restarts[i]->restarts);
  }
  auto by_name = everything(*index, Kind::kPods, {{"sort", "name"}});
  for (size_t i = 1; i < by_name.size(); ++i) {
    CHECK(by_name[i - 1]->name <= by_name[i]->name);
  }
  auto events = everything(*index, Kind::kEvents, {});  // newest first by default
  for (size_t i = 1; i < events.size(); ++i) {
    CHECK(events[i - 1]->last_seen >= events[i]->last_seen);
  }
}

TEST_CASE("pages joined by continue tokens give every object once, in order", "[inventory][list]") {
  auto index = sampleIndex(200);
  for (const QueryParams& params :
       {QueryParams{{"limit", "7"}}, QueryParams{{"limit", "13"}, {"sort", "-restarts"}},
        QueryParams{{"limit", "5"}, {"sort", "node"}, {"phase", "Running"}},
        QueryParams{{"limit", "1"}, {"namespace", "default"}}}) {
    auto paged = allPages(*index, Kind::kPods, params);
    QueryParams whole = params;
    whole.erase("limit");
    auto at_once = everything(*index, Kind::kPods, whole);
    CHECK(paged == at_once);
  }
  ListPage first = runListQuery(*index, query(Kind::kPods, {{"limit", "10"}}));
  CHECK(first.items.size() == 10);
  CHECK(first.total == index->count(Kind::kPods));
}

TEST_CASE("a continue token goes on from its position in a newer snapshot", "[inventory][list]") {
  auto older = sampleIndex(200, 1);
  ListPage first = runListQuery(*older, query(Kind::kPods, {{"limit", "50"}}));
  auto pods = older->objects(Kind::kPods);
  REQUIRE(first.items.back() == 49);
  // In the newer snapshot the pod that would have come next is gone.
  auto cluster = testing::sampleCluster(200, "sample", 2);
  auto gone = std::find_if(cluster.resources.pods.begin(), cluster.resources.pods.end(),
                           [&](const auto& p) { return p.meta.name == pods[50].name; });
  REQUIRE(gone != cluster.resources.pods.end());
  cluster.resources.pods.erase(gone);
  auto newer = testing::indexOf(testing::envelopeJson(cluster));
  ListPage second =
      runListQuery(*newer, query(Kind::kPods, {{"limit", "50"}, {"continue", first.next}}));
  REQUIRE_FALSE(second.items.empty());
  CHECK(newer->objects(Kind::kPods)[second.items.front()].name == pods[51].name);
  CHECK(second.total == older->count(Kind::kPods) - 1);
}

TEST_CASE("bad parameters are refused naming the parameter", "[inventory][list]") {
  auto check = [](Kind kind, const QueryParams& params, const std::string& named) {
    Status s = refusal(kind, params);
    INFO(s.message());
    CHECK(s.code() == ErrorCode::kInvalidArgument);
    CHECK(s.message().find("query parameter '" + named + "'") != std::string::npos);
  };
  check(Kind::kPods, {{"label", "app in (a"}}, "label");
  check(Kind::kPods, {{"owner", "ReplicaSet"}}, "owner");
  check(Kind::kPods, {{"sort", "colour"}}, "sort");
  check(Kind::kDeployments, {{"sort", "restarts"}}, "sort");
  check(Kind::kPods, {{"limit", "0"}}, "limit");
  check(Kind::kPods, {{"limit", "501"}}, "limit");
  check(Kind::kPods, {{"limit", "ten"}}, "limit");
  check(Kind::kPods, {{"continue", "not-a-token!"}}, "continue");
  check(Kind::kNodes, {{"namespace", "default"}}, "namespace");
  check(Kind::kDeployments, {{"node", "minikube"}}, "node");
  check(Kind::kServices, {{"status", "Running"}}, "status");
  check(Kind::kConfigMaps, {{"phase", "Active"}}, "phase");
  check(Kind::kPods, {{"q", std::string(300, 'x')}}, "q");

  // A token is bound to its query: another filter or sort cannot use it.
  auto index = sampleIndex(0);
  ListPage page = runListQuery(*index, query(Kind::kPods, {{"limit", "2"}}));
  REQUIRE_FALSE(page.next.empty());
  check(Kind::kPods, {{"limit", "2"}, {"continue", page.next}, {"sort", "-name"}}, "continue");
  check(Kind::kEvents, {{"limit", "2"}, {"continue", page.next}}, "continue");
  CHECK(parseListQuery(Kind::kPods, {{"limit", "9"}, {"continue", page.next}}).isOk());
}

TEST_CASE("a page renders as the list answer with the objects as sent", "[inventory][list]") {
  auto index = sampleIndex(0);
  ListPage page = runListQuery(*index, query(Kind::kPods, {{"limit", "3"}}));
  Json answer = Json::parse(renderListPage(*index, Kind::kPods, page));
  CHECK(answer["cluster_id"] == "sample");
  CHECK(answer["kind"] == "pods");
  CHECK(answer["version"] == 1);
  CHECK(answer["total"] == index->count(Kind::kPods));
  REQUIRE(answer["items"].size() == 3);
  CHECK(answer["items"][0] == Json::parse(index->objects(Kind::kPods)[0].json));
  CHECK(answer["continue"].is_string());
}

}  // namespace
}  // namespace corral::master
