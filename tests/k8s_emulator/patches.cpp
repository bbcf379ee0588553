#include "tests/k8s_emulator/patches.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>

namespace corral::testing::k8s {

namespace {

// patchMergeKey of the list fields the agent may patch (from the OpenAPI x-kubernetes-patch-*
// extensions). The first key present in a patch element wins, so "ports" serves both container
// ports (containerPort) and service ports (port).
struct MergeKey {
  std::string_view field;
  std::array<std::string_view, 2> keys;
};

constexpr MergeKey kMergeKeys[] = {
    {"containers", {"name", ""}},
    {"initContainers", {"name", ""}},
    {"ephemeralContainers", {"name", ""}},
    {"env", {"name", ""}},
    {"volumes", {"name", ""}},
    {"volumeMounts", {"mountPath", ""}},
    {"volumeDevices", {"devicePath", ""}},
    {"imagePullSecrets", {"name", ""}},
    {"ports", {"containerPort", "port"}},
    {"conditions", {"type", ""}},
    {"ownerReferences", {"uid", ""}},
    {"hostAliases", {"ip", ""}},
    {"topologySpreadConstraints", {"topologyKey", ""}},
};

// Lists of strings the strategy merges as sets instead of replacing.
constexpr std::string_view kMergedPrimitiveLists[] = {"finalizers"};

std::string lowerTrimmed(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ';') {
      break;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string_view mergeKeyFor(std::string_view field, const Object& element) {
  for (const MergeKey& entry : kMergeKeys) {
    if (entry.field != field) {
      continue;
    }
    for (std::string_view key : entry.keys) {
      if (!key.empty() && element.is_object() && element.contains(std::string(key))) {
        return key;
      }
    }
  }
  return {};
}

bool isDirective(const std::string& key) {
  return key == "$patch" || key == "$retainKeys" || key.rfind("$setElementOrder/", 0) == 0 ||
         key.rfind("$deleteFromPrimitiveList/", 0) == 0;
}

Object withoutDirectives(const Object& value) {
  if (!value.is_object()) {
    return value;
  }
  Object out = Object::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!isDirective(it.key())) {
      out[it.key()] = it->is_object() ? withoutDirectives(*it) : *it;
    }
  }
  return out;
}

void mergeList(std::string_view field, Object& target, const Object& patch) {
  bool primitive_set = std::find(std::begin(kMergedPrimitiveLists), std::end(kMergedPrimitiveLists),
                                 field) != std::end(kMergedPrimitiveLists);
  if (primitive_set) {
    for (const Object& value : patch) {
      if (std::find(target.begin(), target.end(), value) == target.end()) {
        target.push_back(value);
      }
    }
    return;
  }
  if (patch.empty() || mergeKeyFor(field, patch.front()).empty()) {
    target = patch;  // lists without a merge key are replaced, as in a merge patch
    return;
  }
  for (const Object& element : patch) {
    std::string key(mergeKeyFor(field, element));
    if (key.empty()) {
      continue;
    }
    auto same = std::find_if(target.begin(), target.end(), [&](const Object& existing) {
      return existing.is_object() && existing.contains(key) && existing[key] == element[key];
    });
    bool remove = element.value("$patch", "") == "delete";
    if (remove) {
      if (same != target.end()) {
        target.erase(same);
      }
    } else if (same != target.end()) {
      strategicMerge(*same, element);
    } else {
      target.push_back(withoutDirectives(element));
    }
  }
}

}  // namespace

std::optional<PatchKind> patchKindFor(std::string_view content_type) {
  std::string type = lowerTrimmed(content_type);
  if (type == "application/merge-patch+json") {
    return PatchKind::kMerge;
  }
  if (type == "application/strategic-merge-patch+json") {
    return PatchKind::kStrategicMerge;
  }
  if (type == "application/json-patch+json") {
    return PatchKind::kJson;
  }
  return std::nullopt;
}

void strategicMerge(Object& target, const Object& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (patch.value("$patch", "") == "replace") {
    target = withoutDirectives(patch);
    return;
  }
  if (!target.is_object()) {
    target = Object::object();
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& key = it.key();
    if (key.rfind("$deleteFromPrimitiveList/", 0) == 0 && it->is_array()) {
      std::string field = key.substr(std::string_view("$deleteFromPrimitiveList/").size());
      if (target.contains(field) && target[field].is_array()) {
        Object& list = target[field];
        for (const Object& value : *it) {
          list.erase(std::remove(list.begin(), list.end(), value), list.end());
        }
      }
      continue;
    }
    if (isDirective(key)) {
      continue;
    }
    if (it->is_null()) {
      target.erase(key);
    } else if (it->is_object() && target.contains(key) && target[key].is_object()) {
      strategicMerge(target[key], *it);
    } else if (it->is_array() && target.contains(key) && target[key].is_array()) {
      mergeList(key, target[key], *it);
    } else {
      target[key] = withoutDirectives(*it);
    }
  }
}

ApiResult<Object> applyPatch(const Object& target, std::string_view body, PatchKind kind) {
  Object patch = Object::parse(body, nullptr, /*allow_exceptions=*/false);
  if (patch.is_discarded()) {
    return badRequest("error decoding patch: invalid JSON in the request body");
  }
  Object result = target;
  switch (kind) {
    case PatchKind::kMerge:
      if (!patch.is_object()) {
        return badRequest("error decoding patch: a merge patch must be a JSON object");
      }
      result.merge_patch(patch);
      break;
    case PatchKind::kStrategicMerge:
      if (!patch.is_object()) {
        return badRequest("error decoding patch: a strategic merge patch must be a JSON object");
      }
      strategicMerge(result, patch);
      break;
    case PatchKind::kJson:
      if (!patch.is_array()) {
        return badRequest("error decoding patch: a JSON patch must be a JSON array");
      }
      try {
        result = target.patch(patch);
      } catch (const std::exception& e) {
        // nlohmann reports a failed operation by throwing; the server answers 422.
        return statusError(422, "Invalid",
                           std::string("the server rejected our request due to an error in our "
                                       "request: ") +
                               e.what(),
                           Object::object());
      }
      break;
  }
  if (!result.is_object()) {
    return statusError(422, "Invalid", "the patched object is not a JSON object", Object::object());
  }
  return result;
}

}  // namespace corral::testing::k8s
