#include "master/inventory/cluster_index.h"

#include <algorithm>
#include <functional>

namespace corral::master {
namespace {

constexpr std::pair<uint32_t, uint32_t> kEmptyRange{0, 0};

bool beforeName(const IndexedObject& o, std::pair<std::string_view, std::string_view> key) {
  return std::pair(o.ns, o.name) < key;
}

template <typename Map, typename Key>
auto spanAt(const Map& map, const Key& key)
    -> std::span<const typename Map::mapped_type::value_type> {
  auto it = map.find(key);
  if (it == map.end()) {
    return {};
  }
  return it->second;
}

}  // namespace

size_t ObjectNameHash::operator()(const ObjectName& n) const {
  std::hash<std::string_view> h;
  size_t seed = h(n.kind);
  seed ^= h(n.ns) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  seed ^= h(n.name) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  return seed;
}

std::pair<uint32_t, uint32_t> ClusterIndex::namespaceRange(Kind kind, std::string_view ns) const {
  const auto& all = objects_[kindSlot(kind)];
  auto first =
      std::lower_bound(all.begin(), all.end(), ns,
                       [](const IndexedObject& o, std::string_view n) { return o.ns < n; });
  auto last = std::upper_bound(first, all.end(), ns,
                               [](std::string_view n, const IndexedObject& o) { return n < o.ns; });
  if (first == last) {
    return kEmptyRange;
  }
  return {static_cast<uint32_t>(first - all.begin()), static_cast<uint32_t>(last - all.begin())};
}

const IndexedObject* ClusterIndex::find(Kind kind, std::string_view ns,
                                        std::string_view name) const {
  const auto& all = objects_[kindSlot(kind)];
  auto key = std::pair(ns, name);
  auto it = std::lower_bound(all.begin(), all.end(), key, beforeName);
  if (it == all.end() || it->ns != ns || it->name != name) {
    return nullptr;
  }
  return &*it;
}

ObjectId ClusterIndex::idOf(Kind kind, const IndexedObject& object) const {
  return ObjectId{kind, static_cast<uint32_t>(&object - objects_[kindSlot(kind)].data())};
}

std::span<const uint32_t> ClusterIndex::podsOnNode(std::string_view node) const {
  return spanAt(pods_on_node_, node);
}

std::span<const ObjectId> ClusterIndex::ownedBy(const ObjectName& owner) const {
  return spanAt(owned_by_, owner);
}

std::span<const uint32_t> ClusterIndex::eventsAbout(const ObjectName& object) const {
  return spanAt(events_about_, object);
}

size_t ClusterIndex::memoryBytes() const {
  // Node sizes of the hash maps are estimates: a node, its key and its vector header.
  constexpr size_t kMapNode = 64;
  size_t bytes = sizeof(*this) + text_.capacity();
  for (const std::string& s : decoded_) {
    bytes += sizeof(std::string) + s.capacity();
  }
  for (const auto& kind : objects_) {
    bytes += kind.capacity() * sizeof(IndexedObject);
    for (const IndexedObject& o : kind) {
      bytes += o.reasons.capacity() * sizeof(std::string_view) +
               (o.labels.capacity() + o.selector.capacity()) *
                   sizeof(std::pair<std::string_view, std::string_view>) +
               o.backends.capacity() * sizeof(std::string_view);
    }
  }
  for (const auto& [node, pods] : pods_on_node_) {
    bytes += kMapNode + pods.capacity() * sizeof(uint32_t);
  }
  for (const auto& [owner, children] : owned_by_) {
    bytes += kMapNode + children.capacity() * sizeof(ObjectId);
  }
  for (const auto& [object, events] : events_about_) {
    bytes += kMapNode + events.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

Json objectCounts(const ClusterIndex& index) {
  Json counts = Json::object();
  for (Kind kind : allKinds()) {
    counts[std::string(kindName(kind))] = index.count(kind);
  }
  return counts;
}

}  // namespace corral::master
