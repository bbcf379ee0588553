#include "agent/model/resource_kind.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace corral::agent::model {
namespace {

TEST_CASE("every resource kind has a distinct wire name that parses back", "[agent][model]") {
  std::set<std::string> names;
  for (ResourceKind kind : allResourceKinds()) {
    std::string name = resourceKindName(kind);
    names.insert(name);
    REQUIRE(parseResourceKind(name) == kind);
  }
  CHECK(names.size() == 11);
  CHECK(names == std::set<std::string>{"pods", "nodes", "deployments", "replicasets",
                                       "statefulsets", "daemonsets", "services", "events",
                                       "configmaps", "ingresses", "namespaces"});
}

TEST_CASE("names that are not kinds do not parse", "[agent][model]") {
  CHECK_FALSE(parseResourceKind("secrets"));
  CHECK_FALSE(parseResourceKind("Pods"));
  CHECK_FALSE(parseResourceKind(""));
}

}  // namespace
}  // namespace corral::agent::model
