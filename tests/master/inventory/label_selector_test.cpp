// Kubernetes label selectors: the syntax kubectl -l accepts, matched as the API server matches.

#include "master/inventory/label_selector.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace corral::master {
namespace {

const LabelList kWeb = {{"app", "web"}, {"env", "prod"}, {"replicas", "5"}, {"tier", "frontend"}};

bool matches(const std::string& selector, const LabelList& labels = kWeb) {
  auto parsed = LabelSelector::parse(selector);
  INFO(selector << ": " << parsed.status().message());
  REQUIRE(parsed.isOk());
  return parsed->matches(labels);
}

TEST_CASE("every operator matches as Kubernetes matches it", "[inventory][selector]") {
  CHECK(matches(""));
  CHECK(matches("app=web"));
  CHECK(matches("app==web"));
  CHECK_FALSE(matches("app=api"));
  CHECK(matches("app!=api"));
  CHECK(matches("missing!=x"));  // != also matches objects without the key
  CHECK(matches("env in (prod,staging)"));
  CHECK_FALSE(matches("env in (staging)"));
  CHECK(matches("env notin (staging, dev)"));
  CHECK(matches("missing notin (x)"));
  CHECK_FALSE(matches("missing in (x)"));
  CHECK(matches("tier"));
  CHECK_FALSE(matches("missing"));
  CHECK(matches("!missing"));
  CHECK_FALSE(matches("!app"));
  CHECK(matches("replicas>4"));
  CHECK_FALSE(matches("replicas>5"));
  CHECK(matches("replicas<6"));
  CHECK_FALSE(matches("app<6"));  // not a number
  CHECK(matches("app=web,env in (prod),!canary,tier"));
  CHECK_FALSE(matches("app=web,env=dev"));
  CHECK(matches("  app = web ,  env  in  ( prod )  "));
  CHECK(matches("app.kubernetes.io/name=x", {{"app.kubernetes.io/name", "x"}}));
  CHECK(matches("app=", {{"app", ""}}));
}

TEST_CASE("a malformed selector is refused, saying what and where", "[inventory][selector]") {
  for (const std::string& text : std::vector<std::string>{
           "=web", "app=web,", ",app", "app=we b", "app in prod", "app in (a,b", "app in ()",
           "app >x", "app=-web", "!", "Bad_Prefix.io/a=b", "a/b/c=d", "app=web;env=prod",
           "app=" + std::string(64, 'x')}) {
    auto parsed = LabelSelector::parse(text);
    INFO(text);
    REQUIRE_FALSE(parsed.isOk());
    CHECK(parsed.status().code() == ErrorCode::kInvalidArgument);
    CHECK(parsed.status().message().find("position") != std::string::npos);
  }
}

TEST_CASE("a service selector selects pods that carry all its labels", "[inventory][selector]") {
  CHECK(selects({{"app", "web"}}, kWeb));
  CHECK(selects({{"app", "web"}, {"tier", "frontend"}}, kWeb));
  CHECK_FALSE(selects({{"app", "web"}, {"tier", "backend"}}, kWeb));
  CHECK_FALSE(selects({}, kWeb));  // no selector: no pods of its own
  REQUIRE(findLabel(kWeb, "env") != nullptr);
  CHECK(*findLabel(kWeb, "env") == "prod");
  CHECK(findLabel(kWeb, "nope") == nullptr);
}

}  // namespace
}  // namespace corral::master
