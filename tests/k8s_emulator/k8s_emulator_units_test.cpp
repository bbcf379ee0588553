// The emulator's parts on their own: selectors, continue tokens, patches, and the shape of the
// objects it synthesizes against the recorded OpenAPI documents.

#include <catch2/catch.hpp>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/cluster_builder.h"
#include "tests/k8s_emulator/continue_token.h"
#include "tests/k8s_emulator/emulator_test_client.h"
#include "tests/k8s_emulator/patches.h"
#include "tests/k8s_emulator/pod_multiplier.h"
#include "tests/k8s_emulator/scale_subresource.h"
#include "tests/k8s_emulator/selectors.h"

using corral::testing::fixtureText;
using corral::testing::k8s::ContinuePosition;
using corral::testing::k8s::decodeContinue;
using corral::testing::k8s::encodeContinue;
using corral::testing::k8s::findResourceType;
using corral::testing::k8s::LabelSelector;
using corral::testing::k8s::Object;
using corral::testing::k8s::ObjectStore;
using corral::testing::k8s::selectorString;
using corral::testing::k8s::strategicMerge;

namespace {

bool matches(const std::string& selector, const Object& labels) {
  auto parsed = LabelSelector::parse(selector);
  REQUIRE(parsed.ok());
  return parsed->matches(labels);
}

// Checks `value` against the schema `name` of an OpenAPI v3 document: every member must be a
// property the schema declares, with the declared JSON type. Returns the offending paths.
class SchemaCheck {
 public:
  explicit SchemaCheck(const std::string& document) : doc_(Object::parse(fixtureText(document))) {}

  std::vector<std::string> violations(const std::string& name, const Object& value) {
    problems_.clear();
    check(ref("#/components/schemas/" + name), value, name);
    return problems_;
  }

 private:
  const Object& ref(const std::string& pointer) {
    static const Object kMissing;
    const Object& schemas = doc_["components"]["schemas"];
    auto it = schemas.find(pointer.substr(pointer.rfind('/') + 1));
    return it == schemas.end() ? kMissing : *it;
  }

  const Object& resolve(const Object& schema) {
    if (schema.contains("$ref")) {
      return resolve(ref(schema["$ref"].get<std::string>()));
    }
    if (schema.contains("allOf") && schema["allOf"].size() == 1) {
      return resolve(schema["allOf"][0]);
    }
    return schema;
  }

  bool typeMatches(const std::string& type, const Object& value) {
    return (type == "string" && value.is_string()) ||
           (type == "integer" && value.is_number_integer()) ||
           (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean()) ||
           (type == "array" && value.is_array()) || (type == "object" && value.is_object());
  }

  void check(const Object& raw, const Object& value, const std::string& path) {
    const Object& schema = resolve(raw);
    if (!schema.is_object()) {
      problems_.push_back(path + ": no such schema");
      return;
    }
    if (value.is_null()) {
      return;  // the server writes null for unset timestamps in templates
    }
    if (schema.contains("oneOf")) {
      for (const Object& option : schema["oneOf"]) {
        if (typeMatches(option.value("type", ""), value)) {
          return;
        }
      }
      problems_.push_back(path + ": matches none of oneOf");
      return;
    }
    std::string type = schema.value("type", "");
    if (!type.empty() && !typeMatches(type, value)) {
      problems_.push_back(path + ": not a " + type);
      return;
    }
    if (value.is_array() && schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        check(schema["items"], value[i], path + "[" + std::to_string(i) + "]");
      }
    }
    if (value.is_object() && schema.contains("properties")) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!schema["properties"].contains(it.key())) {
          problems_.push_back(path + "." + it.key() + ": not in the schema");
        } else {
          check(schema["properties"][it.key()], *it, path + "." + it.key());
        }
      }
    } else if (value.is_object() && schema.contains("additionalProperties")) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        check(schema["additionalProperties"], *it, path + "." + it.key());
      }
    }
  }

  Object doc_;
  std::vector<std::string> problems_;
};

}  // namespace

TEST_CASE("label selectors parse and match like labels.Parse", "[k8s_emulator]") {
  Object labels = {{"app", "web"}, {"tier", "front"}, {"rank", "7"}};
  CHECK(matches("", labels));
  CHECK(matches("app=web", labels));
  CHECK(matches("app = web , tier==front", labels));
  CHECK_FALSE(matches("app=api", labels));
  CHECK(matches("app!=api", labels));
  CHECK(matches("missing!=x", labels));
  CHECK(matches("app in (api, web)", labels));
  CHECK_FALSE(matches("app notin (api,web)", labels));
  CHECK(matches("missing notin (a)", labels));
  CHECK(matches("tier", labels));
  CHECK(matches("!missing", labels));
  CHECK_FALSE(matches("!tier", labels));
  CHECK(matches("rank>5,rank<8", labels));
  CHECK_FALSE(matches("rank>7", labels));
  CHECK(matches("app in (web),tier notin (back),rank", labels));
  CHECK_FALSE(matches("app", Object()));
  for (const char* bad : {"app in web", "app in (a b)", "=x", "app=(x)", "app,,tier", "rank>x"}) {
    INFO(bad);
    CHECK_FALSE(LabelSelector::parse(bad).ok());
  }
}

TEST_CASE("continue tokens round-trip in the API server's format", "[k8s_emulator]") {
  ContinuePosition position{45489051, std::string("default/pod-a") + '\0'};
  std::string token = encodeContinue(position);
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  auto decoded = decodeContinue(token);
  REQUIRE(decoded);
  CHECK(decoded->resource_version == 45489051);
  CHECK(decoded->start_key == position.start_key);
  CHECK(decodeContinue(encodeContinue({-1, "x"}))->resource_version == -1);
  CHECK_FALSE(decodeContinue("bm90IGEgdG9rZW4"));  // "not a token"
  CHECK_FALSE(decodeContinue("***"));
}

