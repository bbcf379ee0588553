#include "tests/k8s_emulator/resource_handlers.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <string>

#include "tests/k8s_emulator/patches.h"
#include "tests/k8s_emulator/pod_logs.h"
#include "tests/k8s_emulator/scale_subresource.h"

namespace corral::testing::k8s {

namespace {

Answer objectAnswer(int status, const ResourceType& type, const Object& object) {
  return Answer(status, "application/json",
                serializeWithKind(object, type.kind, type.apiVersion()) + "\n");
}

// Bodies may carry kind and apiVersion; stored objects do not.
ApiResult<Object> parseBody(const ResourceType& type, const std::string& body) {
  Object object = Object::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    return badRequest("the body of the request was not a JSON object");
  }
  std::string kind = object.value("kind", "");
  if (!kind.empty() && kind != type.kind) {
    return badRequest("the kind in the body (" + kind + ") does not match the resource (" +
                      std::string(type.kind) + ")");
  }
  object.erase("kind");
  object.erase("apiVersion");
  if (!object.contains("metadata") || !object["metadata"].is_object()) {
    object["metadata"] = Object::object();
  }
  return object;
}

bool isJsonContentType(const std::string& content_type) {
  return content_type.empty() || content_type.rfind("application/json", 0) == 0;
}

// spec.replicas of a workload must be a non-negative integer, as the apps validation requires.
std::optional<ApiError> validateReplicas(const ResourceType& type, const Object& object) {
  if (!type.scalable) {
    return std::nullopt;
  }
  const Object* replicas = findField(object, {"spec", "replicas"});
  if (replicas == nullptr) {
    return std::nullopt;
  }
  std::string name = stringField(object, {"metadata", "name"});
  if (!replicas->is_number_integer()) {
    return badRequest("json: cannot unmarshal " + replicas->dump() + " into Go struct field " +
                      std::string(type.kind) + "Spec.spec.replicas of type int32");
  }
  if (replicas->get<int64_t>() < 0) {
    return invalidField(type.groupKind(), name, "spec.replicas", replicas->dump(),
                        "must be greater than or equal to 0");
  }
  return std::nullopt;
}

ApiError conflict(const ResourceType& type, const std::string& name) {
  return statusError(409, "Conflict",
                     "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name +
                         "\": the object has been modified; please apply your changes to the "
                         "latest version and try again",
                     statusDetails(type, name));
}

// A write must not move the object: name and namespace come from the URL, uid and creation time
// from the stored object, and a resourceVersion in the body is a precondition.
std::optional<ApiError> keepIdentity(const ResourceType& type, const ApiPath& path,
                                     const Object& stored, Object& changed) {
  std::string name = stringField(changed, {"metadata", "name"});
  if (name != path.name) {
    return badRequest("the name of the object (" + name + ") does not match the name on the URL (" +
                      path.name + ")");
  }
  if (type.namespaced) {
    std::string ns = stringField(changed, {"metadata", "namespace"});
    if (!ns.empty() && ns != path.ns) {
      return badRequest("the namespace of the object (" + ns +
                        ") does not match the namespace on the URL (" + path.ns + ")");
    }
  }
  std::string version = stringField(changed, {"metadata", "resourceVersion"});
  if (!version.empty() && version != stringField(stored, {"metadata", "resourceVersion"})) {
    return conflict(type, path.name);
  }
  changed.erase("kind");
  changed.erase("apiVersion");
  Object& metadata = changed["metadata"];
  for (const char* field : {"namespace", "uid", "creationTimestamp", "generation"}) {
    if (const Object* value = findField(stored, {"metadata", field})) {
      metadata[field] = *value;
    }
  }
  return validateReplicas(type, changed);
}

Answer patchObject(ObjectStore& store, const ResourceType& type, const ApiPath& path,
                   const ApiRequest& request) {
  auto kind = patchKindFor(request.content_type);
  if (!kind) {
    return Answer(unsupportedPatchType());
  }
  auto updated = store.update(type, path.ns, path.name, [&](Object& object) {
    auto patched = applyPatch(object, request.body, *kind);
    if (!patched.ok()) {
      return std::optional<ApiError>(patched.error());
    }
    Object changed = *patched;
    if (auto error = keepIdentity(type, path, object, changed)) {
      return error;
    }
    object = std::move(changed);
    return std::optional<ApiError>();
  });
  if (!updated.ok()) {
    return Answer(updated.error());
  }
  return objectAnswer(200, type, *updated);
}

Answer replaceObject(ObjectStore& store, const ResourceType& type, const ApiPath& path,
                     const ApiRequest& request) {
  if (!isJsonContentType(request.content_type)) {
    return Answer(unsupportedBodyType());
  }
  auto body = parseBody(type, request.body);
  if (!body.ok()) {
    return Answer(body.error());
  }
  auto updated = store.update(type, path.ns, path.name, [&](Object& object) {
    Object changed = *body;
    if (auto error = keepIdentity(type, path, object, changed)) {
      return error;
    }
    object = std::move(changed);
    return std::optional<ApiError>();
  });
  if (!updated.ok()) {
    return Answer(updated.error());
  }
  return objectAnswer(200, type, *updated);
}

Answer createObject(ObjectStore& store, const ResourceType& type, const ApiPath& path,
                    const ApiRequest& request) {
  if (type.namespaced && path.ns.empty()) {
    return Answer(methodNotAllowed());
  }
  if (!isJsonContentType(request.content_type)) {
    return Answer(unsupportedBodyType());
  }
  auto body = parseBody(type, request.body);
  if (!body.ok()) {
    return Answer(body.error());
  }
  Object object = *body;
  Object& metadata = object["metadata"];
  if (type.namespaced) {
    std::string ns = stringField(object, {"metadata", "namespace"});
    if (!ns.empty() && ns != path.ns) {
      return Answer(badRequest(
          "the namespace of the provided object does not match the namespace sent on the request"));
    }
    metadata["namespace"] = path.ns;
  }
  std::string name = stringField(object, {"metadata", "name"});
  std::string generate = stringField(object, {"metadata", "generateName"});
  if (name.empty() && !generate.empty()) {
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    uint64_t h = hash64(generate + std::to_string(store.resourceVersion()));
    name = generate;
    for (int i = 0; i < 5; ++i, h /= sizeof kAlphabet - 1) {
      name += kAlphabet[h % (sizeof kAlphabet - 1)];
    }
    metadata["name"] = name;
  }
  if (name.empty()) {
    return Answer(statusError(422, "Invalid",
                              std::string(type.kind) +
                                  " \"\" is invalid: metadata.name: Required value: name or "
                                  "generateName is required",
                              Object{{"kind", type.kind}}));
  }
  if (auto error = validateReplicas(type, object)) {
    return Answer(*error);
  }
  auto created = store.create(type, object);
  if (!created.ok()) {
    return Answer(created.error());
  }
  return objectAnswer(201, type, *created);
}

std::optional<int64_t> parseInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

Answer deleteObject(ObjectStore& store, const ResourceType& type, const ApiPath& path,
                    const ApiRequest& request) {
  std::optional<int64_t> grace;
  std::string grace_text = queryValue(request.params, "gracePeriodSeconds");
  if (!grace_text.empty()) {
    grace = parseInt(grace_text);
    if (!grace) {
      return Answer(badRequest("strconv.ParseInt: parsing \"" + grace_text + "\": invalid syntax"));
    }
  }
  if (!request.body.empty()) {
    Object options = Object::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (!options.is_object()) {
      return Answer(badRequest("the body of the request was not DeleteOptions"));
    }
    if (options.contains("gracePeriodSeconds") && options["gracePeriodSeconds"].is_number()) {
      grace = options["gracePeriodSeconds"].get<int64_t>();
    }
  }
  auto removed = store.remove(type, path.ns, path.name);
  if (!removed.ok()) {
    return Answer(removed.error());
  }
  if (type.name != "pods") {
    Object details = statusDetails(type, path.name);
    details["uid"] = stringField(*removed, {"metadata", "uid"});
    Object status = Object::object();
    status["kind"] = "Status";
    status["apiVersion"] = "v1";
    status["metadata"] = Object::object();
    status["status"] = "Success";
    status["details"] = details;
    return Answer(200, "application/json", status.dump() + "\n");
  }
  // No kubelet confirms a graceful deletion here, so the pod goes at once; the answer carries
  // the deletion fields a real server sets. Unscheduled and finished pods get no grace period.
  Object pod = *removed;
  std::string phase = stringField(pod, {"status", "phase"});
  bool unscheduled = stringField(pod, {"spec", "nodeName"}).empty();
  const Object* configured = findField(pod, {"spec", "terminationGracePeriodSeconds"});
  int64_t seconds = grace.value_or(
      configured != nullptr && configured->is_number_integer() ? configured->get<int64_t>() : 30);
  if (unscheduled || phase == "Failed" || phase == "Succeeded") {
    seconds = 0;
  }
  auto when = std::chrono::system_clock::now() + std::chrono::seconds(seconds);
  pod["metadata"]["deletionTimestamp"] = rfc3339(when);
  pod["metadata"]["deletionGracePeriodSeconds"] = seconds;
  return objectAnswer(200, type, pod);
}

Answer handleCollection(ObjectStore& store, const ResourceType& type, const ApiPath& path,
                        const ApiRequest& request) {
  if (request.method == "GET") {
    std::string watch = queryValue(request.params, "watch");
    if (watch == "true" || watch == "1") {
      return Answer(badRequest("watch is not supported by the Kubernetes API emulator"));
    }
    auto body = listObjects(store, type, path.ns, request.params);
    if (!body.ok()) {
      return Answer(body.error());
    }
    return Answer(200, "application/json", std::move(*body));
  }
  if (request.method == "POST") {
    return createObject(store, type, path, request);
  }
  return Answer(methodNotAllowed());
}

Answer handleLog(ObjectStore& store, const ApiPath& path, const ApiRequest& request) {
  if (request.method != "GET") {
    return Answer(methodNotAllowed());
  }
  auto pod = store.get(*path.type, path.ns, path.name);
  if (!pod) {
    return Answer(notFound(*path.type, path.name));
  }
  auto text = podLogs(*pod, request.params);
  if (!text.ok()) {
    return Answer(text.error());
  }
  return Answer(200, "text/plain", std::move(*text));
}

}  // namespace

Answer handleResource(ObjectStore& store, const RecordedErrors& errors, const ApiPath& path,
                      const ApiRequest& request) {
  const ResourceType& type = *path.type;
  if (path.name.empty()) {
    return handleCollection(store, type, path, request);
  }
  if (path.subresource == "log" && type.name == "pods") {
    return handleLog(store, path, request);
  }
  if (path.subresource == "scale" && type.scalable) {
    return handleScale(store, type, path.ns, path.name, request);
  }
  if (!path.subresource.empty()) {
    return Answer(errors.not_found);
  }
  if (request.method == "GET") {
    auto object = store.get(type, path.ns, path.name);
    if (!object) {
      return Answer(notFound(type, path.name));
    }
    return objectAnswer(200, type, *object);
  }
  if (request.method == "PATCH") {
    return patchObject(store, type, path, request);
  }
  if (request.method == "PUT") {
    return replaceObject(store, type, path, request);
  }
  if (request.method == "DELETE") {
    return deleteObject(store, type, path, request);
  }
  return Answer(methodNotAllowed());
}

}  // namespace corral::testing::k8s
