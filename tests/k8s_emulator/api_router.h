#pragma once

// Routes an authenticated API request: discovery and OpenAPI, then resource paths (after the
// forbidden-resource check), and the recorded 404 for anything else.

#include <set>
#include <string>

#include "tests/k8s_emulator/answer.h"
#include "tests/k8s_emulator/api_request.h"
#include "tests/k8s_emulator/object_store.h"
#include "tests/k8s_emulator/recorded_errors.h"

namespace corral::testing::k8s {

// The user named in 403 messages, as the agent's service account would be.
inline constexpr const char* kEmulatedUser = "system:serviceaccount:corral:corral-agent";

struct RouterContext {
  ObjectStore& store;
  const RecordedErrors& errors;
  const std::string& fixtures_dir;
  std::string server_address;              // "host:port"
  const std::set<std::string>& forbidden;  // resources every request to which is refused
};

Answer routeApiRequest(const RouterContext& context, const ApiRequest& request);

}  // namespace corral::testing::k8s
