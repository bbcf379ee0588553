#pragma once

// LIST of a collection, as the API server answers it: items in key order without their own kind
// and apiVersion, labelSelector and fieldSelector applied, and pages of `limit` items chained by
// `continue` tokens that remember the first page's resourceVersion.

#include <map>
#include <string>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/object_store.h"
#include "tests/k8s_emulator/resource_types.h"

namespace corral::testing::k8s {

// The query parameters of a request, decoded.
using QueryParams = std::multimap<std::string, std::string>;

// The list body for `type` in `ns` ("" = all namespaces), or the Status of a bad query or an
// expired continue token.
ApiResult<std::string> listObjects(const ObjectStore& store, const ResourceType& type,
                                   const std::string& ns, const QueryParams& params);

// The value of query parameter `name`, or "" when absent.
std::string queryValue(const QueryParams& params, const std::string& name);

}  // namespace corral::testing::k8s
