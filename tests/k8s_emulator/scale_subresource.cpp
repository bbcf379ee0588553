#include "tests/k8s_emulator/scale_subresource.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "tests/k8s_emulator/patches.h"

namespace corral::testing::k8s {

namespace {

Object scaleOf(const Object& object) {
  Object metadata = Object::object();
  for (const char* field : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (const Object* value = findField(object, {"metadata", field})) {
      metadata[field] = *value;
    }
  }
  const Object* spec_replicas = findField(object, {"spec", "replicas"});
  const Object* status_replicas = findField(object, {"status", "replicas"});
  const Object* selector = findField(object, {"spec", "selector"});
  Object scale = Object::object();
  scale["kind"] = "Scale";
  scale["apiVersion"] = "autoscaling/v1";
  scale["metadata"] = metadata;
  // Unset replicas default to 1 in every workload kind.
  scale["spec"] = Object{{"replicas", spec_replicas != nullptr ? *spec_replicas : Object(1)}};
  Object status = Object::object();
  status["replicas"] = status_replicas != nullptr ? *status_replicas : Object(0);
  status["selector"] = selector != nullptr ? selectorString(*selector) : "";
  scale["status"] = status;
  return scale;
}

std::string joinSorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i > 0 ? "," : "") + values[i];
  }
  return out;
}

Answer scaleAnswer(const Object& object) {
  return Answer(200, "application/json", scaleOf(object).dump() + "\n");
}

}  // namespace

std::string selectorString(const Object& label_selector) {
  std::vector<std::pair<std::string, std::string>> requirements;
  if (const Object* labels = findField(label_selector, {"matchLabels"})) {
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      requirements.emplace_back(it.key(), it.key() + "=" + it->get<std::string>());
    }
  }
  if (const Object* expressions = findField(label_selector, {"matchExpressions"})) {
    for (const Object& expression : *expressions) {
      std::string key = expression.value("key", "");
      std::string op = expression.value("operator", "");
      std::vector<std::string> values;
      for (const Object& v : expression.value("values", Object::array())) {
        values.push_back(v.get<std::string>());
      }
      std::string text = op == "In"       ? key + " in (" + joinSorted(values) + ")"
                         : op == "NotIn"  ? key + " notin (" + joinSorted(values) + ")"
                         : op == "Exists" ? key
                                          : "!" + key;
      requirements.emplace_back(key, text);
    }
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < requirements.size(); ++i) {
    out += (i > 0 ? "," : "") + requirements[i].second;
  }
  return out;
}

Answer handleScale(ObjectStore& store, const ResourceType& type, const std::string& ns,
                   const std::string& name, const ApiRequest& request) {
  if (request.method == "GET") {
    auto object = store.get(type, ns, name);
    if (!object) {
      return Answer(notFound(type, name));
    }
    return scaleAnswer(*object);
  }
  if (request.method != "PATCH" && request.method != "PUT") {
    return Answer(methodNotAllowed());
  }
  std::optional<PatchKind> kind;
  if (request.method == "PATCH") {
    kind = patchKindFor(request.content_type);
    if (!kind) {
      return Answer(unsupportedPatchType());
    }
  }
  auto updated = store.update(type, ns, name, [&](Object& object) -> std::optional<ApiError> {
    Object scale = scaleOf(object);
    Object wanted;
    if (kind) {
      auto patched = applyPatch(scale, request.body, *kind);
      if (!patched.ok()) {
        return patched.error();
      }
      wanted = *patched;
    } else {
      wanted = Object::parse(request.body, nullptr, /*allow_exceptions=*/false);
      if (!wanted.is_object()) {
        return badRequest("the body of the request is not a JSON object");
      }
    }
    const Object* replicas = findField(wanted, {"spec", "replicas"});
    if (replicas == nullptr || !replicas->is_number_integer()) {
      return badRequest(
          "json: cannot unmarshal spec.replicas into Go struct field "
          "ScaleSpec.spec.replicas of type int32");
    }
    if (replicas->get<int64_t>() < 0) {
      return invalidField("Scale.autoscaling", name, "spec.replicas", replicas->dump(),
                          "must be greater than or equal to 0");
    }
    object["spec"]["replicas"] = *replicas;
    return std::nullopt;
  });
  if (!updated.ok()) {
    return Answer(updated.error());
  }
  return scaleAnswer(*updated);
}

}  // namespace corral::testing::k8s
