#pragma once

// The emulated cluster's objects, per kind, in etcd's key order, with one global resourceVersion
// that every write advances. Thread-safe: reads share a lock, writes take it alone. Objects are
// kept without kind and apiVersion, the way list items go out, and with their serialized text,
// made once per write, so that a LIST does not serialize every object again on every request.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/object_util.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

class ObjectStore {
 public:
  // Gets each object and its text (`object.dump()`); returns false to stop the scan.
  using Visitor =
      std::function<bool(const std::string& key, const Object& object, const std::string& text)>;
  // Changes an object in place; an error leaves the stored object as it was.
  using Change = std::function<std::optional<ApiError>(Object& object)>;

  // Loading, before the server answers: adds or replaces without advancing the version (the
  // loader writes versions itself with nextVersion()).
  void load(const ResourceType& type, Object object);
  // Advances the global version to at least `version` and returns the result plus one.
  int64_t advanceTo(int64_t version);
  int64_t nextVersion();
  // Removes every object of `type` (the multiplier replaces the recorded pods).
  void clear(const ResourceType& type);

  int64_t resourceVersion() const;
  std::optional<Object> get(const ResourceType& type, std::string_view ns,
                            std::string_view name) const;
  // Copies of the objects of `type` in `ns` ("" = all namespaces), in key order.
  std::vector<Object> all(const ResourceType& type, std::string_view ns = "") const;
  // Objects of `type` in `ns` ("" = all namespaces).
  size_t count(const ResourceType& type, std::string_view ns) const;
  // Visits the objects of `type` in `ns` ("" = all) in key order from the first key >= `from`,
  // under the read lock, until `visit` returns false. Returns the version the scan saw.
  int64_t scan(const ResourceType& type, std::string_view ns, const std::string& from,
               const Visitor& visit) const;

  // Writes, each at a new version written to metadata.resourceVersion. A namespaced object needs
  // its namespace to exist, as on a real server.
  ApiResult<Object> create(const ResourceType& type, Object object);
  ApiResult<Object> update(const ResourceType& type, std::string_view ns, std::string_view name,
                           const Change& change);
  ApiResult<Object> remove(const ResourceType& type, std::string_view ns, std::string_view name);
  // Creates or replaces, for test hooks.
  Object put(const ResourceType& type, Object object);

  // Continue tokens issued at or below this version have expired.
  int64_t compactedVersion() const;
  // Expires every continue token issued so far, as an etcd compaction does.
  void compact();

 private:
  struct Stored {
    Object object;
    std::string text;  // object.dump()
  };
  using Collection = std::map<std::string, Stored, std::less<>>;
  static Stored stored(Object object);
  Collection& collection(const ResourceType& type);
  const Collection* findCollection(const ResourceType& type) const;
  void stampNew(const ResourceType& type, Object& object);

  mutable std::shared_mutex mutex_;
  std::map<const ResourceType*, Collection> collections_;  // guarded by mutex_
  int64_t version_ = 1;                                    // guarded by mutex_
  int64_t compacted_ = 0;                                  // guarded by mutex_
};

}  // namespace corral::testing::k8s
