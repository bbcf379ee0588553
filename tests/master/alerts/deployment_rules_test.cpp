// The deployment rule over the recorded deployments, edited through the agent's model. How long
// replicas must stay unavailable is the engine's `for` (alert_engine_test.cpp).

#include <catch2/catch.hpp>

#include "master/alerts/deployment_rules.h"
#include "tests/master/alerts/alert_test_data.h"
#include "tests/master/alerts/rule_test_support.h"

namespace corral::testing {

TEST_CASE("the recorded deployments are all available", "[alerts][rules][deployments]") {
  FakeClock clock;
  auto rule = master::makeDeploymentUnavailableRule(master::AlertRuleSettings{});
  auto cluster = observe(recordedCluster());
  REQUIRE_FALSE(cluster.deployments.empty());
  CHECK(findings(*rule, cluster, clock).empty());
}

TEST_CASE("a deployment with fewer available replicas than wanted fires deployment_unavailable",
          "[alerts][rules][deployments]") {
  FakeClock clock;
  auto rule = master::makeDeploymentUnavailableRule(master::AlertRuleSettings{});
  auto s = emptyCluster();
  auto d = recordedDeployment();
  d.replicas = 6;
  d.available_replicas = 4;
  d.ready_replicas = 3;
  d.updated_replicas = 5;
  s.resources.deployments.push_back(d);
  auto found = findings(*rule, observe(s), clock);
  REQUIRE(found.size() == 1);
  const master::Finding& f = found.at("Deployment/" + d.meta.ns + "/" + d.meta.name);
  CHECK(f.summary ==
        "Deployment " + d.meta.ns + "/" + d.meta.name + " has 2 of 6 replicas unavailable");
  CHECK(f.description == "4 available, 3 ready and 5 up to date of 6 wanted.");
  CHECK(f.labels ==
        master::Labels{{"namespace", d.meta.ns}, {"kind", "Deployment"}, {"name", d.meta.name}});

  // Scaled to zero, or all available: nothing to say.
  d.replicas = 0;
  d.available_replicas = 0;
  s.resources.deployments = {d};
  CHECK(findings(*rule, observe(s), clock).empty());
}

}  // namespace corral::testing
