#include "tests/k8s_emulator/pod_multiplier.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/k8s_emulator/synthesized_objects.h"

namespace corral::testing::k8s {

namespace {

const ResourceType& type(const char* name) { return *findResourceType(name); }

std::string suffixed(const std::string& base, int64_t n) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%05lld", static_cast<long long>(n));
  return base + suffix;
}

// The ReplicaSet's pod-template-hash, in the alphabet the controller uses (no vowels).
std::string templateHash(const std::string& seed) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  uint64_t h = hash64("pod-template-hash/" + seed);
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += kAlphabet[h % (sizeof kAlphabet - 1)];
    h /= sizeof kAlphabet - 1;
  }
  return out;
}

std::string hex16(const std::string& seed) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash64(seed)));
  return out;
}

Object ownerReference(const std::string& kind, const Object& owner) {
  Object ref = Object::object();
  ref["apiVersion"] = "apps/v1";
  ref["kind"] = kind;
  ref["name"] = owner["metadata"]["name"];
  ref["uid"] = owner["metadata"]["uid"];
  ref["controller"] = true;
  ref["blockOwnerDeletion"] = true;
  return ref;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) {
    return;
  }
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Rewrites `object`'s identity. Managed fields go: they name the recorded object's uid and would
// double the memory of a large cluster.
void rename(Object& object, const std::string& ns, const std::string& name, const std::string& uid,
            int64_t version) {
  Object& metadata = object["metadata"];
  metadata["name"] = name;
  if (!ns.empty()) {
    metadata["namespace"] = ns;
  }
  metadata["uid"] = uid;
  metadata["resourceVersion"] = std::to_string(version);
  metadata.erase("managedFields");
  metadata.erase("selfLink");
}

std::vector<Object> podEventTemplates(const ObjectStore& store) {
  std::vector<Object> templates;
  for (Object& event : store.all(type("events"))) {
    if (stringField(event, {"involvedObject", "kind"}) == "Pod") {
      templates.push_back(std::move(event));
    }
  }
  return templates;
}

