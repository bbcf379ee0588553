#include "tests/k8s_emulator/list_handler.h"

#include <charconv>
#include <optional>

#include "tests/k8s_emulator/continue_token.h"
#include "tests/k8s_emulator/selectors.h"

namespace corral::testing::k8s {

namespace {

std::optional<int64_t> parseInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string queryValue(const QueryParams& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

ApiResult<std::string> listObjects(const ObjectStore& store, const ResourceType& type,
                                   const std::string& ns, const QueryParams& params) {
  std::string label_text = queryValue(params, "labelSelector");
  auto labels = LabelSelector::parse(label_text);
  if (!labels.ok()) {
    return labels.error();
  }
  auto fields = FieldSelector::parse(queryValue(params, "fieldSelector"), type, label_text);
  if (!fields.ok()) {
    return fields.error();
  }
  int64_t limit = 0;
  std::string limit_text = queryValue(params, "limit");
  if (!limit_text.empty()) {
    auto parsed = parseInt(limit_text);
    if (!parsed) {
      return badRequest("strconv.ParseInt: parsing \"" + limit_text + "\": invalid syntax");
    }
    limit = *parsed;  // zero and negative mean no limit, as on a real server
  }

  std::string from;
  std::optional<int64_t> list_version;
  std::string token = queryValue(params, "continue");
  if (!token.empty()) {
    auto position = decodeContinue(token);
    if (!position) {
      return badRequest(
          "invalid continue token: continue key is not valid: illegal base64 data "
          "or unknown token version");
    }
    if (position->resource_version != -1 &&
        position->resource_version <= store.compactedVersion()) {
      return continueExpired(encodeContinue({-1, position->start_key}));
    }
    from = position->start_key;
    if (position->resource_version > 0) {
      list_version = position->resource_version;
    }
  }

  bool filtered = !labels->empty() || !fields->empty();
  std::string items;
  int64_t returned = 0;
  int64_t remaining = 0;  // unreturned objects after the page, matching or not (etcd's count)
  std::string last_key;
  bool more = false;
  int64_t seen_version = store.scan(
      type, ns, from, [&](const std::string& key, const Object& object, const std::string& text) {
        if (limit > 0 && returned >= limit) {
          more = true;
          ++remaining;
          // A filtered list stops at the first extra key: its remainder is not counted.
          return !filtered;
        }
        const Object* object_labels = findField(object, {"metadata", "labels"});
        if (!labels->matches(object_labels != nullptr ? *object_labels : Object()) ||
            !fields->matches(object)) {
          return true;
        }
        if (returned > 0) {
          items += ',';
        }
        items += text;
        ++returned;
        last_key = key;
        return true;
      });

  int64_t version = list_version.value_or(seen_version);
  Object metadata = Object::object();
  metadata["resourceVersion"] = std::to_string(version);
  if (more) {
    // The next page starts just after the last key returned, as etcd's "key\x00" does.
    metadata["continue"] = encodeContinue({version, last_key + std::string(1, '\0')});
    if (!filtered) {
      metadata["remainingItemCount"] = remaining;
    }
  }
  std::string body = R"({"kind":")" + type.listKind() + R"(","apiVersion":")" + type.apiVersion() +
                     R"(","metadata":)" + metadata.dump() + R"(,"items":[)" + items + "]}\n";
  return body;
}

}  // namespace corral::testing::k8s
