#pragma once

// Builds the production K8sClient: RestK8sClient over a libcurl transport that keeps its
// connections to the API server for reuse.

#include <memory>

#include "agent/sdk/k8s_client.h"
#include "agent/sdk/kube_config.h"
#include "common/clock.h"
#include "common/status.h"

namespace corral::agent {

// The client owns its transport; `clock` must outlive it. Fails when a TLS file named in
// `connection` cannot be read.
Result<std::unique_ptr<K8sClient>> makeK8sClient(const K8sConnection& connection, Clock& clock);

}  // namespace corral::agent
