#include <catch2/catch.hpp>

#include "agent/model/model.h"

namespace corral::agent::model {
namespace {

CommonMeta sampleMeta() {
  CommonMeta meta;
  meta.uid = "u-1";
  meta.name = "web-7d4b9c-x2x9z";
  meta.ns = "shop";
  meta.kind = "Pod";
  meta.node_name = "node-a";
  meta.owner_kind = "ReplicaSet";
  meta.owner_name = "web-7d4b9c";
  meta.labels = {{"app", "web"}};
  meta.created_at = "2026-01-01T00:00:00Z";
  return meta;
}

TEST_CASE("a kind's JSON is one flat object led by the common metadata", "[agent][model]") {
  Pod pod;
  pod.meta = sampleMeta();
  pod.phase = "Running";
  pod.reason = "Running";
  pod.ready = "1/1";
  Json j = pod;
  CHECK(j["uid"] == "u-1");
  CHECK(j["name"] == "web-7d4b9c-x2x9z");
  CHECK(j["namespace"] == "shop");
  CHECK(j["kind"] == "Pod");
  CHECK(j["node_name"] == "node-a");
  CHECK(j["owner_kind"] == "ReplicaSet");
  CHECK(j["owner_name"] == "web-7d4b9c");
  CHECK(j["labels"] == Json{{"app", "web"}});
  CHECK(j["annotations"] == Json::object());
  CHECK(j["created_at"] == "2026-01-01T00:00:00Z");
  CHECK(j["phase"] == "Running");
  CHECK(j["ready"] == "1/1");
  CHECK(j["containers"] == Json::array());
}

TEST_CASE("a container's exit codes are null until it has terminated", "[agent][model]") {
  Container running;
  running.state = "running";
  Json j = running;
  CHECK(j["exit_code"].is_null());
  CHECK(j["last_exit_code"].is_null());

  Container oom;
  oom.state = "terminated";
  oom.reason = "OOMKilled";
  oom.exit_code = 137;
  oom.requests.memory = "100Mi";
  j = oom;
  CHECK(j["exit_code"] == 137);
  CHECK(j["reason"] == "OOMKilled");
  CHECK(j["requests"] == Json{{"cpu", ""}, {"memory", "100Mi"}});
}

TEST_CASE("node, workload, network, event and config JSON carry their fields", "[agent][model]") {
  Node node;
  node.meta.name = "node-a";
  node.ready = true;
  node.roles = {"control-plane"};
  node.taints = {{"dedicated", "gpu", "NoSchedule"}};
  Json n = node;
  CHECK(n["ready"] == true);
  CHECK(n["roles"] == Json{"control-plane"});
  CHECK(n["taints"][0] == Json{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}});

  Deployment d;
  d.replicas = 2;
  d.ready_replicas = 1;
  Json dj = d;
  CHECK(dj["replicas"] == 2);
  CHECK(dj["ready_replicas"] == 1);

  DaemonSet ds;
  ds.desired_number_scheduled = 3;
  CHECK(Json(ds)["desired_number_scheduled"] == 3);

  Service s;
  s.type = "NodePort";
  s.ports = {{"http", 80, "8080", "TCP", 30080}};
  Json sj = s;
  CHECK(sj["ports"][0] == Json{{"name", "http"},
                               {"port", 80},
                               {"target_port", "8080"},
                               {"protocol", "TCP"},
                               {"node_port", 30080}});

  Ingress ing;
  ing.ingress_class = "nginx";
  ing.rules = {{"shop.example.com", {{"/", "Prefix", "web", "80"}}}};
  Json ij = ing;
  CHECK(ij["class"] == "nginx");
  CHECK(ij["rules"][0]["paths"][0]["service_name"] == "web");

  Event e;
  e.involved = {"Pod", "web-1", "shop", "u-2"};
  e.count = 3;
  Json ej = e;
  CHECK(ej["involved_object"] ==
        Json{{"kind", "Pod"}, {"name", "web-1"}, {"namespace", "shop"}, {"uid", "u-2"}});
  CHECK(ej["count"] == 3);

  ConfigMap cm;
  cm.data_keys = {"app.properties"};
  Json cj = cm;
  CHECK(cj["data_keys"] == Json{"app.properties"});
  CHECK_FALSE(cj.contains("data"));

  Namespace ns;
  ns.phase = "Active";
  CHECK(Json(ns)["phase"] == "Active");
}

}  // namespace
}  // namespace corral::agent::model
