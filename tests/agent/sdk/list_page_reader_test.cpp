// readListPage: a List page read item by item, with kind and apiVersion filled in and the
// omitted members never built.

#include "agent/sdk/list_page_reader.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
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

// `value` without the members at `path`, through arrays as readListPage goes through them.
void erasePath(Json& value, const ItemPath& path, size_t at = 0) {
  if (value.is_array()) {
    for (Json& element : value) {
      erasePath(element, path, at);
    }
    return;
  }
  if (!value.is_object() || at >= path.size()) {
    return;
  }
  if (at + 1 == path.size()) {
    value.erase(path[at]);
  } else if (value.contains(path[at])) {
    erasePath(value[path[at]], path, at + 1);
  }
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

TEST_CASE("omitted members are skipped whatever their text holds", "[k8s]") {
  std::string text = R"({"kind":"PodList","apiVersion":"v1","metadata":{"continue":"c\u00e9"},
    "items":[{"metadata":{"name":"a\u00e9\ud83d\ude00","managedFields":[{"f:x":{"]":"}\"{",
              "deep":[[[{"a":[]}]],{}],"u":"\u005d\\"}},"é中😀"]},
              "skip":{"k":[1,-2.5e-3,true,false,null,"[{"]},"name2":"ü"}]})";
  Read r = read(text, {{"metadata", "managedFields"}, {"skip"}});
  REQUIRE(r.page.isOk());
  CHECK(r.page->continue_token == "c\xC3\xA9");
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0] == Json::parse(R"({"kind":"Pod","apiVersion":"v1",
    "metadata":{"name":"a\u00e9\ud83d\ude00"},"name2":"ü"})"));
  CHECK(r.items[0]["metadata"]["name"] == "a\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("an omitted member that is not JSON still fails the page", "[k8s]") {
  for (const char* bad : {R"("a\x")", R"([1,])", R"({"a" 1})", "[\"\xFF\"]", R"("\ud800")", "[tru]",
                          "[1e999]", R"([{"a":1])"}) {
    INFO(bad);
    std::string text =
        std::string(R"({"kind":"PodList","apiVersion":"v1","items":[{"a":1},{"skip":)") + bad +
        R"(,"b":2}]})";
    Read r = read(text, {{"skip"}});
    REQUIRE_FALSE(r.page.isOk());
    CHECK(r.page.status().message() == "the API server answered test with a body that is not JSON");
    CHECK(r.items.size() == 1);
  }
}

TEST_CASE("a page cut anywhere is an error unless what is left is JSON", "[k8s]") {
  std::string text = R"({"kind":"PodList","apiVersion":"v1","metadata":{"continue":"n"},
    "items":[{"metadata":{"name":"a","managedFields":[{"x":"y"}]},"n":[1.5,null]},
             {"metadata":{"name":"b\""}}],"extra":{"z":[true]}})";
  for (size_t length = 1; length < text.size(); ++length) {
    std::string prefix = text.substr(0, length);
    INFO(prefix);
    Read r = read(prefix, {{"metadata", "managedFields"}});
    CHECK_FALSE(r.page.isOk());
  }
  Read whole = read(text, {{"metadata", "managedFields"}});
  REQUIRE(whole.page.isOk());
  CHECK(whole.items.size() == 2);
}

TEST_CASE("an item nested far deeper than any object is built without recursion", "[k8s]") {
  const size_t depth = 100000;
  std::string text =
      R"({"kind":"ThingList","items":[)" + std::string(depth, '[') + std::string(depth, ']') + "]}";
  Read r = read(text);
  REQUIRE(r.page.isOk());
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].is_array());
  // nlohmann's destructor of so deep a value is itself iterative.
}

TEST_CASE("recorded Lists read alone equal the Lists parsed whole minus the omitted", "[k8s]") {
  const std::vector<ItemPath> omit = {
      {"metadata", "managedFields"},
      {"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"},
      {"spec", "volumes"},
      {"spec", "containers", "env"},
      {"spec", "template", "spec", "containers", "volumeMounts"},
      {"status", "images"}};
  size_t lists = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::string(CORRAL_K8S_FIXTURES) + "/troubleshoot")) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Json whole = Json::parse(text.str());
    if (!whole.is_object() || !whole.contains("items")) {
      continue;
    }
    INFO(entry.path());
    ++lists;
    Read r = read(text.str(), omit);
    REQUIRE(r.page.isOk());
    REQUIRE(r.items.size() == whole["items"].size());
    std::string kind = whole["kind"].get<std::string>();
    for (size_t i = 0; i < r.items.size(); ++i) {
      Json expected = whole["items"][i];
      for (const ItemPath& path : omit) {
        erasePath(expected, path);
      }
      if (!expected.contains("kind") && kind.size() > 4 && kind.ends_with("List")) {
        expected["kind"] = kind.substr(0, kind.size() - 4);
      }
      if (!expected.contains("apiVersion") && whole.contains("apiVersion")) {
        expected["apiVersion"] = whole["apiVersion"];
      }
      CHECK(r.items[i] == expected);
    }
  }
  CHECK(lists > 10);
}

}  // namespace corral::agent