TEST_CASE("strategic merge merges named lists and honours $patch", "[k8s_emulator]") {
  Object target = Object::parse(R"({"spec":{"containers":[
      {"name":"app","image":"app:1","env":[{"name":"A","value":"1"}]},
      {"name":"sidecar","image":"side:1"}],
    "finalizers":["a"],"tolerations":[{"key":"x"}]}})");
  strategicMerge(target, Object::parse(R"({"spec":{
      "containers":[{"name":"app","env":[{"name":"B","value":"2"}]},
                    {"name":"sidecar","$patch":"delete"},
                    {"name":"new","image":"new:1"}],
      "$setElementOrder/containers":[{"name":"app"},{"name":"new"}],
      "finalizers":["b"],"tolerations":[{"key":"y"}],"paused":null}})"));
  const Object& containers = target["spec"]["containers"];
  REQUIRE(containers.size() == 2);
  CHECK(containers[0]["image"] == "app:1");
  CHECK(containers[0]["env"].size() == 2);
  CHECK(containers[1]["name"] == "new");
  CHECK(target["spec"]["finalizers"] == Object::array({"a", "b"}));
  CHECK(target["spec"]["tolerations"] == Object::parse(R"([{"key":"y"}])"));
  CHECK_FALSE(target["spec"].contains("$setElementOrder/containers"));

  auto replaced =
      corral::testing::k8s::applyPatch(target, R"({"spec":{"$patch":"replace","paused":true}})",
                                       corral::testing::k8s::PatchKind::kStrategicMerge);
  REQUIRE(replaced.ok());
  CHECK((*replaced)["spec"] == Object::parse(R"({"paused":true})"));
}

TEST_CASE("a Scale's selector is written as the API server writes it", "[k8s_emulator]") {
  CHECK(selectorString(Object::parse(R"({"matchLabels":{"b":"2","a":"1"}})")) == "a=1,b=2");
  CHECK(selectorString(Object::parse(
            R"({"matchLabels":{"tier":"x"},"matchExpressions":[
                {"key":"env","operator":"In","values":["prod","dev"]},
                {"key":"zone","operator":"DoesNotExist"}]})")) == "env in (dev,prod),tier=x,!zone");
}

TEST_CASE("synthesized and multiplied objects follow the OpenAPI schemas", "[k8s_emulator]") {
  ObjectStore store;
  REQUIRE(corral::testing::k8s::buildCluster(CORRAL_K8S_FIXTURES_DIR, 30, store).isOk());
  SchemaCheck core("schemas/openapi-v3-kubectl-testdata/api_v1.json");
  SchemaCheck apps("schemas/openapi-v3-kubectl-testdata/apis_apps_v1.json");

  struct Kind {
    const char* resource;
    SchemaCheck& check;
    const char* schema;
  };
  std::vector<Kind> kinds = {{"services", core, "io.k8s.api.core.v1.Service"},
                             {"namespaces", core, "io.k8s.api.core.v1.Namespace"},
                             {"configmaps", core, "io.k8s.api.core.v1.ConfigMap"},
                             {"pods", core, "io.k8s.api.core.v1.Pod"},
                             {"events", core, "io.k8s.api.core.v1.Event"},
                             {"nodes", core, "io.k8s.api.core.v1.Node"},
                             {"daemonsets", apps, "io.k8s.api.apps.v1.DaemonSet"},
                             {"deployments", apps, "io.k8s.api.apps.v1.Deployment"},
                             {"replicasets", apps, "io.k8s.api.apps.v1.ReplicaSet"}};
  for (const Kind& kind : kinds) {
    for (const Object& object : store.all(*findResourceType(kind.resource))) {
      INFO(kind.resource << " " << object["metadata"]["name"]);
      CHECK(kind.check.violations(kind.schema, object) == std::vector<std::string>{});
    }
  }

  auto scale = corral::testing::k8s::handleScale(
      store, *findResourceType("deployments"), "kube-system", "coredns",
      corral::testing::k8s::ApiRequest{"GET", "", {}, "", ""});
  REQUIRE(scale.status == 200);
  CHECK(apps.violations("io.k8s.api.autoscaling.v1.Scale", Object::parse(scale.body)) ==
        std::vector<std::string>{});
}

TEST_CASE("the emulator's Status bodies follow the OpenAPI schema", "[k8s_emulator]") {
  namespace k8s = corral::testing::k8s;
  SchemaCheck apps("schemas/openapi-v3-kubectl-testdata/apis_apps_v1.json");
  const k8s::ResourceType& deployments = *findResourceType("deployments");
  for (const k8s::ApiError& error :
       {k8s::notFound(deployments, "x"), k8s::alreadyExists(deployments, "x"),
        k8s::invalidField("Deployment.apps", "x", "spec.replicas", "-1", "must be >= 0"),
        k8s::continueExpired("token"), k8s::methodNotAllowed(), k8s::unsupportedPatchType(),
        k8s::faultStatus(429, 3), k8s::faultStatus(503, 0), k8s::badRequest("bad")}) {
    INFO(error.body);
    CHECK(error.body.back() == '\n');
    Object status = Object::parse(error.body);
    CHECK(status["code"] == error.code);
    CHECK(apps.violations("io.k8s.apimachinery.pkg.apis.meta.v1.Status", status) ==
          std::vector<std::string>{});
  }
}
