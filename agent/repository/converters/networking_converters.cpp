#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

namespace {

// status.loadBalancer.ingress: each entry has an ip or a hostname (AWS load balancers).
std::vector<std::string> loadBalancerAddresses(const Json& item) {
  std::vector<std::string> out;
  for (const Json& entry : fields::array(fields::at(item, {"status", "loadBalancer", "ingress"}))) {
    std::string address = fields::str(entry, {"ip"});
    if (address.empty()) {
      address = fields::str(entry, {"hostname"});
    }
    if (!address.empty()) {
      out.push_back(std::move(address));
    }
  }
  return out;
}

model::IngressPath ingressPath(const Json& path) {
  model::IngressPath out;
  out.path = fields::str(path, {"path"});
  out.path_type = fields::str(path, {"pathType"});
  const Json& backend = fields::at(path, {"backend"});
  out.service_name = fields::str(backend, {"service", "name"});
  out.service_port = fields::intOrString(fields::at(backend, {"service", "port", "number"}));
  if (out.service_port.empty()) {
    out.service_port = fields::str(backend, {"service", "port", "name"});
  }
  // networking.k8s.io/v1beta1, still served by clusters older than 1.22.
  if (out.service_name.empty()) {
    out.service_name = fields::str(backend, {"serviceName"});
    out.service_port = fields::intOrString(fields::at(backend, {"servicePort"}));
  }
  return out;
}

}  // namespace

Result<model::Service> serviceFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Service", item);
  }
  const Json& spec = fields::at(item, {"spec"});
  model::Service s;
  s.meta = metaFromJson(item, "Service");
  s.type = fields::str(spec, {"type"});
  s.cluster_ip = fields::str(spec, {"clusterIP"});
  for (const Json& ip : fields::array(fields::at(spec, {"externalIPs"}))) {
    if (std::string address = fields::str(ip); !address.empty()) {
      s.external_ips.push_back(std::move(address));
    }
  }
  for (std::string& address : loadBalancerAddresses(item)) {
    s.external_ips.push_back(std::move(address));
  }
  s.external_name = fields::str(spec, {"externalName"});
  for (const Json& p : fields::array(fields::at(spec, {"ports"}))) {
    model::ServicePort port;
    port.name = fields::str(p, {"name"});
    port.port = fields::integer(p, {"port"});
    port.target_port = fields::intOrString(fields::at(p, {"targetPort"}));
    port.protocol = fields::str(p, {"protocol"});
    port.node_port = fields::integer(p, {"nodePort"});
    s.ports.push_back(std::move(port));
  }
  s.selector = fields::stringMap(fields::at(spec, {"selector"}));
  return s;
}

Result<model::Ingress> ingressFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Ingress", item);
  }
  const Json& spec = fields::at(item, {"spec"});
  model::Ingress ing;
  ing.meta = metaFromJson(item, "Ingress");
  ing.ingress_class = fields::str(spec, {"ingressClassName"});
  if (ing.ingress_class.empty()) {
    ing.ingress_class =
        fields::str(item, {"metadata", "annotations", "kubernetes.io/ingress.class"});
  }
  for (const Json& r : fields::array(fields::at(spec, {"rules"}))) {
    model::IngressRule rule;
    rule.host = fields::str(r, {"host"});
    for (const Json& p : fields::array(fields::at(r, {"http", "paths"}))) {
      rule.paths.push_back(ingressPath(p));
    }
    ing.rules.push_back(std::move(rule));
  }
  for (const Json& tls : fields::array(fields::at(spec, {"tls"}))) {
    for (const Json& host : fields::array(fields::at(tls, {"hosts"}))) {
      if (std::string name = fields::str(host); !name.empty()) {
        ing.tls_hosts.push_back(std::move(name));
      }
    }
  }
  ing.addresses = loadBalancerAddresses(item);
  return ing;
}

}  // namespace corral::agent
