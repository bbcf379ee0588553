#pragma once

// One cluster's latest snapshot, indexed for queries. It keeps the snapshot's JSON text once
// (compacted) and, per object, where its text lies plus the few fields that lists filter and sort
// on and that correlate objects with each other (uid, name, namespace, node, owner, labels,
// selector, status, reasons, times). Answers are spliced from the kept texts, so no query parses
// the snapshot again and no DOM of it is ever held: the index costs about 1.3 times the text.
//
// Built off to the side by parseSnapshot() (snapshot_parser.h), then published as
// std::shared_ptr<const ClusterIndex>: immutable from then on, so any number of threads read it
// without locks, and it lives as long as the last reader that holds it.

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/json.h"
#include "master/inventory/kinds.h"

namespace corral::master {

// key -> value, sorted by key. The views point into the index that holds them.
using LabelList = std::vector<std::pair<std::string_view, std::string_view>>;

// An object named by its kind ("ReplicaSet"), namespace ("" for cluster-scoped kinds) and name.
struct ObjectName {
  std::string_view kind;
  std::string_view ns;
  std::string_view name;
  bool operator==(const ObjectName&) const = default;
};

struct ObjectNameHash {
  size_t operator()(const ObjectName& n) const;
};

// The kept fields of one object. Every view points into the ClusterIndex that holds the object;
// a field the object does not have is empty.
struct IndexedObject {
  std::string_view json;  // the object's compact JSON, exactly as the agent sent it
  std::string_view uid;
  std::string_view name;
  std::string_view ns;
  std::string_view created_at;  // RFC 3339
  std::string_view node;        // pods: the node it is bound to
  std::string_view owner_kind;  // the controlling owner ("ReplicaSet") and its name
  std::string_view owner_name;
  // What a dashboard shows as its state (docs/api.md): pods their kubectl STATUS, nodes
  // Ready/NotReady (",SchedulingDisabled" when cordoned), workloads Healthy/Unhealthy, events
  // their type, namespaces their phase.
  std::string_view status;
  std::string_view phase;    // pods and namespaces
  std::string_view reason;   // pods: kubectl STATUS reason; events: the reason
  std::string_view message;  // pods: status.message; events: the message
  // Every reason the object carries: its own, its containers' (current and last) and its
  // conditions'. The `reason` filter looks at these.
  std::vector<std::string_view> reasons;
  LabelList labels;
  LabelList selector;            // services and workloads: the labels of the pods they select
  int64_t restarts = 0;          // pods
  int64_t count = 0;             // events: occurrences
  ObjectName involved;           // events: what the event is about
  std::string_view last_seen;    // events
  std::string_view first_seen;   // events
  std::string_view source_host;  // events
  std::vector<std::string_view> backends;  // ingresses: the services they route to
};

// An object by kind and position in ClusterIndex::objects(kind).
struct ObjectId {
  Kind kind;
  uint32_t index;
};

// Where the snapshot came from; the cluster record without the body.
struct SnapshotInfo {
  std::string cluster_id;
  std::string agent_id;
  int64_t version = 0;
  std::string kind;         // k8s | host
  int64_t fetched_at = 0;   // Unix ms, the agent's clock
  int64_t received_at = 0;  // Unix ms, the master's clock
  Json summary = Json::object();
  Json errors = Json::object();
  int64_t size_bytes = 0;    // the envelope's JSON as sent
  int64_t stored_bytes = 0;  // its gzip as stored
};

class ClusterIndex {
 public:
  ClusterIndex() = default;
  ClusterIndex(const ClusterIndex&) = delete;
  ClusterIndex& operator=(const ClusterIndex&) = delete;

  const SnapshotInfo& info() const { return info_; }
  // Set once by whoever built the index, before it is published.
  void setInfo(SnapshotInfo info) { info_ = std::move(info); }

  // The objects of `kind`, ordered by namespace, then name.
  std::span<const IndexedObject> objects(Kind kind) const { return objects_[kindSlot(kind)]; }
  int64_t count(Kind kind) const { return static_cast<int64_t>(objects(kind).size()); }
  const IndexedObject& object(ObjectId id) const { return objects_[kindSlot(id.kind)][id.index]; }
  // The position range [first, last) of the objects of `kind` in namespace `ns`.
  std::pair<uint32_t, uint32_t> namespaceRange(Kind kind, std::string_view ns) const;
  // The object of `kind` named `name` in `ns` ("" for nodes and namespaces); nullptr when absent.
  // With duplicates, the first one the agent sent.
  const IndexedObject* find(Kind kind, std::string_view ns, std::string_view name) const;
  // The kind and position of `object`, which must belong to this index.
  ObjectId idOf(Kind kind, const IndexedObject& object) const;

  // Pods bound to the node, as positions in objects(kPods), in their order.
  std::span<const uint32_t> podsOnNode(std::string_view node) const;
  // Objects whose controlling owner is `owner` (for example the pods of a ReplicaSet), in kind
  // order, then namespace and name.
  std::span<const ObjectId> ownedBy(const ObjectName& owner) const;
  // Events about `object` (its namespace "" for nodes and namespaces), as positions in
  // objects(kEvents), newest first.
  std::span<const uint32_t> eventsAbout(const ObjectName& object) const;

  // The snapshot's JSON after compaction: what the objects' texts point into.
  std::string_view text() const { return text_; }
  // What the index holds in memory, approximately, in bytes.
  size_t memoryBytes() const;

 private:
  friend class IndexBuilder;

  SnapshotInfo info_;
  std::string text_;
  std::deque<std::string> decoded_;  // strings that held escapes, decoded; views point here
  std::array<std::vector<IndexedObject>, kKindCount> objects_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> pods_on_node_;
  std::unordered_map<ObjectName, std::vector<ObjectId>, ObjectNameHash> owned_by_;
  std::unordered_map<ObjectName, std::vector<uint32_t>, ObjectNameHash> events_about_;
};

// {"pods": n, "nodes": n, ...}: the objects of every kind in the index.
Json objectCounts(const ClusterIndex& index);

}  // namespace corral::master
