#include "tests/k8s_emulator/api_router.h"

#include "tests/k8s_emulator/api_path.h"
#include "tests/k8s_emulator/discovery.h"
#include "tests/k8s_emulator/resource_handlers.h"

namespace corral::testing::k8s {

namespace {

// The RBAC verb of a request, as the authorizer names it.
std::string verbOf(const ApiRequest& request, const ApiPath& path) {
  const std::string& m = request.method;
  if (m == "GET" || m == "HEAD") {
    if (!path.name.empty()) {
      return "get";
    }
    std::string watch = queryValue(request.params, "watch");
    return watch == "true" || watch == "1" ? "watch" : "list";
  }
  if (m == "POST") {
    return "create";
  }
  if (m == "PUT") {
    return "update";
  }
  if (m == "PATCH") {
    return "patch";
  }
  if (m == "DELETE") {
    return path.name.empty() ? "deletecollection" : "delete";
  }
  return "unknown";
}

// The 403 of the RBAC authorizer, worded as the recorded ones under errors/.
ApiError forbidden(const ApiRequest& request, const ApiPath& path) {
  const ResourceType& type = *path.type;
  std::string resource = std::string(type.name);
  if (!path.subresource.empty()) {
    resource += "/" + path.subresource;
  }
  std::string subject = type.groupResource();
  if (!path.name.empty()) {
    subject += " \"" + path.name + "\"";
  }
  std::string scope =
      path.ns.empty() ? "at the cluster scope" : "in the namespace \"" + path.ns + "\"";
  std::string message = subject + " is forbidden: User \"" + kEmulatedUser + "\" cannot " +
                        verbOf(request, path) + " resource \"" + resource + "\" in API group \"" +
                        std::string(type.group) + "\" " + scope;
  return statusError(403, "Forbidden", message, statusDetails(type, path.name));
}

}  // namespace

Answer routeApiRequest(const RouterContext& context, const ApiRequest& request) {
  if (request.method == "GET") {
    if (auto answer = discoveryAnswer(request.path, context.fixtures_dir, context.server_address)) {
      return *answer;
    }
  }
  auto path = parseApiPath(request.path);
  if (!path) {
    return Answer(context.errors.not_found);
  }
  if (context.forbidden.count(std::string(path->type->name)) != 0) {
    return Answer(forbidden(request, *path));
  }
  return handleResource(context.store, context.errors, *path, request);
}

}  // namespace corral::testing::k8s
