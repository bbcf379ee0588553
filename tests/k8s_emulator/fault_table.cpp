#include "tests/k8s_emulator/fault_table.h"

#include <algorithm>
#include <cctype>

namespace corral::testing::k8s {

void FaultTable::add(K8sEmulator::Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

void FaultTable::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::optional<K8sEmulator::Fault> FaultTable::take(const std::string& method,
                                                   const std::string& path) {
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (path.compare(0, it->path_prefix.size(), it->path_prefix) != 0 ||
        (!it->method.empty() && it->method != method)) {
      continue;
    }
    K8sEmulator::Fault fault = *it;
    if (it->count > 0 && --it->count == 0) {
      faults_.erase(it);
    }
    return fault;
  }
  return std::nullopt;
}

Result<K8sEmulator::Fault> faultFromJson(const Json& json) {
  if (!json.is_object()) {
    return badRequest("a fault is a JSON object");
  }
  K8sEmulator::Fault fault;
  for (auto it = json.begin(); it != json.end(); ++it) {
    const std::string& key = it.key();
    const Json& value = *it;
    bool ok = true;
    if (key == "path_prefix" || key == "method") {
      ok = value.is_string();
      if (ok) {
        (key == "method" ? fault.method : fault.path_prefix) = value.get<std::string>();
      }
    } else if (key == "status" || key == "count" || key == "retry_after_s" || key == "delay_ms") {
      ok = value.is_number_integer();
      if (ok) {
        int number = value.get<int>();
        if (key == "status") {
          fault.status = number;
        } else if (key == "count") {
          fault.count = number;
        } else if (key == "retry_after_s") {
          fault.retry_after_s = number;
        } else {
          fault.delay_ms = number;
        }
      }
    } else if (key == "drop_connection" || key == "plain_text_429") {
      ok = value.is_boolean();
      if (ok) {
        (key == "drop_connection" ? fault.drop_connection : fault.plain_text_429) =
            value.get<bool>();
      }
    } else {
      return badRequest("unknown fault field '" + key + "'");
    }
    if (!ok) {
      return badRequest("fault field '" + key + "' has the wrong type");
    }
  }
  if (fault.status != 0 && (fault.status < 400 || fault.status > 599)) {
    return badRequest("a fault's status must be an HTTP error (400-599)");
  }
  std::transform(fault.method.begin(), fault.method.end(), fault.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return fault;
}

}  // namespace corral::testing::k8s
