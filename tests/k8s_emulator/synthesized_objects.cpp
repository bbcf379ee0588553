#include "tests/k8s_emulator/synthesized_objects.h"

#include <set>
#include <string>

namespace corral::testing::k8s {

namespace {

const ResourceType& type(const char* name) { return *findResourceType(name); }

Object metadataFor(const std::string& ns, const std::string& name, const std::string& uid,
                   int64_t version, const std::string& created) {
  Object metadata = Object::object();
  metadata["name"] = name;
  if (!ns.empty()) {
    metadata["namespace"] = ns;
  }
  metadata["uid"] = uid;
  metadata["resourceVersion"] = std::to_string(version);
  metadata["creationTimestamp"] = created;
  return metadata;
}

// The earliest creationTimestamp among `objects`, so a synthesized owner predates what it owns.
std::string earliestCreation(const std::vector<Object>& objects, const std::string& fallback) {
  std::string earliest;
  for (const Object& object : objects) {
    std::string created = stringField(object, {"metadata", "creationTimestamp"});
    if (!created.empty() && (earliest.empty() || created < earliest)) {
      earliest = created;
    }
  }
  return earliest.empty() ? fallback : earliest;
}

void addMissingNamespaces(ObjectStore& store) {
  std::set<std::string> used;
  for (const ResourceType& t : resourceTypes()) {
    if (!t.namespaced) {
      continue;
    }
    for (const Object& object : store.all(t)) {
      used.insert(stringField(object, {"metadata", "namespace"}));
    }
  }
  auto model = store.get(type("namespaces"), "", "default");
  for (const std::string& ns : used) {
    if (store.get(type("namespaces"), "", ns)) {
      continue;
    }
    Object namespace_object = model ? *model : Object::object();
    namespace_object.erase("metadata");
    std::vector<Object> members;
    for (const char* kind : {"pods", "events", "deployments", "replicasets", "statefulsets"}) {
      for (Object& object : store.all(type(kind), ns)) {
        members.push_back(std::move(object));
      }
    }
    Object metadata = metadataFor("", ns, uidFor("namespace/" + ns), store.nextVersion(),
                                  earliestCreation(members, "2023-01-01T00:00:00Z"));
    metadata["labels"] = Object{{"kubernetes.io/metadata.name", ns}};
    Object rebuilt = Object::object();
    rebuilt["metadata"] = metadata;
    rebuilt["spec"] = Object{{"finalizers", Object::array({"kubernetes"})}};
    rebuilt["status"] = Object{{"phase", "Active"}};
    store.load(type("namespaces"), rebuilt);
  }
}

void addMissingNodes(ObjectStore& store) {
  std::vector<Object> nodes = store.all(type("nodes"));
  if (nodes.empty()) {
    return;
  }
  std::set<std::string> missing;
  for (const Object& pod : store.all(type("pods"))) {
    std::string node = stringField(pod, {"spec", "nodeName"});
    if (!node.empty() && !store.get(type("nodes"), "", node)) {
      missing.insert(node);
    }
  }
  for (const std::string& name : missing) {
    Object node = nodes.front();
    Object& metadata = node["metadata"];
    metadata["name"] = name;
    metadata["uid"] = uidFor("node/" + name);
    metadata["resourceVersion"] = std::to_string(store.nextVersion());
    metadata.erase("managedFields");
    metadata.erase("selfLink");
    if (metadata.contains("labels")) {
      metadata["labels"]["kubernetes.io/hostname"] = name;
    }
    if (const Object* addresses = findField(node, {"status", "addresses"})) {
      Object rewritten = *addresses;
      for (Object& address : rewritten) {
        if (address.value("type", "") == "Hostname") {
          address["address"] = name;
        }
      }
      node["status"]["addresses"] = rewritten;
    }
    store.load(type("nodes"), node);
  }
}

void addRootCaConfigMaps(ObjectStore& store) {
  std::vector<Object> recorded = store.all(type("configmaps"));
  const Object* model = nullptr;
  for (const Object& map : recorded) {
    if (stringField(map, {"metadata", "name"}) == "kube-root-ca.crt") {
      model = &map;
    }
  }
  if (model == nullptr) {
    return;
  }
  for (const Object& ns : store.all(type("namespaces"))) {
    std::string name = stringField(ns, {"metadata", "name"});
    if (store.get(type("configmaps"), name, "kube-root-ca.crt")) {
      continue;
    }
    Object map = *model;
    map["metadata"]["namespace"] = name;
    map["metadata"]["uid"] = uidFor("configmap/" + name + "/kube-root-ca.crt");
    map["metadata"]["resourceVersion"] = std::to_string(store.nextVersion());
    map["metadata"]["creationTimestamp"] = stringField(ns, {"metadata", "creationTimestamp"});
    store.load(type("configmaps"), map);
  }
}

Object port(const std::string& name, const std::string& protocol, int number,
            const Object& target) {
  Object p = Object::object();
  p["name"] = name;
  p["protocol"] = protocol;
  p["port"] = number;
  p["targetPort"] = target;
  return p;
}

void addServices(ObjectStore& store) {
  struct Spec {
    const char* ns;
    const char* name;
    Object labels;
    Object selector;
    Object ports;
    std::string cluster_ip;
  };
  const std::vector<Spec> specs = {
      {"default", "kubernetes", Object{{"component", "apiserver"}, {"provider", "kubernetes"}},
       nullptr, Object::array({port("https", "TCP", 443, 6443)}), "10.96.0.1"},
      {"kube-system", "kube-dns",
       Object{{"k8s-app", "kube-dns"},
              {"kubernetes.io/cluster-service", "true"},
              {"kubernetes.io/name", "CoreDNS"}},
       Object{{"k8s-app", "kube-dns"}},
       Object::array({port("dns", "UDP", 53, 53), port("dns-tcp", "TCP", 53, 53),
                      port("metrics", "TCP", 9153, 9153)}),
       "10.96.0.10"},
      {"default", "random-pod", Object{{"app.kubernetes.io/appname", "random-pod"}},
       Object{{"app.kubernetes.io/appname", "random-pod"}},
       Object::array({port("http", "TCP", 80, 80)}), ""},
      {"other", "other-pod", Object{{"app.kubernetes.io/appname", "other-pod"}},
       Object{{"app.kubernetes.io/appname", "other-pod"}},
       Object::array({port("http", "TCP", 80, 80)}), ""},
      {"message-image-pull-fail", "no-image-deployment", Object{{"app", "no-image-deployment"}},
       Object{{"app", "no-image-deployment"}}, Object::array({port("http", "TCP", 80, 80)}), ""},
      {"message-pending-pod-resources", "pending-pod-resources",
       Object{{"app", "pending-pod-resources"}}, Object{{"app", "pending-pod-resources"}},
       Object::array({port("http", "TCP", 80, 80)}), ""},
      {"message-pending-node-affinity", "kotsadm", Object{{"app", "kotsadm"}},
       Object{{"app", "kotsadm"}}, Object::array({port("http", "TCP", 3000, "http")}), ""},
      {"default", "kotsadm-api", Object{{"app", "kotsadm-api"}}, Object{{"app", "kotsadm-api"}},
       Object::array({port("http", "TCP", 3000, 3000)}), ""},
      {"monitoring", "grafana",
       Object{{"app.kubernetes.io/instance", "v0.49.0-17.1.3"},
              {"app.kubernetes.io/name", "grafana"}},
       Object{{"app.kubernetes.io/instance", "v0.49.0-17.1.3"},
              {"app.kubernetes.io/name", "grafana"}},
       Object::array({port("service", "TCP", 80, 3000)}), ""},
  };
  for (const Spec& spec : specs) {
    auto ns = store.get(type("namespaces"), "", spec.ns);
    if (!ns) {
      continue;
    }
    std::string ip = spec.cluster_ip.empty() ? clusterIpFor(std::string(spec.ns) + "/" + spec.name)
                                             : spec.cluster_ip;
    store.load(
        type("services"),
        makeService(spec.ns, spec.name, spec.labels, spec.selector, spec.ports, ip,
                    stringField(*ns, {"metadata", "creationTimestamp"}), store.nextVersion()));
  }
}

// The DaemonSet that the failed-mount pod's ownerReference names, with the pod template the
// DaemonSet controller would have stamped that pod from.
void addDaemonSet(ObjectStore& store) {
  auto pod = store.get(type("pods"), "message-container-creating-failed-mount",
                       "troubleshoot-copyfromhost-4m79m-psdjm");
  if (!pod) {
    return;
  }
  const Object* owners = findField(*pod, {"metadata", "ownerReferences"});
  if (owners == nullptr || !owners->is_array() || owners->empty()) {
    return;
  }
  const Object& owner = owners->front();
  std::string ns = stringField(*pod, {"metadata", "namespace"});
  Object labels = (*pod)["metadata"].value("labels", Object::object());
  labels.erase("controller-revision-hash");
  labels.erase("pod-template-generation");
  Object selector = Object::object();
  for (const char* key : {"troubleshoot.sh/collector", "troubleshoot.sh/copyfromhost-id"}) {
    if (labels.contains(key)) {
      selector[key] = labels[key];
    }
  }

  // What admission and the DaemonSet controller add to each pod is not in the template.
  Object pod_spec = (*pod)["spec"];
  for (const char* added :
       {"nodeName", "affinity", "priority", "enableServiceLinks", "preemptionPolicy"}) {
    pod_spec.erase(added);
  }
  if (pod_spec.contains("tolerations")) {
    Object kept = Object::array();
    for (const Object& toleration : pod_spec["tolerations"]) {
      if (toleration.value("key", "").rfind("node.kubernetes.io/", 0) != 0) {
        kept.push_back(toleration);
      }
    }
    pod_spec["tolerations"] = kept;
  }
  auto injected = [](const std::string& name) { return name.rfind("kube-api-access-", 0) == 0; };
  if (pod_spec.contains("volumes")) {
    Object kept = Object::array();
    for (const Object& volume : pod_spec["volumes"]) {
      if (!injected(volume.value("name", ""))) {
        kept.push_back(volume);
      }
    }
    pod_spec["volumes"] = kept;
  }
  for (Object& container : pod_spec["containers"]) {
    if (container.contains("volumeMounts")) {
      Object kept = Object::array();
      for (const Object& mount : container["volumeMounts"]) {
        if (!injected(mount.value("name", ""))) {
          kept.push_back(mount);
        }
      }
      container["volumeMounts"] = kept;
    }
  }

  Object ds = Object::object();
  ds["metadata"] =
      metadataFor(ns, stringField(owner, {"name"}), stringField(owner, {"uid"}),
                  store.nextVersion(), stringField(*pod, {"metadata", "creationTimestamp"}));
  ds["metadata"]["generation"] = 1;
  ds["metadata"]["labels"] = labels;
  ds["metadata"]["annotations"] = Object{{"deprecated.daemonset.template.generation", "1"}};
  Object template_metadata = Object::object();
  template_metadata["creationTimestamp"] = nullptr;
  template_metadata["labels"] = labels;
  Object rolling = Object::object();
  rolling["maxUnavailable"] = 1;
  rolling["maxSurge"] = 0;
  Object spec = Object::object();
  spec["selector"] = Object{{"matchLabels", selector}};
  spec["template"] = Object{{"metadata", template_metadata}, {"spec", pod_spec}};
  spec["updateStrategy"] = Object{{"type", "RollingUpdate"}, {"rollingUpdate", rolling}};
  spec["revisionHistoryLimit"] = 10;
  ds["spec"] = spec;
  Object status = Object::object();
  status["currentNumberScheduled"] = 1;
  status["numberMisscheduled"] = 0;
  status["desiredNumberScheduled"] = 1;
  status["numberReady"] = 0;
  status["observedGeneration"] = 1;
  status["updatedNumberScheduled"] = 1;
  status["numberUnavailable"] = 1;
  ds["status"] = status;
  store.load(type("daemonsets"), ds);
}

void addIngress(ObjectStore& store) {
  auto service = store.get(type("services"), "default", "random-pod");
  if (!service) {
    return;
  }
  Object backend = Object::object();
  backend["service"] = Object{{"name", "random-pod"}, {"port", Object{{"number", 80}}}};
  Object path = Object::object();
  path["path"] = "/";
  path["pathType"] = "Prefix";
  path["backend"] = backend;
  Object rule = Object::object();
  rule["host"] = "random-pod.example.com";
  rule["http"] = Object{{"paths", Object::array({path})}};
  Object ingress = Object::object();
  ingress["metadata"] =
      metadataFor("default", "random-pod", uidFor("ingress/default/random-pod"),
                  store.nextVersion(), stringField(*service, {"metadata", "creationTimestamp"}));
  ingress["metadata"]["generation"] = 1;
  Object spec = Object::object();
  spec["ingressClassName"] = "nginx";
  spec["rules"] = Object::array({rule});
  ingress["spec"] = spec;
  ingress["status"] =
      Object{{"loadBalancer", Object{{"ingress", Object::array({Object{{"ip", "172.18.0.2"}}})}}}};
  store.load(type("ingresses"), ingress);
}

}  // namespace

std::string clusterIpFor(const std::string& seed) {
  uint64_t h = hash64("service-ip/" + seed);
  // 10.96.1.0 to 10.96.254.254: clear of the addresses the control plane takes.
  return "10.96." + std::to_string(1 + h % 254) + "." + std::to_string(1 + (h >> 8) % 254);
}

Object makeService(const std::string& ns, const std::string& name, const Object& labels,
                   const Object& selector, const Object& ports, const std::string& cluster_ip,
                   const std::string& created, int64_t version) {
  Object service = Object::object();
  service["metadata"] =
      metadataFor(ns, name, uidFor("service/" + ns + "/" + name), version, created);
  if (labels.is_object() && !labels.empty()) {
    service["metadata"]["labels"] = labels;
  }
  Object spec = Object::object();
  spec["ports"] = ports;
  if (selector.is_object()) {
    spec["selector"] = selector;
  }
  spec["clusterIP"] = cluster_ip;
  spec["clusterIPs"] = Object::array({cluster_ip});
  spec["type"] = "ClusterIP";
  spec["sessionAffinity"] = "None";
  spec["ipFamilies"] = Object::array({"IPv4"});
  spec["ipFamilyPolicy"] = "SingleStack";
  spec["internalTrafficPolicy"] = "Cluster";
  service["spec"] = spec;
  service["status"] = Object{{"loadBalancer", Object::object()}};
  return service;
}

void addSynthesizedObjects(ObjectStore& store) {
  addMissingNamespaces(store);
  addMissingNodes(store);
  addRootCaConfigMaps(store);
  addServices(store);
  addDaemonSet(store);
  addIngress(store);
}

}  // namespace corral::testing::k8s
