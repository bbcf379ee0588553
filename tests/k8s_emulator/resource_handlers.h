#pragma once

// The verbs on a resource path: LIST and GET, POST (create), PUT (replace), PATCH, DELETE, and
// the log and scale subresources; each answers as the API server would.

#include "tests/k8s_emulator/answer.h"
#include "tests/k8s_emulator/api_path.h"
#include "tests/k8s_emulator/api_request.h"
#include "tests/k8s_emulator/object_store.h"
#include "tests/k8s_emulator/recorded_errors.h"

namespace corral::testing::k8s {

Answer handleResource(ObjectStore& store, const RecordedErrors& errors, const ApiPath& path,
                      const ApiRequest& request);

}  // namespace corral::testing::k8s
