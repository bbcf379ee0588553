#include "agent/model/networking.h"

namespace corral::agent::model {

void to_json(Json& j, const ServicePort& v) {
  j = Json{{"name", v.name},
           {"port", v.port},
           {"target_port", v.target_port},
           {"protocol", v.protocol},
           {"node_port", v.node_port}};
}

void to_json(Json& j, const Service& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["type"] = v.type;
  j["cluster_ip"] = v.cluster_ip;
  j["external_ips"] = v.external_ips;
  j["external_name"] = v.external_name;
  j["ports"] = v.ports;
  j["selector"] = v.selector;
}

void to_json(Json& j, const IngressPath& v) {
  j = Json{{"path", v.path},
           {"path_type", v.path_type},
           {"service_name", v.service_name},
           {"service_port", v.service_port}};
}

void to_json(Json& j, const IngressRule& v) { j = Json{{"host", v.host}, {"paths", v.paths}}; }

void to_json(Json& j, const Ingress& v) {
  j = Json::object();
  writeMeta(j, v.meta);
  j["class"] = v.ingress_class;
  j["rules"] = v.rules;
  j["tls_hosts"] = v.tls_hosts;
  j["addresses"] = v.addresses;
}

}  // namespace corral::agent::model
