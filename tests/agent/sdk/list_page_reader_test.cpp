// readListPage: a List page read item by item, with kind and apiVersion filled in and the
// omitted members never built.

#include "agent/sdk/list_page_reader.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace corral::agent {

namespace {

struct Read {
  Result<ListPage> page = ListPage{};
  std::vector<Json> items;
};

Read read(const std::string& text, const std::vector<ItemPath>& omit = {}) {
  Read out;
  out.page = readListPage(
      text, omit, [&](Json& item) { out.items.push_back(std::move(item)); }, "test");
  return out;
}

}  // namespace

TEST_CASE("a page's items come one by one with the List's kind and apiVersion", "[k8s]") {
  Read r = read(R"({"kind":"PodList","apiVersion":"v1",
                    "metadata":{"resourceVersion":"7","continue":"next-page"},
                    "items":[{"metadata":{"name":"a"}},
                             {"kind":"Special","apiVersion":"x/v2","metadata":{"name":"b"}}]})");
  REQUIRE(r.page.isOk());
  CHECK(r.page->continue_token == "next-page");
  CHECK(r.page->items == 2);
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[0] == Json::parse(R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}})"));
  CHECK(r.items[1]["kind"] == "Special");  // an item's own kind and apiVersion stay
  CHECK(r.items[1]["apiVersion"] == "x/v2");
}

TEST_CASE("items read alone equal the same items parsed whole", "[k8s]") {
  Json items = Json::parse(R"([
    {"metadata":{"name":"a","labels":{"app":"web"}},"spec":{"containers":[{"name":"c",
     "ports":[{"containerPort":80}],"args":["--x",null,true,1.5,-3,18446744073709551615]}]}},
    [1,[2,[3]],{"k":{}}], "text", 12, null, {}, []])");
  Json list = {{"kind", "ThingList"}, {"apiVersion", "v1"}, {"items", items}};
  Read r = read(list.dump());
  REQUIRE(r.page.isOk());
  REQUIRE(r.items.size() == items.size());
  Json expected = items[0];
  expected["kind"] = "Thing";
  expected["apiVersion"] = "v1";
  CHECK(r.items[0] == expected);
  for (size_t i = 1; i < items.size(); ++i) {
    if (!items[i].is_object()) {
      CHECK(r.items[i] == items[i]);  // items that are not objects are passed on as they are
    }
  }
  CHECK(r.items[5] == Json{{"kind", "Thing"}, {"apiVersion", "v1"}});
}

TEST_CASE("kind and apiVersion after the items still reach every item", "[k8s]") {
  Read r = read(R"({"items":[{"a":1},{"a":2}],"metadata":{},"apiVersion":"apps/v1",
                    "kind":"DeploymentList"})");
  REQUIRE(r.page.isOk());
  REQUIRE(r.items.size() == 2);
  CHECK(r.items[1]["kind"] == "Deployment");
  CHECK(r.items[1]["apiVersion"] == "apps/v1");
}

TEST_CASE("a List kind without the List suffix names no item kind", "[k8s]") {
  Read r = read(R"({"kind":"List","apiVersion":"v1","items":[{"a":1}]})");
  REQUIRE(r.items.size() == 1);
  CHECK_FALSE(r.items[0].contains("kind"));
  CHECK(r.items[0]["apiVersion"] == "v1");
}

TEST_CASE("omitted members are left out, through arrays and under dotted names", "[k8s]") {
  Json item = Json::parse(R"({
    "metadata":{"name":"a","managedFields":[{"manager":"kubectl"}],
                "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}",
                               "keep":"me"}},
    "spec":{"containers":[{"name":"c1","env":[{"name":"X"}],"image":"i"},
                          {"name":"c2","env":{"odd":"shape"}}],
            "volumes":[{"name":"v"}],
            "nodeName":"n"},
    "status":{"env":"not under spec: kept"}})");
  Json list = {{"kind", "PodList"}, {"apiVersion", "v1"}, {"items", {item, item}}};
  Read r = read(list.dump(),
                {{"metadata", "managedFields"},
                 {"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"},
                 {"spec", "containers", "env"},
                 {"spec", "volumes"}});
  REQUIRE(r.page.isOk());
  REQUIRE(r.items.size() == 2);
  Json expected = Json::parse(R"({
    "kind":"Pod","apiVersion":"v1",
    "metadata":{"name":"a","annotations":{"keep":"me"}},
    "spec":{"containers":[{"name":"c1","image":"i"},{"name":"c2"}],"nodeName":"n"},
    "status":{"env":"not under spec: kept"}})");
  CHECK(r.items[0] == expected);
  CHECK(r.items[1] == expected);
}

TEST_CASE("only the List's own metadata.continue is the continue token", "[k8s]") {
  Read r = read(R"({"kind":"PodList","apiVersion":"v1",
                    "metadata":{"nested":{"continue":"no"}},
                    "items":[{"metadata":{"continue":"no"}}],
                    "other":{"metadata":{"continue":"no"}}})");
  REQUIRE(r.page.isOk());
  CHECK(r.page->continue_token.empty());
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0]["metadata"]["continue"] == "no");
}

TEST_CASE("empty text is a page without items; items that are not an array are none", "[k8s]") {
  Read empty = read(" \n");
  REQUIRE(empty.page.isOk());
  CHECK(empty.items.empty());
  Read object = read(R"({"kind":"PodList","items":{"a":{"b":1}}})");
  REQUIRE(object.page.isOk());
  CHECK(object.items.empty());
}

TEST_CASE("text that is not JSON or not an object is an internal error naming the list", "[k8s]") {
  Read broken = read(R"({"kind":"PodList","apiVersion":"v1","items":[{"a":1},{"b":)");
  REQUIRE_FALSE(broken.page.isOk());
  CHECK(broken.page.status().code() == ErrorCode::kInternal);
  CHECK(broken.page.status().message() ==
        "the API server answered test with a body that is not JSON");
  CHECK(broken.items.size() == 1);  // what came before the error was read

  for (const char* text : {"[1,2]", "\"text\"", "42", "null"}) {
    Read other = read(text);
    REQUIRE_FALSE(other.page.isOk());
    CHECK(other.page.status().message() == "the API server answered test with no object");
  }
  Read trailing = read(R"({"items":[]} x)");
  CHECK_FALSE(trailing.page.isOk());
}

}  // namespace corral::agent
