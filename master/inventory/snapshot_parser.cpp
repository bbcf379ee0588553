#include "master/inventory/snapshot_parser.h"

#include <algorithm>

#include "master/inventory/json_text.h"
#include "master/inventory/object_reader.h"

namespace corral::master {

// Fills a ClusterIndex it owns privately until the caller publishes it.
class IndexBuilder {
 public:
  // The index takes `text`, which the objects' views will point into.
  IndexBuilder(ClusterIndex& index, std::string text) : index_(index), strings_(index.decoded_) {
    index_.text_ = std::move(text);
  }

  // Reads the envelope's members into `head` and its objects into the index.
  Status readEnvelope(Json& head) {
    JsonCursor c(index_.text_);
    if (c.peek() != '{') {
      return invalidArgument("field '(body)': expected a JSON object");
    }
    c.enterObject();
    std::string_view key;
    while (c.nextMember(key)) {
      if (key == "resources" && c.peek() == '{') {
        head["resources"] = Json::object();
        readResources(c);
        continue;
      }
      std::string_view raw = c.skipValue();
      // Already validated, so this cannot fail; a null would only make the field check fail.
      head[unescapeJson(key)] = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
    }
    return Status::ok();
  }

  // Orders every kind by namespace and name, and builds the lookups between objects.
  void link() {
    auto byName = [](const IndexedObject& a, const IndexedObject& b) {
      return std::pair(a.ns, a.name) < std::pair(b.ns, b.name);
    };
    for (auto& objects : index_.objects_) {
      // The agent lists in the API server's key order, which is this one: usually nothing moves.
      if (!std::is_sorted(objects.begin(), objects.end(), byName)) {
        std::stable_sort(objects.begin(), objects.end(), byName);
      }
    }
    for (Kind kind : allKinds()) {
      const auto& objects = index_.objects_[kindSlot(kind)];
      for (uint32_t i = 0; i < objects.size(); ++i) {
        const IndexedObject& o = objects[i];
        if (!o.owner_kind.empty() && !o.owner_name.empty()) {
          ObjectName owner{o.owner_kind, ownerNamespace(o.owner_kind, o.ns), o.owner_name};
          index_.owned_by_[owner].push_back(ObjectId{kind, i});
        }
        if (kind == Kind::kPods && !o.node.empty()) {
          index_.pods_on_node_[o.node].push_back(i);
        }
        if (kind == Kind::kEvents && !o.involved.name.empty()) {
          ObjectName about = o.involved;
          about.ns = ownerNamespace(about.kind, about.ns);
          index_.events_about_[about].push_back(i);
        }
      }
    }
    const auto& events = index_.objects_[kindSlot(Kind::kEvents)];
    for (auto& [about, positions] : index_.events_about_) {
      std::stable_sort(positions.begin(), positions.end(), [&](uint32_t a, uint32_t b) {
        return events[a].last_seen > events[b].last_seen;
      });
    }
  }

 private:
  // Nodes and namespaces have no namespace, whatever a reference to them says. Called for every
  // owned object and event, so the usual spellings are checked before the general lookup.
  static std::string_view ownerNamespace(std::string_view kind, std::string_view ns) {
    if (kind == "ReplicaSet" || kind == "Pod" || kind == "Deployment" || kind == "Job") {
      return ns;
    }
    auto parsed = parseAnyKind(kind);
    return parsed && !namespaced(*parsed) ? std::string_view() : ns;
  }

  void readResources(JsonCursor& c) {
    c.enterObject();
    std::string_view key;
    while (c.nextMember(key)) {
      auto kind = parseKindName(key);
      if (!kind || c.peek() != '[') {
        c.skipValue();
        continue;
      }
      auto& objects = index_.objects_[kindSlot(*kind)];
      c.enterArray();
      while (c.nextElement()) {
        if (c.peek() != '{') {
          c.skipValue();
          continue;
        }
        const char* start = c.position();
        IndexedObject& o = objects.emplace_back();
        readObject(*kind, c, strings_, o);
        o.json = std::string_view(start, static_cast<size_t>(c.position() - start));
      }
      objects.shrink_to_fit();
    }
  }

  ClusterIndex& index_;
  StringKeeper strings_;
};

Result<ParsedSnapshot> parseSnapshot(std::string json) {
  bool has_whitespace = false;
  CORRAL_RETURN_IF_ERROR(validateJson(json, has_whitespace));
  if (has_whitespace) {
    compactJson(json);
  }
  // The text is the index's largest part; an inflated buffer may have twice the room it needs.
  if (json.capacity() - json.size() > json.size() / 8) {
    json.shrink_to_fit();
  }
  ParsedSnapshot parsed;
  parsed.index = std::make_shared<ClusterIndex>();
  IndexBuilder builder(*parsed.index, std::move(json));
  CORRAL_RETURN_IF_ERROR(builder.readEnvelope(parsed.head));
  builder.link();
  return parsed;
}

}  // namespace corral::master
