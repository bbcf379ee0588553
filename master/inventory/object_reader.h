#pragma once

// Reads the fields a ClusterIndex keeps out of one object of a snapshot, in the agent's model
// shape (agent/model: the CommonMeta fields, then the kind's own). Internal to the inventory.
// Anything the agent did not send, or sent with another type, reads as empty: the object is
// still indexed and listed, it just matches fewer filters.

#include <deque>
#include <string>
#include <string_view>

#include "master/inventory/cluster_index.h"
#include "master/inventory/json_text.h"

namespace corral::master {

// Strings as views: straight into the text when they hold no escapes, else decoded into storage
// that lives as long as the index.
class StringKeeper {
 public:
  explicit StringKeeper(std::deque<std::string>& storage) : storage_(storage) {}
  std::string_view read(JsonCursor& cursor);

 private:
  std::deque<std::string>& storage_;
};

// Fills `out` from the object at `cursor` (which must be on its '{'; another value is skipped
// and leaves `out` empty). `out.json` is set by the caller.
void readObject(Kind kind, JsonCursor& cursor, StringKeeper& strings, IndexedObject& out);

}  // namespace corral::master