std::vector<std::string> addNodes(ObjectStore& store, int pods) {
  std::vector<Object> recorded = store.all(type("nodes"));
  size_t wanted = static_cast<size_t>((pods + kPodsPerNode - 1) / kPodsPerNode);
  for (size_t i = recorded.size(); i < wanted && !recorded.empty(); ++i) {
    Object node = recorded[i % recorded.size()];
    std::string base = stringField(node, {"metadata", "name"});
    std::string name = suffixed(base, static_cast<int64_t>(i - recorded.size() + 1));
    rename(node, "", name, uidFor("node/" + name), store.nextVersion());
    if (node["metadata"].contains("labels")) {
      node["metadata"]["labels"]["kubernetes.io/hostname"] = name;
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
  std::vector<std::string> names;
  for (const Object& node : store.all(type("nodes"))) {
    names.push_back(stringField(node, {"metadata", "name"}));
  }
  return names;
}

std::vector<std::string> workloadNamespaces(const ObjectStore& store) {
  std::vector<std::string> names;
  for (const Object& ns : store.all(type("namespaces"))) {
    std::string name = stringField(ns, {"metadata", "name"});
    // Lease objects only live there; no workload does.
    if (name != "kube-node-lease") {
      names.push_back(name);
    }
  }
  return names;
}

struct Group {
  std::string ns;
  Object deployment;
  Object replica_set;
  std::string hash;
  int size = 0;
  int running = 0;
};

Object makeDeployment(const Object& model, const Group& group, const std::string& name,
                      int64_t version) {
  Object deployment = model;
  rename(deployment, group.ns, name, uidFor("deployment/" + group.ns + "/" + name), version);
  deployment["metadata"]["generation"] = 1;
  deployment["metadata"]["labels"] = Object{{"app", name}};
  deployment["spec"]["replicas"] = group.size;
  deployment["spec"]["selector"] = Object{{"matchLabels", Object{{"app", name}}}};
  deployment["spec"]["template"]["metadata"]["labels"]["app"] = name;
  return deployment;
}

Object makeReplicaSet(const Object& model, const Group& group, int64_t version) {
  std::string deployment = stringField(group.deployment, {"metadata", "name"});
  std::string name = deployment + "-" + group.hash;
  Object labels = Object{{"app", deployment}, {"pod-template-hash", group.hash}};
  Object rs = model;
  rs["spec"]["template"] = group.deployment["spec"]["template"];
  rename(rs, group.ns, name, uidFor("replicaset/" + group.ns + "/" + name), version);
  rs["metadata"]["generation"] = 1;
  rs["metadata"]["labels"] = labels;
  rs["metadata"]["ownerReferences"] =
      Object::array({ownerReference("Deployment", group.deployment)});
  rs["spec"]["replicas"] = group.size;
  rs["spec"]["selector"] = Object{{"matchLabels", labels}};
  rs["spec"]["template"]["metadata"]["labels"] = labels;
  return rs;
}

void setWorkloadStatus(Object& deployment, Object& rs, const Group& group) {
  Object& d = deployment["status"];
  d["observedGeneration"] = 1;
  d["replicas"] = group.size;
  d["updatedReplicas"] = group.size;
  d["readyReplicas"] = group.running;
  d["availableReplicas"] = group.running;
  if (group.running < group.size) {
    d["unavailableReplicas"] = group.size - group.running;
  } else {
    d.erase("unavailableReplicas");
  }
  Object status = Object::object();
  status["replicas"] = group.size;
  status["fullyLabeledReplicas"] = group.size;
  status["readyReplicas"] = group.running;
  status["availableReplicas"] = group.running;
  status["observedGeneration"] = 1;
  rs["status"] = status;
}

Object makePod(const Object& model, const Group& group, int64_t index, const std::string& node,
               int64_t version) {
  Object pod = model;
  std::string name = suffixed(stringField(model, {"metadata", "name"}), index);
  rename(pod, group.ns, name, uidFor("pod/" + group.ns + "/" + name), version);
  Object& metadata = pod["metadata"];
  std::string rs_name = stringField(group.replica_set, {"metadata", "name"});
  metadata["generateName"] = rs_name + "-";
  Object labels = metadata.value("labels", Object::object());
  labels["app"] = stringField(group.deployment, {"metadata", "name"});
  labels["pod-template-hash"] = group.hash;
  metadata["labels"] = labels;
  metadata["ownerReferences"] = Object::array({ownerReference("ReplicaSet", group.replica_set)});
  if (!stringField(pod, {"spec", "nodeName"}).empty()) {
    pod["spec"]["nodeName"] = node;
  }
  return pod;
}

Object makeEvent(const Object& model, const Object& pod, int64_t version) {
  Object event = model;
  std::string pod_name = stringField(pod, {"metadata", "name"});
  std::string ns = stringField(pod, {"metadata", "namespace"});
  std::string name =
      pod_name + "." + hex16(pod_name + "/" + stringField(model, {"metadata", "name"}));
  std::string old_subject = stringField(model, {"involvedObject", "name"});
  rename(event, ns, name, uidFor("event/" + ns + "/" + name), version);
  Object& subject = event["involvedObject"];
  subject["namespace"] = ns;
  subject["name"] = pod_name;
  subject["uid"] = pod["metadata"]["uid"];
  subject["resourceVersion"] = pod["metadata"]["resourceVersion"];
  if (event.contains("message") && event["message"].is_string()) {
    std::string message = event["message"].get<std::string>();
    replaceAll(message, old_subject, pod_name);
    event["message"] = message;
  }
  return event;
}

}  // namespace

void multiplyPods(ObjectStore& store, int pods) {
  std::vector<Object> pod_models = store.all(type("pods"));
  std::vector<Object> event_models = podEventTemplates(store);
  std::vector<Object> deployment_models = store.all(type("deployments"));
  std::vector<Object> rs_models = store.all(type("replicasets"));
  // Copies drop the managed fields anyway; dropping them once here saves copying them each time.
  for (auto* models : {&pod_models, &event_models, &deployment_models, &rs_models}) {
    for (Object& model : *models) {
      model["metadata"].erase("managedFields");
    }
  }
  if (pods <= 0 || pod_models.empty() || deployment_models.empty() || rs_models.empty()) {
    return;
  }
  store.clear(type("pods"));
  store.clear(type("events"));
  std::vector<std::string> nodes = addNodes(store, pods);
  std::vector<std::string> namespaces = workloadNamespaces(store);

  int groups = (pods + kPodsPerDeployment - 1) / kPodsPerDeployment;
  for (int g = 0; g < groups; ++g) {
    Group group;
    group.ns = namespaces[static_cast<size_t>(g) % namespaces.size()];
    group.size = std::min(kPodsPerDeployment, pods - g * kPodsPerDeployment);
    const Object& deployment_model =
        deployment_models[static_cast<size_t>(g) % deployment_models.size()];
    std::string name = suffixed(stringField(deployment_model, {"metadata", "name"}), g + 1);
    group.hash = templateHash(group.ns + "/" + name);
    group.deployment = makeDeployment(deployment_model, group, name, store.nextVersion());
    group.replica_set = makeReplicaSet(rs_models[static_cast<size_t>(g) % rs_models.size()], group,
                                       store.nextVersion());

    std::vector<Object> members;
    for (int k = 0; k < group.size; ++k) {
      int64_t index = static_cast<int64_t>(g) * kPodsPerDeployment + k;
      const Object& model = pod_models[static_cast<size_t>(index) % pod_models.size()];
      Object pod = makePod(model, group, index + 1,
                           nodes[static_cast<size_t>(index) % nodes.size()], store.nextVersion());
      if (stringField(pod, {"status", "phase"}) == "Running") {
        ++group.running;
      }
      members.push_back(std::move(pod));
    }
    setWorkloadStatus(group.deployment, group.replica_set, group);
    for (int e = 0; e < kEventsPerDeployment && !event_models.empty(); ++e) {
      size_t model = static_cast<size_t>(g * kEventsPerDeployment + e) % event_models.size();
      const Object& subject = members[static_cast<size_t>(e * group.size / kEventsPerDeployment)];
      store.load(type("events"), makeEvent(event_models[model], subject, store.nextVersion()));
    }
    for (Object& pod : members) {
      store.load(type("pods"), std::move(pod));
    }
    Object ports = Object::array(
        {Object{{"name", "http"}, {"protocol", "TCP"}, {"port", 80}, {"targetPort", 8080}}});
    // Sequential addresses in 10.97.0.0/16: hashed ones would collide among thousands.
    std::string ip = "10." + std::to_string(97 + g / (254 * 256)) + "." +
                     std::to_string((g / 254) % 256) + "." + std::to_string(g % 254 + 1);
    store.load(type("services"),
               makeService(group.ns, name, Object{{"app", name}}, Object{{"app", name}}, ports, ip,
                           stringField(group.deployment, {"metadata", "creationTimestamp"}),
                           store.nextVersion()));
    store.load(type("deployments"), std::move(group.deployment));
    store.load(type("replicasets"), std::move(group.replica_set));
  }
}

}  // namespace corral::testing::k8s
