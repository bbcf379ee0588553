#pragma once

// The scale subresource of deployments, replicasets and statefulsets: an autoscaling/v1 Scale
// built from the object, read with GET and changed with PATCH or PUT.

#include <string>

#include "tests/k8s_emulator/answer.h"
#include "tests/k8s_emulator/api_request.h"
#include "tests/k8s_emulator/object_store.h"

namespace corral::testing::k8s {

Answer handleScale(ObjectStore& store, const ResourceType& type, const std::string& ns,
                   const std::string& name, const ApiRequest& request);

// spec.selector as the selector string of a Scale's status: "app=x,tier in (a,b)", by key.
std::string selectorString(const Object& label_selector);

}  // namespace corral::testing::k8s
