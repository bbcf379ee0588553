// Services and Ingresses. No recorded ServiceList or IngressList exists in the fixtures; these
// objects follow the v1 and networking.k8s.io/v1 fields as a server returns them.

#include <catch2/catch.hpp>

#include "agent/repository/converters/converters.h"

namespace corral::agent {
namespace {

TEST_CASE("a service carries its type, addresses, ports and selector",
          "[agent][converters][networking]") {
  Json item = Json::parse(R"({
    "kind": "Service", "apiVersion": "v1",
    "metadata": {"name": "web", "namespace": "shop", "uid": "5c1b",
                 "creationTimestamp": "2024-05-01T10:00:00Z"},
    "spec": {"type": "LoadBalancer", "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
             "externalIPs": ["192.0.2.10"],
             "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080,
                        "nodePort": 31380},
                       {"name": "metrics", "protocol": "TCP", "port": 9090,
                        "targetPort": "metrics"}],
             "selector": {"app": "web"}, "sessionAffinity": "None"},
    "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.5"},
                                            {"hostname": "lb.example.com"}]}}
  })");
  model::Service s = serviceFromJson(item).value();
  CHECK(s.meta.name == "web");
  CHECK(s.meta.ns == "shop");
  CHECK(s.type == "LoadBalancer");
  CHECK(s.cluster_ip == "10.96.12.7");
  CHECK(s.external_ips == std::vector<std::string>{"192.0.2.10", "203.0.113.5", "lb.example.com"});
  REQUIRE(s.ports.size() == 2);
  CHECK(s.ports[0].name == "http");
  CHECK(s.ports[0].port == 80);
  CHECK(s.ports[0].target_port == "8080");
  CHECK(s.ports[0].protocol == "TCP");
  CHECK(s.ports[0].node_port == 31380);
  CHECK(s.ports[1].target_port == "metrics");
  CHECK(s.ports[1].node_port == 0);
  CHECK(s.selector == model::StringMap{{"app", "web"}});
}

TEST_CASE("a headless or external-name service converts", "[agent][converters][networking]") {
  model::Service headless =
      serviceFromJson(Json::parse(R"({"spec": {"clusterIP": "None", "ports": []}})")).value();
  CHECK(headless.cluster_ip == "None");
  CHECK(headless.meta.kind == "Service");
  model::Service external =
      serviceFromJson(
          Json::parse(R"({"spec": {"type": "ExternalName", "externalName": "db.example.com"}})"))
          .value();
  CHECK(external.external_name == "db.example.com");
}

TEST_CASE("an ingress carries its class, rules, backends and TLS hosts",
          "[agent][converters][networking]") {
  Json item = Json::parse(R"({
    "metadata": {"name": "shop", "namespace": "shop"},
    "spec": {"ingressClassName": "nginx",
             "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
             "rules": [{"host": "shop.example.com", "http": {"paths": [
                          {"path": "/", "pathType": "Prefix",
                           "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                          {"path": "/api", "pathType": "Prefix",
                           "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}},
                       {"http": {"paths": [{"path": "/static", "pathType": "Exact",
                           "backend": {"resource": {"kind": "StorageBucket",
                                                    "name": "assets"}}}]}}]},
    "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.9"}]}}
  })");
  model::Ingress ing = ingressFromJson(item).value();
  CHECK(ing.meta.kind == "Ingress");
  CHECK(ing.ingress_class == "nginx");
  REQUIRE(ing.rules.size() == 2);
  CHECK(ing.rules[0].host == "shop.example.com");
  REQUIRE(ing.rules[0].paths.size() == 2);
  CHECK(ing.rules[0].paths[0].path == "/");
  CHECK(ing.rules[0].paths[0].path_type == "Prefix");
  CHECK(ing.rules[0].paths[0].service_name == "web");
  CHECK(ing.rules[0].paths[0].service_port == "80");
  CHECK(ing.rules[0].paths[1].service_port == "http");
  CHECK(ing.rules[1].host.empty());
  CHECK(ing.rules[1].paths[0].service_name.empty());
  CHECK(ing.tls_hosts == std::vector<std::string>{"shop.example.com"});
  CHECK(ing.addresses == std::vector<std::string>{"203.0.113.9"});
  CHECK(Json(ing).dump().find("shop-tls") == std::string::npos);
}

TEST_CASE("an older ingress names its class by annotation and its backend by serviceName",
          "[agent][converters][networking]") {
  Json item = Json::parse(R"({
    "metadata": {"name": "legacy", "annotations": {"kubernetes.io/ingress.class": "traefik"}},
    "spec": {"rules": [{"host": "old.example.com", "http": {"paths": [
      {"path": "/", "backend": {"serviceName": "old-web", "servicePort": 8080}}]}}]}
  })");
  model::Ingress ing = ingressFromJson(item).value();
  CHECK(ing.ingress_class == "traefik");
  CHECK(ing.rules.at(0).paths.at(0).service_name == "old-web");
  CHECK(ing.rules.at(0).paths.at(0).service_port == "8080");
}

}  // namespace
}  // namespace corral::agent
