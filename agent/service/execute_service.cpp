#include "agent/service/execute_service.h"

#include <algorithm>

#include "common/time_format.h"
#include "proto-json/field_reader.h"

namespace corral::agent {
namespace {

constexpr int64_t kMaxLogBytes = 1 << 20;  // logs travel in a result body

// Reads parameters with the wire contract's checks; a failure names the parameter.
template <typename Fn>
Status readParams(const Json& params, Fn fn) {
  try {
    const Json empty = Json::object();
    proto::FieldReader reader(params.is_null() ? empty : params, "params");
    fn(reader);
    return Status::ok();
  } catch (const proto::FieldError& e) {
    return invalidArgument("parameter '" + e.field + "': expected " + e.expected);
  }
}

// Kubernetes object names are DNS labels or subdomains; refusing anything else also keeps
// parameters from smuggling extra path segments into a request.
Status checkName(const std::string& value, const char* what) {
  bool ok =
      !value.empty() && value.size() <= 253 && std::all_of(value.begin(), value.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
      });
  if (!ok) {
    return invalidArgument("parameter 'params." + std::string(what) +
                           "': expected a Kubernetes name (lower-case letters, digits, '-', '.')");
  }
  return Status::ok();
}

// apps/v1 collection of a workload kind.
Result<std::string> workloadCollection(const std::string& kind) {
  if (kind == "deployment") {
    return std::string("deployments");
  }
  if (kind == "statefulset") {
    return std::string("statefulsets");
  }
  if (kind == "daemonset") {
    return std::string("daemonsets");
  }
  return invalidArgument(
      "parameter 'params.kind': expected one of deployment, statefulset, daemonset");
}

}  // namespace

ExecuteService::ExecuteService(K8sClient& k8s, Clock& clock, std::vector<std::string> dynamic_allow)
    : k8s_(k8s), clock_(clock), dynamic_allow_(std::move(dynamic_allow)) {}

const std::vector<std::string>& ExecuteService::actions() {
  static const std::vector<std::string> kActions = {"scale", "restart", "delete_pod", "get_logs",
                                                    "dynamic"};
  return kActions;
}

CommandOutcome ExecuteService::execute(const std::string& action, const Json& params) {
  CommandOutcome out;
  SteadyTime started = clock_.now();
  out.started_at = formatRfc3339(clock_.wallNow());
  Result<Json> result = invalidArgument("unknown action '" + action +
                                        "': this agent runs scale, restart, delete_pod, "
                                        "get_logs and dynamic");
  if (action == "scale") {
    result = scale(params);
    out.changed_cluster = true;
  } else if (action == "restart") {
    result = restart(params);
    out.changed_cluster = true;
  } else if (action == "delete_pod") {
    result = deletePod(params);
    out.changed_cluster = true;
  } else if (action == "get_logs") {
    result = getLogs(params);
  } else if (action == "dynamic") {
    result = dynamic(params);
    out.changed_cluster = params.is_object() && params.value("method", "GET") != "GET";
  }
  out.finished_at = formatRfc3339(clock_.wallNow());
  out.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - started).count();
  if (result.isOk()) {
    out.success = true;
    out.data = std::move(*result);
  } else {
    out.success = false;
    out.changed_cluster = false;
    out.error = result.status().toString();
  }
  return out;
}

