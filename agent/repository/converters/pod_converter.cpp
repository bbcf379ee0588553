#include <algorithm>
#include <limits>
#include <string>

#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/converters.h"
#include "agent/repository/converters/json_fields.h"
#include "agent/repository/converters/quantity.h"

namespace corral::agent {

namespace {

int64_t saturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

model::Container containerFromSpec(const Json& spec) {
  model::Container c;
  c.name = fields::str(spec, {"name"});
  c.image = fields::str(spec, {"image"});
  c.requests.cpu = fields::intOrString(fields::at(spec, {"resources", "requests", "cpu"}));
  c.requests.memory = fields::intOrString(fields::at(spec, {"resources", "requests", "memory"}));
  c.limits.cpu = fields::intOrString(fields::at(spec, {"resources", "limits", "cpu"}));
  c.limits.memory = fields::intOrString(fields::at(spec, {"resources", "limits", "memory"}));
  return c;
}

void applyStatus(model::Container& c, const Json& status) {
  c.ready = fields::boolean(status, {"ready"});
  c.restart_count = fields::integer(status, {"restartCount"});
  if (c.image.empty()) {
    c.image = fields::str(status, {"image"});
  }
  const Json& state = fields::at(status, {"state"});
  if (const Json& waiting = fields::at(state, {"waiting"}); waiting.is_object()) {
    c.state = "waiting";
    c.reason = fields::str(waiting, {"reason"});
    c.message = fields::str(waiting, {"message"});
  } else if (const Json& terminated = fields::at(state, {"terminated"}); terminated.is_object()) {
    c.state = "terminated";
    c.reason = fields::str(terminated, {"reason"});
    c.message = fields::str(terminated, {"message"});
    c.exit_code = fields::optInteger(fields::at(terminated, {"exitCode"}));
  } else if (fields::at(state, {"running"}).is_object()) {
    c.state = "running";
  }
  if (const Json& last = fields::at(status, {"lastState", "terminated"}); last.is_object()) {
    c.last_reason = fields::str(last, {"reason"});
    c.last_exit_code = fields::optInteger(fields::at(last, {"exitCode"}));
  }
}

// Containers in spec order, each with its status (matched by name); a status without a spec
// entry is kept too, so nothing the kubelet reports is lost.
std::vector<model::Container> containersFrom(const Json& specs, const Json& statuses) {
  std::vector<model::Container> out;
  for (const Json& spec : fields::array(specs)) {
    out.push_back(containerFromSpec(spec));
  }
  for (const Json& status : fields::array(statuses)) {
    std::string name = fields::str(status, {"name"});
    auto it = std::find_if(out.begin(), out.end(), [&](const model::Container& c) {
      return c.name == name && c.state.empty();
    });
    if (it == out.end()) {
      model::Container extra;
      extra.name = name;
      out.push_back(std::move(extra));
      it = std::prev(out.end());
    }
    applyStatus(*it, status);
  }
  return out;
}

model::ResourceTotals totalsOf(const model::ResourceQuantities& q) {
  return {parseCpuMillis(q.cpu).value_or(0), parseBytes(q.memory).value_or(0)};
}

// The scheduler's view: app containers run together, init containers one at a time before them.
model::ResourceTotals effectiveTotals(const model::Pod& pod, bool limits) {
  model::ResourceTotals sum;
  for (const auto& c : pod.containers) {
    model::ResourceTotals t = totalsOf(limits ? c.limits : c.requests);
    sum.cpu_millis = saturatingAdd(sum.cpu_millis, t.cpu_millis);
    sum.memory_bytes = saturatingAdd(sum.memory_bytes, t.memory_bytes);
  }
  for (const auto& c : pod.init_containers) {
    model::ResourceTotals t = totalsOf(limits ? c.limits : c.requests);
    sum.cpu_millis = std::max(sum.cpu_millis, t.cpu_millis);
    sum.memory_bytes = std::max(sum.memory_bytes, t.memory_bytes);
  }
  return sum;
}

bool unschedulable(const model::Pod& pod) {
  return std::any_of(pod.conditions.begin(), pod.conditions.end(), [](const model::Condition& c) {
    return c.type == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable";
  });
}

// kubectl's STATUS column (printPod in kubectl's printers), plus "Unschedulable" for a pending
// pod the scheduler could not place.
std::string headline(const Json& item, const model::Pod& pod) {
  std::string reason = fields::str(item, {"status", "reason"});
  if (reason.empty()) {
    reason = pod.phase;
  }
  bool initializing = false;
  for (size_t i = 0; i < pod.init_containers.size(); ++i) {
    const model::Container& c = pod.init_containers[i];
    if (c.state.empty() || (c.state == "terminated" && c.exit_code.value_or(0) == 0)) {
      continue;
    }
    if (c.state == "terminated") {
      reason = c.reason.empty() ? "Init:ExitCode:" + std::to_string(c.exit_code.value_or(0))
                                : "Init:" + c.reason;
    } else if (c.state == "waiting" && !c.reason.empty() && c.reason != "PodInitializing") {
      reason = "Init:" + c.reason;
    } else {
      reason = "Init:" + std::to_string(i) + "/" + std::to_string(pod.init_containers.size());
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    bool running = false;
    // Backwards, so that the first container with something to say has the last word.
    for (size_t i = pod.containers.size(); i-- > 0;) {
      const model::Container& c = pod.containers[i];
      if ((c.state == "waiting" || c.state == "terminated") && !c.reason.empty()) {
        reason = c.reason;
      } else if (c.state == "terminated") {
        reason = "ExitCode:" + std::to_string(c.exit_code.value_or(0));
      } else if (c.state == "running" && c.ready) {
        running = true;
      }
    }
    if (reason == "Completed" && running) {
      reason = "Running";
    }
  }
  if (reason == "Pending" && unschedulable(pod)) {
    reason = "Unschedulable";
  }
  if (!fields::str(item, {"metadata", "deletionTimestamp"}).empty()) {
    reason = "Terminating";
  }
  return reason;
}

}  // namespace

Result<model::Pod> podFromJson(const Json& item) {
  if (!item.is_object()) {
    return notAnObject("Pod", item);
  }
  const Json& spec = fields::at(item, {"spec"});
  const Json& status = fields::at(item, {"status"});
  model::Pod pod;
  pod.meta = metaFromJson(item, "Pod");
  pod.phase = fields::str(status, {"phase"});
  pod.message = fields::str(status, {"message"});
  pod.containers =
      containersFrom(fields::at(spec, {"containers"}), fields::at(status, {"containerStatuses"}));
  pod.init_containers = containersFrom(fields::at(spec, {"initContainers"}),
                                       fields::at(status, {"initContainerStatuses"}));
  pod.images = containerImages(spec);
  for (const auto& c : pod.containers) {
    pod.ready_containers += c.ready ? 1 : 0;
    pod.restarts = saturatingAdd(pod.restarts, c.restart_count);
  }
  for (const auto& c : pod.init_containers) {
    pod.restarts = saturatingAdd(pod.restarts, c.restart_count);
  }
  pod.total_containers = static_cast<int64_t>(pod.containers.size());
  pod.ready = std::to_string(pod.ready_containers) + "/" + std::to_string(pod.total_containers);
  pod.requests = effectiveTotals(pod, /*limits=*/false);
  pod.limits = effectiveTotals(pod, /*limits=*/true);
  pod.pod_ip = fields::str(status, {"podIP"});
  pod.host_ip = fields::str(status, {"hostIP"});
  pod.qos_class = fields::str(status, {"qosClass"});
  pod.conditions = conditionsFromJson(fields::at(status, {"conditions"}));
  pod.reason = headline(item, pod);
  return pod;
}

}  // namespace corral::agent
