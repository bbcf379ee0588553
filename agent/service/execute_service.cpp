#include "agent/service/execute_service.h"

#include <algorithm>
#include <string_view>

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

bool isLowerAlnum(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }

// A DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit.
bool isDnsLabel(std::string_view s, size_t max_size) {
  return !s.empty() && s.size() <= max_size && isLowerAlnum(s.front()) && isLowerAlnum(s.back()) &&
         std::all_of(s.begin(), s.end(), [](char ch) { return isLowerAlnum(ch) || ch == '-'; });
}

// A DNS-1123 subdomain: labels joined by single dots. No ".", ".." or empty part can pass, so a
// name never turns into a path segment that the HTTP client would resolve ("pods/.." is the
// namespace itself).
bool isDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) {
    return false;
  }
  for (size_t start = 0;;) {
    size_t dot = s.find('.', start);
    if (!isDnsLabel(s.substr(start, dot == std::string_view::npos ? dot : dot - start), 253)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

// Namespaces and containers are named by DNS labels.
Status checkLabelName(const std::string& value, const char* what) {
  if (!isDnsLabel(value, 63)) {
    return invalidArgument("parameter 'params." + std::string(what) +
                           "': expected a Kubernetes name of at most 63 lower-case letters, digits "
                           "and '-', starting and ending with a letter or digit");
  }
  return Status::ok();
}

// Workloads and pods are named by DNS subdomains.
Status checkSubdomainName(const std::string& value, const char* what) {
  if (!isDnsSubdomain(value)) {
    return invalidArgument("parameter 'params." + std::string(what) +
                           "': expected a Kubernetes name of at most 253 lower-case letters, "
                           "digits, '-' and '.', each dot-separated part starting and ending with "
                           "a letter or digit");
  }
  return Status::ok();
}

// The replica count the API answered with, or `asked` when the answer does not carry one.
int64_t answeredReplicas(const Json& answer, int64_t asked) {
  const Json* spec = answer.is_object() && answer.contains("spec") ? &answer["spec"] : nullptr;
  if (spec == nullptr || !spec->is_object() || !spec->contains("replicas") ||
      !(*spec)["replicas"].is_number_integer()) {
    return asked;
  }
  return (*spec)["replicas"].get<int64_t>();
}

// A dynamic path must reach the resource it names as written: "..", escapes before the query (the
// API server decodes "%2e%2e" and "%73ecrets"), spaces, control characters and fragments could
// make the request land elsewhere than what the allow-list matched. The query keeps its escapes:
// selectors need them.
Status checkDynamicPath(const std::string& path) {
  std::string_view resource = std::string_view(path).substr(0, path.find('?'));
  bool ok = path.front() == '/' && path.find("..") == std::string::npos &&
            resource.find_first_of("%\\") == std::string_view::npos &&
            std::all_of(path.begin(), path.end(),
                        [](char ch) { return ch > ' ' && ch < 0x7f && ch != '#'; });
  if (!ok) {
    return invalidArgument(
        "parameter 'params.path': expected an absolute API path without '..', '%' or '\\' "
        "before the query, spaces, control characters or '#'");
  }
  return Status::ok();
}

// Whether the rule "METHOD /prefix" allows `method` on `path`. The prefix covers whole path
// segments, so "GET /api/v1/namespaces/a" does not open namespace "ab". A rule of another shape
// allows nothing.
bool ruleAllows(std::string_view rule, const std::string& method, const std::string& path) {
  size_t space = rule.find(' ');
  if (space == std::string_view::npos) {
    return false;
  }
  std::string_view prefix = rule.substr(space + 1);
  if (rule.substr(0, space) != method || prefix.empty() || prefix.front() != '/' ||
      !path.starts_with(prefix)) {
    return false;
  }
  std::string_view rest = std::string_view(path).substr(prefix.size());
  return rest.empty() || prefix.back() == '/' || rest.front() == '/' || rest.front() == '?';
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
    // The method as dynamic() read and checked it; the raw parameter may be of any type.
    out.changed_cluster = result.isOk() && result->value("method", "GET") != "GET";
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
  CORRAL_RETURN_IF_ERROR(checkLabelName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkSubdomainName(name, "name"));
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
              {"replicas", answeredReplicas(*scaled, replicas)}};
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
  CORRAL_RETURN_IF_ERROR(checkLabelName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkSubdomainName(name, "name"));
  auto collection = workloadCollection(kind);
  if (!collection.isOk()) {
    return collection.status();
  }
  // What `kubectl rollout restart` does: a new pod-template annotation rolls every pod. A JSON
  // merge patch sets this one map entry the same way on every kind.
  std::string at = formatRfc3339(clock_.wallNow());
  Json patch = {
      {"spec",
       {{"template",
         {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", at}}}}}}}}}};
  auto patched = k8s_.patch("/apis/apps/v1/namespaces/" + ns + "/" + *collection + "/" + name,
                            patch, PatchType::kMerge);
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
  CORRAL_RETURN_IF_ERROR(checkLabelName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkSubdomainName(name, "name"));
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
  CORRAL_RETURN_IF_ERROR(checkLabelName(ns, "namespace"));
  CORRAL_RETURN_IF_ERROR(checkSubdomainName(pod, "pod"));
  if (!options.container.empty()) {
    CORRAL_RETURN_IF_ERROR(checkLabelName(options.container, "container"));
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
  CORRAL_RETURN_IF_ERROR(checkDynamicPath(path));
  std::string call = method + " " + path;
  // Secrets never leave the cluster, whatever the allow-list says.
  if (path.find("/secrets") != std::string::npos) {
    return permissionDenied("dynamic request '" + call +
                            "' is not allowed: this agent never touches secrets");
  }
  bool allowed =
      std::any_of(dynamic_allow_.begin(), dynamic_allow_.end(),
                  [&](const std::string& rule) { return ruleAllows(rule, method, path); });
  if (!allowed) {
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
