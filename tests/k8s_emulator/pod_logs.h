#pragma once

// GET .../pods/{name}/log: deterministic synthetic lines per container instance, checked the way
// the API server and kubelet check a log request (which container, whether it has run, whether a
// previous instance exists). sinceSeconds and sinceTime are accepted and do not filter: the lines'
// times come from the recorded pod, which is years old.

#include <string>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/list_handler.h"
#include "tests/k8s_emulator/object_util.h"

namespace corral::testing::k8s {

// The log text of `pod` for the request's query (container, tailLines, limitBytes, previous,
// timestamps, sinceSeconds), or the Status a real server answers.
ApiResult<std::string> podLogs(const Object& pod, const QueryParams& params);

}  // namespace corral::testing::k8s
