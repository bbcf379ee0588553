#include "tests/k8s_emulator/pod_logs.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

namespace corral::testing::k8s {

namespace {

struct LogQuery {
  std::string container;
  std::optional<int64_t> tail_lines;
  std::optional<int64_t> limit_bytes;
  bool previous = false;
  bool timestamps = false;
};

ApiResult<std::optional<int64_t>> intParam(const QueryParams& params, const std::string& name) {
  std::string text = queryValue(params, name);
  if (text.empty()) {
    return std::optional<int64_t>();
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return badRequest("strconv.ParseInt: parsing \"" + text + "\": invalid syntax");
  }
  return std::optional<int64_t>(value);
}

bool boolParam(const QueryParams& params, const std::string& name) {
  std::string text = queryValue(params, name);
  return text == "true" || text == "1" || text == "True";
}

ApiResult<LogQuery> parseLogQuery(const std::string& pod_name, const QueryParams& params) {
  LogQuery query;
  query.container = queryValue(params, "container");
  query.previous = boolParam(params, "previous");
  query.timestamps = boolParam(params, "timestamps");
  auto tail = intParam(params, "tailLines");
  auto limit = intParam(params, "limitBytes");
  auto since = intParam(params, "sinceSeconds");
  for (const auto* parsed : {&tail, &limit, &since}) {
    if (!parsed->ok()) {
      return parsed->error();
    }
  }
  query.tail_lines = *tail;
  query.limit_bytes = *limit;
  // The API server's validation of PodLogOptions.
  auto invalid = [&](const std::string& field, int64_t value, const std::string& detail) {
    return invalidField("PodLogOptions", pod_name, field, std::to_string(value), detail);
  };
  if (query.tail_lines && *query.tail_lines < 0) {
    return invalid("tailLines", *query.tail_lines, "must be greater than or equal to 0");
  }
  if (query.limit_bytes && *query.limit_bytes < 1) {
    return invalid("limitBytes", *query.limit_bytes, "must be greater than 0");
  }
  if (*since && **since < 1) {
    return invalid("sinceSeconds", **since, "must be greater than 0");
  }
  return query;
}

// Every container of the pod in the order the API server lists them: init containers first.
std::vector<std::string> containerNames(const Object& pod) {
  std::vector<std::string> names;
  for (const char* field : {"initContainers", "containers", "ephemeralContainers"}) {
    const Object* list = findField(pod, {"spec", field});
    if (list == nullptr || !list->is_array()) {
      continue;
    }
    for (const Object& container : *list) {
      names.push_back(stringField(container, {"name"}));
    }
  }
  return names;
}

std::string joinBracketed(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i > 0 ? " " : "") + names[i];
  }
  return out + "]";
}

const Object* containerStatus(const Object& pod, const std::string& name) {
  for (const char* field :
       {"initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"}) {
    const Object* list = findField(pod, {"status", field});
    if (list == nullptr || !list->is_array()) {
      continue;
    }
    for (const Object& status : *list) {
      if (stringField(status, {"name"}) == name) {
        return &status;
      }
    }
  }
  return nullptr;
}

// Which container instance the kubelet would read, following its validateContainerLogStatus:
// the instance's id and start time, or the kubelet's refusal.
struct Instance {
  std::string id;
  std::string started_at;
  const Object* terminated = nullptr;  // its end, when it has ended
};

ApiResult<Instance> pickInstance(const Object& pod, const std::string& container, bool previous) {
  std::string pod_name = stringField(pod, {"metadata", "name"});
  std::string quoted = "container \"" + container + "\" in pod \"" + pod_name + "\"";
  const Object* status = containerStatus(pod, container);
  if (status == nullptr) {
    return badRequest(quoted + " is not available");
  }
  const Object* running = findField(*status, {"state", "running"});
  const Object* terminated = findField(*status, {"state", "terminated"});
  const Object* waiting = findField(*status, {"state", "waiting"});
  const Object* last = findField(*status, {"lastState", "terminated"});
  auto fromTerminated = [](const Object& t) {
    return Instance{stringField(t, {"containerID"}), stringField(t, {"startedAt"}), &t};
  };
  if (previous) {
    if (last == nullptr || stringField(*last, {"containerID"}).empty()) {
      return badRequest("previous terminated " + quoted + " not found");
    }
    return fromTerminated(*last);
  }
  if (running != nullptr) {
    return Instance{stringField(*status, {"containerID"}), stringField(*running, {"startedAt"})};
  }
  if (terminated != nullptr) {
    if (!stringField(*terminated, {"containerID"}).empty()) {
      return fromTerminated(*terminated);
    }
    if (last != nullptr && !stringField(*last, {"containerID"}).empty()) {
      return fromTerminated(*last);
    }
    return badRequest(quoted + " is terminated");
  }
  if (last != nullptr) {
    if (stringField(*last, {"containerID"}).empty()) {
      return badRequest(quoted + " is terminated");
    }
    return fromTerminated(*last);
  }
  if (waiting != nullptr) {
    std::string reason = stringField(*waiting, {"reason"});
    if (reason == "ErrImagePull") {
      return badRequest(quoted + " is waiting to start: image can't be pulled");
    }
    if (reason == "ImagePullBackOff") {
      return badRequest(quoted + " is waiting to start: trying and failing to pull image");
    }
    return badRequest(quoted + " is waiting to start: " + reason);
  }
  return badRequest(quoted + " is waiting to start - no logs yet");
}

