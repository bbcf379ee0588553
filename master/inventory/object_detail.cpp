#include "master/inventory/object_detail.h"

#include <algorithm>
#include <vector>

#include "master/inventory/json_text.h"
#include "master/inventory/label_selector.h"

namespace corral::master {
namespace {

// Owner chains longer than this are a loop in bad data, not a real hierarchy.
constexpr int kMaxOwnerDepth = 8;

using Positions = std::vector<uint32_t>;

bool isWorkload(Kind kind) {
  return kind == Kind::kDeployments || kind == Kind::kReplicaSets || kind == Kind::kStatefulSets ||
         kind == Kind::kDaemonSets;
}

ObjectName nameOf(Kind kind, const IndexedObject& o) {
  return ObjectName{objectKind(kind), namespaced(kind) ? o.ns : std::string_view(), o.name};
}

// The positions of the objects of `kind` that `owner` controls.
Positions owned(const ClusterIndex& index, const ObjectName& owner, Kind kind) {
  Positions out;
  for (const ObjectId& id : index.ownedBy(owner)) {
    if (id.kind == kind) {
      out.push_back(id.index);
    }
  }
  return out;
}

// The pods of a workload: its own, and for a Deployment those of its replica sets.
Positions workloadPods(const ClusterIndex& index, Kind kind, const IndexedObject& o) {
  Positions pods = owned(index, nameOf(kind, o), Kind::kPods);
  if (kind == Kind::kDeployments) {
    auto sets = index.objects(Kind::kReplicaSets);
    for (uint32_t rs : owned(index, nameOf(kind, o), Kind::kReplicaSets)) {
      Positions more = owned(index, nameOf(Kind::kReplicaSets, sets[rs]), Kind::kPods);
      pods.insert(pods.end(), more.begin(), more.end());
    }
    std::sort(pods.begin(), pods.end());
  }
  return pods;
}

// Services of the namespace whose selector picks one of `pods`, or, when there are none, whose
// selector the workload's own `selector` satisfies (a service for a workload scaled to zero).
Positions servicesFor(const ClusterIndex& index, std::string_view ns, const Positions& pods,
                      const LabelList* selector) {
  Positions out;
  auto services = index.objects(Kind::kServices);
  auto all_pods = index.objects(Kind::kPods);
  auto [first, last] = index.namespaceRange(Kind::kServices, ns);
  for (uint32_t s = first; s < last; ++s) {
    const LabelList& wanted = services[s].selector;
    bool picks = std::any_of(pods.begin(), pods.end(),
                             [&](uint32_t p) { return selects(wanted, all_pods[p].labels); });
    if (!picks && pods.empty() && selector != nullptr) {
      picks = selects(wanted, *selector);
    }
    if (picks) {
      out.push_back(s);
    }
  }
  return out;
}

// Events about any of `subjects`, newest first.
Positions eventsAboutAll(const ClusterIndex& index, const std::vector<ObjectName>& subjects) {
  Positions out;
  for (const ObjectName& subject : subjects) {
    auto about = index.eventsAbout(subject);
    out.insert(out.end(), about.begin(), about.end());
  }
  auto events = index.objects(Kind::kEvents);
  std::sort(out.begin(), out.end(), [&](uint32_t a, uint32_t b) {
    return events[a].last_seen != events[b].last_seen ? events[a].last_seen > events[b].last_seen
                                                      : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Builds the answer: the header, then one member per related part.
class DetailWriter {
 public:
  DetailWriter(const ClusterIndex& index, Kind kind, const IndexedObject& object) : index_(index) {
    out_ = "{\"cluster_id\":";
    appendJsonString(out_, index.info().cluster_id);
    out_ += ",\"version\":" + std::to_string(index.info().version);
    out_ += R"(,"kind":")";
    out_ += kindName(kind);
    out_ += R"(","object":)";
    out_ += object.json;
  }

  void member(std::string_view name, std::string_view json) {
    out_ += ",\"";
    out_ += name;
    out_ += "\":";
    out_ += json;
  }

  void list(std::string_view name, Kind kind, const Positions& positions) {
    auto objects = index_.objects(kind);
    out_ += ",\"";
    out_ += name;
    out_ += "\":[";
    for (size_t n = 0; n < positions.size(); ++n) {
      if (n > 0) {
        out_ += ',';
      }
      out_ += objects[positions[n]].json;
    }
    out_ += ']';
  }

  // [{"kind", "name", "namespace", "object": {...} | null}, ...] from the direct owner upwards.
  void owners(const IndexedObject& start) {
    out_ += ",\"owners\":[";
    const IndexedObject* current = &start;
    for (int depth = 0; depth < kMaxOwnerDepth && current != nullptr &&
                        !current->owner_kind.empty() && !current->owner_name.empty();
         ++depth) {
      auto kind = parseAnyKind(current->owner_kind);
      std::string_view ns = kind && !namespaced(*kind) ? std::string_view() : current->ns;
      const IndexedObject* owner = kind ? index_.find(*kind, ns, current->owner_name) : nullptr;
      out_ += depth > 0 ? ",{\"kind\":" : "{\"kind\":";
      appendJsonString(out_, current->owner_kind);
      out_ += ",\"name\":";
      appendJsonString(out_, current->owner_name);
      out_ += ",\"namespace\":";
      appendJsonString(out_, ns);
      out_ += ",\"object\":";
      out_ += owner != nullptr ? owner->json : std::string_view("null");
      out_ += '}';
      current = owner;
    }
    out_ += ']';
  }

  std::string finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  const ClusterIndex& index_;
  std::string out_;
};

void describePod(const ClusterIndex& index, const IndexedObject& pod, DetailWriter& w) {
  const IndexedObject* node = pod.node.empty() ? nullptr : index.find(Kind::kNodes, "", pod.node);
  w.member("node", node != nullptr ? node->json : std::string_view("null"));
  w.owners(pod);
  Positions self{index.idOf(Kind::kPods, pod).index};
  w.list("services", Kind::kServices, servicesFor(index, pod.ns, self, nullptr));
  w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(Kind::kPods, pod)}));
}

