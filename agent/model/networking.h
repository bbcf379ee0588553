#pragma once

// How traffic reaches pods: Services and Ingresses. Plain values, safe to copy between threads.

#include <cstdint>
#include <string>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"

namespace corral::agent::model {

struct ServicePort {
  std::string name;
  int64_t port = 0;
  std::string target_port;  // a number ("8080") or a container port's name ("http")
  std::string protocol;     // TCP | UDP | SCTP
  int64_t node_port = 0;    // 0 unless NodePort or LoadBalancer
};

struct Service {
  CommonMeta meta;
  std::string type;        // ClusterIP | NodePort | LoadBalancer | ExternalName
  std::string cluster_ip;  // "None" for a headless service
  // spec.externalIPs and the load balancer's ingress IPs or host names.
  std::vector<std::string> external_ips;
  std::string external_name;  // ExternalName services only
  std::vector<ServicePort> ports;
  StringMap selector;
};

struct IngressPath {
  std::string path;
  std::string path_type;     // Exact | Prefix | ImplementationSpecific
  std::string service_name;  // the backend service; empty for a resource backend
  std::string service_port;  // a number or a port name
};

struct IngressRule {
  std::string host;  // empty: every host
  std::vector<IngressPath> paths;
};

struct Ingress {
  CommonMeta meta;
  // spec.ingressClassName, else the older kubernetes.io/ingress.class annotation.
  std::string ingress_class;
  std::vector<IngressRule> rules;
  std::vector<std::string> tls_hosts;
  std::vector<std::string> addresses;  // the load balancer's IPs or host names
};

void to_json(Json& j, const ServicePort& v);
void to_json(Json& j, const Service& v);
void to_json(Json& j, const IngressPath& v);
void to_json(Json& j, const IngressRule& v);
void to_json(Json& j, const Ingress& v);

}  // namespace corral::agent::model