std::string timestampAt(std::chrono::system_clock::time_point start, size_t line) {
  auto t = start + std::chrono::milliseconds(static_cast<int64_t>(line) * 1250);
  std::string seconds = rfc3339(std::chrono::time_point_cast<std::chrono::seconds>(t));
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) % 1000;
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%03lld000000Z",
                static_cast<long long>(millis.count()));
  return seconds.substr(0, seconds.size() - 1) + fraction;
}

// The lines one container instance wrote: a start-up banner, request lines, and for an instance
// that ended, a last line saying how. The same instance always gives the same lines.
std::vector<std::string> instanceLines(const std::string& pod, const std::string& container,
                                       const Instance& instance) {
  uint64_t seed = hash64(pod + "/" + container + "/" + instance.id);
  size_t count = 40 + static_cast<size_t>(seed % 60);
  std::vector<std::string> lines;
  lines.reserve(count + 1);
  lines.push_back("starting " + container + " (pod " + pod + ")");
  static constexpr const char* kPaths[] = {"/healthz", "/api/items", "/metrics", "/api/orders",
                                           "/readyz"};
  for (size_t i = 1; i < count; ++i) {
    uint64_t h = hash64(std::to_string(i), seed);
    const char* path = kPaths[h % 5];
    int status = (h >> 8) % 23 == 0 ? 500 : 200;
    char line[160];
    std::snprintf(line, sizeof line, "%s request %zu: GET %s %d %dms", container.c_str(), i, path,
                  status, static_cast<int>((h >> 16) % 250) + 1);
    lines.emplace_back(line);
  }
  if (instance.terminated != nullptr) {
    const Object& end = *instance.terminated;
    std::string reason = stringField(end, {"reason"});
    const Object* code = findField(end, {"exitCode"});
    lines.push_back("exiting: " + (reason.empty() ? std::string("Error") : reason) +
                    " (exit code " + (code != nullptr ? code->dump() : std::string("1")) + ")");
  }
  return lines;
}

}  // namespace

ApiResult<std::string> podLogs(const Object& pod, const QueryParams& params) {
  std::string pod_name = stringField(pod, {"metadata", "name"});
  auto query = parseLogQuery(pod_name, params);
  if (!query.ok()) {
    return query.error();
  }
  std::string container = query->container;
  if (container.empty()) {
    const Object* main = findField(pod, {"spec", "containers"});
    size_t mains = main != nullptr && main->is_array() ? main->size() : 0;
    if (mains == 0) {
      return badRequest("pod " + pod_name + " does not have a container");
    }
    if (mains > 1) {
      return badRequest("a container name must be specified for pod " + pod_name +
                        ", choose one of: " + joinBracketed(containerNames(pod)));
    }
    container = stringField((*main)[0], {"name"});
  } else {
    auto names = containerNames(pod);
    if (std::find(names.begin(), names.end(), container) == names.end()) {
      return badRequest("container " + container + " is not valid for pod " + pod_name);
    }
  }
  // A pod without a node has no kubelet to ask: the server answers an empty stream.
  if (stringField(pod, {"spec", "nodeName"}).empty()) {
    return std::string();
  }
  auto instance = pickInstance(pod, container, query->previous);
  if (!instance.ok()) {
    return instance.error();
  }
  std::vector<std::string> lines = instanceLines(pod_name, container, *instance);
  size_t first = 0;
  if (query->tail_lines && static_cast<size_t>(*query->tail_lines) < lines.size()) {
    first = lines.size() - static_cast<size_t>(*query->tail_lines);
  }
  auto start = parseRfc3339OrEpoch(instance->started_at);
  std::string text;
  for (size_t i = first; i < lines.size(); ++i) {
    if (query->timestamps) {
      text += timestampAt(start, i) + " ";
    }
    text += lines[i] + "\n";
  }
  if (query->limit_bytes && static_cast<size_t>(*query->limit_bytes) < text.size()) {
    text.resize(static_cast<size_t>(*query->limit_bytes));
  }
  return text;
}

}  // namespace corral::testing::k8s