void describeNode(const ClusterIndex& index, const IndexedObject& node, DetailWriter& w) {
  auto on_node = index.podsOnNode(node.name);
  w.list("pods", Kind::kPods, Positions(on_node.begin(), on_node.end()));
  w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(Kind::kNodes, node)}));
}

void describeWorkload(const ClusterIndex& index, Kind kind, const IndexedObject& o,
                      DetailWriter& w) {
  std::vector<ObjectName> subjects{nameOf(kind, o)};
  w.owners(o);
  if (kind == Kind::kDeployments) {
    Positions sets = owned(index, nameOf(kind, o), Kind::kReplicaSets);
    w.list("replicasets", Kind::kReplicaSets, sets);
    for (uint32_t rs : sets) {
      subjects.push_back(nameOf(Kind::kReplicaSets, index.objects(Kind::kReplicaSets)[rs]));
    }
  }
  Positions pods = workloadPods(index, kind, o);
  w.list("pods", Kind::kPods, pods);
  w.list("services", Kind::kServices, servicesFor(index, o.ns, pods, &o.selector));
  for (uint32_t p : pods) {
    subjects.push_back(nameOf(Kind::kPods, index.objects(Kind::kPods)[p]));
  }
  w.list("events", Kind::kEvents, eventsAboutAll(index, subjects));
}

void describeService(const ClusterIndex& index, const IndexedObject& service, DetailWriter& w) {
  Positions pods;
  auto all_pods = index.objects(Kind::kPods);
  auto [first, last] = index.namespaceRange(Kind::kPods, service.ns);
  for (uint32_t p = first; p < last; ++p) {
    if (selects(service.selector, all_pods[p].labels)) {
      pods.push_back(p);
    }
  }
  w.list("pods", Kind::kPods, pods);
  Positions ingresses;
  auto all_ingresses = index.objects(Kind::kIngresses);
  auto [ifirst, ilast] = index.namespaceRange(Kind::kIngresses, service.ns);
  for (uint32_t i = ifirst; i < ilast; ++i) {
    const auto& backends = all_ingresses[i].backends;
    if (std::find(backends.begin(), backends.end(), service.name) != backends.end()) {
      ingresses.push_back(i);
    }
  }
  w.list("ingresses", Kind::kIngresses, ingresses);
  w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(Kind::kServices, service)}));
}

void describeIngress(const ClusterIndex& index, const IndexedObject& ingress, DetailWriter& w) {
  Positions services;
  for (std::string_view backend : ingress.backends) {
    if (const IndexedObject* s = index.find(Kind::kServices, ingress.ns, backend)) {
      services.push_back(index.idOf(Kind::kServices, *s).index);
    }
  }
  w.list("services", Kind::kServices, services);
  w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(Kind::kIngresses, ingress)}));
}

void describeNamespace(const ClusterIndex& index, const IndexedObject& ns, DetailWriter& w) {
  std::string counts = "{";
  for (Kind kind : allKinds()) {
    if (!namespaced(kind)) {
      continue;
    }
    auto [first, last] = index.namespaceRange(kind, ns.name);
    counts += counts.size() > 1 ? ",\"" : "\"";
    counts += kindName(kind);
    counts += "\":" + std::to_string(last - first);
  }
  counts += '}';
  w.member("counts", counts);
  w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(Kind::kNamespaces, ns)}));
}

}  // namespace

Result<std::string> describeObject(const ClusterIndex& index, Kind kind, std::string_view ns,
                                   std::string_view name) {
  const IndexedObject* o = index.find(kind, namespaced(kind) ? ns : std::string_view(), name);
  if (o == nullptr) {
    std::string what =
        namespaced(kind) ? std::string(ns) + "/" + std::string(name) : std::string(name);
    return notFound(std::string(objectKind(kind)) + " '" + what +
                    "' is not in the snapshot of "
                    "cluster '" +
                    index.info().cluster_id + "' (version " + std::to_string(index.info().version) +
                    ")");
  }
  DetailWriter w(index, kind, *o);
  switch (kind) {
    case Kind::kPods:
      describePod(index, *o, w);
      break;
    case Kind::kNodes:
      describeNode(index, *o, w);
      break;
    case Kind::kServices:
      describeService(index, *o, w);
      break;
    case Kind::kIngresses:
      describeIngress(index, *o, w);
      break;
    case Kind::kNamespaces:
      describeNamespace(index, *o, w);
      break;
    default:
      if (isWorkload(kind)) {
        describeWorkload(index, kind, *o, w);
      } else {
        w.owners(*o);
        w.list("events", Kind::kEvents, eventsAboutAll(index, {nameOf(kind, *o)}));
      }
  }
  return w.finish();
}

}  // namespace corral::master