Result<Json> ExecuteService::scale(const Json& params) {
  std::string ns;
  std::string name;
  std::string kind = "deployment";
  int64_t replicas = -1;
  CORRAL_RETURN_IF_ERROR(readParams(params, [&](proto::FieldReader& r) {
    r.string("namespace", ns, true, 253);
    r.string("name", name, true, 253);
    r.oneOf("kind", kind, false, {"deployment", "statefulset"});
    r.integer("replicas", replicas, true, 0, 10'000);
  }));
  CORRAL_RETURN_IF_ERROR(checkName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkName(name, "name"));
  auto collection = workloadCollection(kind);
  if (!collection.isOk()) {
    return collection.status();
  }
  std::string path = "/apis/apps/v1/namespaces/" + ns + "/" + *collection + "/" + name + "/scale";
  auto scaled = k8s_.patch(path, {{"spec", {{"replicas", replicas}}}}, PatchType::kMerge);
  if (!scaled.isOk()) {
    return scaled.status();
  }
  return Json{{"namespace", ns},
              {"name", name},
              {"kind", kind},
              {"replicas", scaled->value("/spec/replicas"_json_pointer, replicas)}};
}

Result<Json> ExecuteService::restart(const Json& params) {
  std::string ns;
  std::string name;
  std::string kind = "deployment";
  CORRAL_RETURN_IF_ERROR(readParams(params, [&](proto::FieldReader& r) {
    r.string("namespace", ns, true, 253);
    r.string("name", name, true, 253);
    r.oneOf("kind", kind, false, {"deployment", "statefulset", "daemonset"});
  }));
  CORRAL_RETURN_IF_ERROR(checkName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkName(name, "name"));
  auto collection = workloadCollection(kind);
  if (!collection.isOk()) {
    return collection.status();
  }
  // What `kubectl rollout restart` does: a new pod-template annotation rolls every pod.
  std::string at = formatRfc3339(clock_.wallNow());
  Json patch = {
      {"spec",
       {{"template",
         {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", at}}}}}}}}}};
  auto patched = k8s_.patch("/apis/apps/v1/namespaces/" + ns + "/" + *collection + "/" + name,
                            patch, PatchType::kStrategicMerge);
  if (!patched.isOk()) {
    return patched.status();
  }
  return Json{{"namespace", ns}, {"name", name}, {"kind", kind}, {"restarted_at", at}};
}

Result<Json> ExecuteService::deletePod(const Json& params) {
  std::string ns;
  std::string name;
  int64_t grace = -1;
  CORRAL_RETURN_IF_ERROR(readParams(params, [&](proto::FieldReader& r) {
    r.string("namespace", ns, true, 253);
    r.string("name", name, true, 253);
    r.integer("grace_period_s", grace, false, 0, 86'400);
  }));
  CORRAL_RETURN_IF_ERROR(checkName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkName(name, "name"));
  std::optional<int> grace_s;
  if (grace >= 0) {
    grace_s = static_cast<int>(grace);
  }
  auto deleted = k8s_.remove("/api/v1/namespaces/" + ns + "/pods/" + name, grace_s);
  if (!deleted.isOk()) {
    return deleted.status();
  }
  return Json{{"namespace", ns}, {"name", name}, {"deleted", true}};
}

Result<Json> ExecuteService::getLogs(const Json& params) {
  std::string ns;
  std::string pod;
  LogOptions options;
  int64_t tail = -1;
  int64_t since = -1;
  int64_t limit = kMaxLogBytes;
  CORRAL_RETURN_IF_ERROR(readParams(params, [&](proto::FieldReader& r) {
    r.string("namespace", ns, true, 253);
    r.string("pod", pod, true, 253);
    r.string("container", options.container, false, 253);
    r.integer("tail_lines", tail, false, 1, 1'000'000);
    r.integer("since_seconds", since, false, 1, 31'536'000);
    r.integer("limit_bytes", limit, false, 1, kMaxLogBytes);
    r.boolean("previous", options.previous, false);
  }));
  CORRAL_RETURN_IF_ERROR(checkName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkName(pod, "pod"));
  if (!options.container.empty()) {
    CORRAL_RETURN_IF_ERROR(checkName(options.container, "container"));
  }
  if (tail > 0) {
    options.tail_lines = tail;
  }
  if (since > 0) {
    options.since_seconds = since;
  }
  options.limit_bytes = limit;
  auto logs = k8s_.logs(ns, pod, options);
  if (!logs.isOk()) {
    return logs.status();
  }
  bool truncated = static_cast<int64_t>(logs->size()) >= limit;
  return Json{{"namespace", ns},
              {"pod", pod},
              {"container", options.container},
              {"logs", std::move(*logs)},
              {"truncated", truncated}};
}

Result<Json> ExecuteService::dynamic(const Json& params) {
  std::string method = "GET";
  std::string path;
  Json body;
  CORRAL_RETURN_IF_ERROR(readParams(params, [&](proto::FieldReader& r) {
    r.oneOf("method", method, false, {"GET", "POST", "PUT", "PATCH", "DELETE"});
    r.string("path", path, true, 1024);
    r.any("body", body);
  }));
  if (path.front() != '/' || path.find("..") != std::string::npos ||
      path.find_first_of(" \r\n#") != std::string::npos) {
    return invalidArgument("parameter 'params.path': expected an absolute API path");
  }
  std::string call = method + " " + path;
  bool allowed = std::any_of(dynamic_allow_.begin(), dynamic_allow_.end(),
                             [&](const std::string& rule) { return call.rfind(rule, 0) == 0; });
  // Secrets never leave the cluster, whatever the allow-list says.
  if (!allowed || path.find("/secrets") != std::string::npos) {
    return permissionDenied("dynamic request '" + call +
                            "' is not allowed by this agent's kubernetes.dynamic_allow");
  }
  auto response = k8s_.request(method, path, body.is_null() ? std::string() : body.dump());
  if (!response.isOk()) {
    return response.status();
  }
  return Json{{"method", method}, {"path", path}, {"response", std::move(*response)}};
}

}  // namespace corral::agent
