#pragma once

// A snapshot envelope's JSON text -> its cluster index, without a DOM. One strict validation
// pass, compaction in place when the text has whitespace, then one walk that reads the kept
// fields of every object (object_reader.h) and builds the lookups. Pure; safe from any thread.

#include <memory>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "master/inventory/cluster_index.h"

namespace corral::master {

struct ParsedSnapshot {
  // The envelope's members other than "resources", parsed (they are small); "resources" reads as
  // an empty object when it was one, else as what it was, so the envelope can be checked field by
  // field without the objects.
  Json head = Json::object();
  // Every object under resources.<kind> for the eleven kinds (kinds.h); items that are not
  // objects and other kinds are not indexed. Its info() is for the caller to set.
  std::shared_ptr<ClusterIndex> index;
};

// Takes the envelope's text (which becomes the index's storage). kBadRequest when it is not JSON
// (naming the byte offset), kInvalidArgument when it is not an object.
Result<ParsedSnapshot> parseSnapshot(std::string json);

}  // namespace corral::master
