#include "tests/k8s_emulator/object_store.h"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace corral::testing::k8s {

namespace {

std::string keyOf(const ResourceType& type, const Object& object) {
  return objectKey(type.namespaced ? stringField(object, {"metadata", "namespace"}) : "",
                   stringField(object, {"metadata", "name"}));
}

// Workload controllers and ingresses track spec changes in metadata.generation.
bool hasGeneration(const ResourceType& type) {
  return type.group == "apps" || type.name == "ingresses";
}

}  // namespace

ObjectStore::Stored ObjectStore::stored(Object object) {
  std::string text = object.dump();
  return Stored{std::move(object), std::move(text)};
}

ObjectStore::Collection& ObjectStore::collection(const ResourceType& type) {
  return collections_[&type];
}

const ObjectStore::Collection* ObjectStore::findCollection(const ResourceType& type) const {
  auto it = collections_.find(&type);
  return it == collections_.end() ? nullptr : &it->second;
}

void ObjectStore::load(const ResourceType& type, Object object) {
  std::unique_lock lock(mutex_);
  std::string key = keyOf(type, object);
  collection(type)[key] = stored(std::move(object));
}

int64_t ObjectStore::advanceTo(int64_t version) {
  std::unique_lock lock(mutex_);
  version_ = std::max(version_, version) + 1;
  return version_;
}

int64_t ObjectStore::nextVersion() {
  std::unique_lock lock(mutex_);
  return ++version_;
}

void ObjectStore::clear(const ResourceType& type) {
  std::unique_lock lock(mutex_);
  collections_.erase(&type);
}

std::vector<Object> ObjectStore::all(const ResourceType& type, std::string_view ns) const {
  std::vector<Object> objects;
  scan(type, ns, "", [&objects](const std::string&, const Object& object, const std::string&) {
    objects.push_back(object);
    return true;
  });
  return objects;
}

int64_t ObjectStore::resourceVersion() const {
  std::shared_lock lock(mutex_);
  return version_;
}

std::optional<Object> ObjectStore::get(const ResourceType& type, std::string_view ns,
                                       std::string_view name) const {
  std::shared_lock lock(mutex_);
  const Collection* items = findCollection(type);
  if (items == nullptr) {
    return std::nullopt;
  }
  auto it = items->find(objectKey(type.namespaced ? ns : "", name));
  if (it == items->end()) {
    return std::nullopt;
  }
  return it->second.object;
}

size_t ObjectStore::count(const ResourceType& type, std::string_view ns) const {
  size_t n = 0;
  scan(type, ns, "", [&n](const std::string&, const Object&, const std::string&) {
    ++n;
    return true;
  });
  return n;
}

int64_t ObjectStore::scan(const ResourceType& type, std::string_view ns, const std::string& from,
                          const Visitor& visit) const {
  std::shared_lock lock(mutex_);
  const Collection* items = findCollection(type);
  if (items == nullptr) {
    return version_;
  }
  std::string prefix = ns.empty() ? std::string() : std::string(ns) + "/";
  std::string start = std::max(prefix, from);
  for (auto it = items->lower_bound(start); it != items->end(); ++it) {
    if (!prefix.empty() && it->first.compare(0, prefix.size(), prefix) != 0) {
      break;
    }
    if (!visit(it->first, it->second.object, it->second.text)) {
      break;
    }
  }
  return version_;
}

void ObjectStore::stampNew(const ResourceType& type, Object& object) {
  Object& metadata = object["metadata"];
  metadata["uid"] =
      uidFor(type.groupResource() + "/" + keyOf(type, object) + "@" + std::to_string(version_));
  metadata["resourceVersion"] = std::to_string(version_);
  if (hasGeneration(type)) {
    metadata["generation"] = 1;
  }
  metadata["creationTimestamp"] = rfc3339(std::chrono::system_clock::now());
}

ApiResult<Object> ObjectStore::create(const ResourceType& type, Object object) {
  std::unique_lock lock(mutex_);
  std::string ns = stringField(object, {"metadata", "namespace"});
  if (type.namespaced) {
    const ResourceType& namespaces = *findResourceType("namespaces");
    const Collection* known = findCollection(namespaces);
    if (known == nullptr || known->find(ns) == known->end()) {
      return notFound(namespaces, ns);
    }
  }
  std::string key = keyOf(type, object);
  Collection& items = collection(type);
  if (items.count(key) != 0) {
    return alreadyExists(type, stringField(object, {"metadata", "name"}));
  }
  ++version_;
  stampNew(type, object);
  items[key] = stored(object);
  return object;
}

ApiResult<Object> ObjectStore::update(const ResourceType& type, std::string_view ns,
                                      std::string_view name, const Change& change) {
  std::unique_lock lock(mutex_);
  Collection& items = collection(type);
  auto it = items.find(objectKey(type.namespaced ? ns : "", name));
  if (it == items.end()) {
    return notFound(type, name);
  }
  Object changed = it->second.object;
  if (auto error = change(changed)) {
    return *error;
  }
  ++version_;
  Object& metadata = changed["metadata"];
  metadata["resourceVersion"] = std::to_string(version_);
  const Object* old_spec = findField(it->second.object, {"spec"});
  const Object* new_spec = findField(changed, {"spec"});
  bool spec_changed = (old_spec == nullptr) != (new_spec == nullptr) ||
                      (old_spec != nullptr && *old_spec != *new_spec);
  if (spec_changed && metadata.contains("generation") && metadata["generation"].is_number()) {
    metadata["generation"] = metadata["generation"].get<int64_t>() + 1;
  }
  it->second = stored(changed);
  return changed;
}

ApiResult<Object> ObjectStore::remove(const ResourceType& type, std::string_view ns,
                                      std::string_view name) {
  std::unique_lock lock(mutex_);
  Collection& items = collection(type);
  auto it = items.find(objectKey(type.namespaced ? ns : "", name));
  if (it == items.end()) {
    return notFound(type, name);
  }
  ++version_;
  Object removed = std::move(it->second.object);
  items.erase(it);
  removed["metadata"]["resourceVersion"] = std::to_string(version_);
  return removed;
}

Object ObjectStore::put(const ResourceType& type, Object object) {
  std::unique_lock lock(mutex_);
  ++version_;
  std::string key = keyOf(type, object);
  Collection& items = collection(type);
  auto it = items.find(key);
  if (it == items.end()) {
    bool has_uid = findField(object, {"metadata", "uid"}) != nullptr;
    std::string uid = stringField(object, {"metadata", "uid"});
    stampNew(type, object);
    if (has_uid) {
      object["metadata"]["uid"] = uid;
    }
  } else {
    // A replacement keeps the identity of the object it replaces unless it brings its own.
    Object& metadata = object["metadata"];
    for (const char* field : {"uid", "creationTimestamp"}) {
      const Object& old_metadata = it->second.object["metadata"];
      if (!metadata.contains(field) && old_metadata.contains(field)) {
        metadata[field] = old_metadata[field];
      }
    }
    metadata["resourceVersion"] = std::to_string(version_);
  }
  items[key] = stored(object);
  return object;
}

int64_t ObjectStore::compactedVersion() const {
  std::shared_lock lock(mutex_);
  return compacted_;
}

void ObjectStore::compact() {
  std::unique_lock lock(mutex_);
  // The compaction covers every version handed out so far; later lists get a newer one.
  compacted_ = version_;
  ++version_;
}

}  // namespace corral::testing::k8s
