// The dashboard's files as the master serves them: every file the page loads is in the binary
// with the right content type, nothing is fetched from elsewhere, and the scripts never hand data
// to the HTML parser.

#include "master/dashboard/embedded_asset_catalog.h"

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

using corral::master::Asset;
using corral::master::contentTypeFor;
using corral::master::EmbeddedAssetCatalog;
using corral::master::embeddedDashboardFiles;
using corral::master::EmbeddedFile;

namespace {

// "lib/x.js" from "views/a.js" and "../lib/x.js"; "" when it climbs out of the assets folder.
std::string resolve(const std::string& from, const std::string& relative) {
  std::vector<std::string> parts;
  size_t slash = from.rfind('/');
  std::string dir = slash == std::string::npos ? "" : from.substr(0, slash);
  size_t start = 0;
  while (!dir.empty() && start <= dir.size()) {
    size_t end = dir.find('/', start);
    parts.push_back(dir.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  start = 0;
  while (start <= relative.size()) {
    size_t end = relative.find('/', start);
    std::string part =
        relative.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part == "..") {
      if (parts.empty()) {
        return "";
      }
      parts.pop_back();
    } else if (part != "." && !part.empty()) {
      parts.push_back(part);
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : "/") + p;
  }
  return out;
}

}  // namespace

TEST_CASE("the dashboard's page and files are embedded with their content types", "[dashboard]") {
  EmbeddedAssetCatalog catalog;
  const Asset* index = catalog.find("index.html");
  REQUIRE(index != nullptr);
  CHECK(index->content_type == "text/html; charset=utf-8");
  CHECK(index->body.find(R"(<script type="module" src="/ui/app.js">)") != std::string::npos);
  REQUIRE(catalog.find("app.js") != nullptr);
  CHECK(catalog.find("app.js")->content_type == "text/javascript; charset=utf-8");
  REQUIRE(catalog.find("style.css") != nullptr);
  CHECK(catalog.find("style.css")->content_type == "text/css; charset=utf-8");
  REQUIRE(catalog.find("views/object.js") != nullptr);
}

TEST_CASE("every file the page loads is embedded and nothing comes from elsewhere", "[dashboard]") {
  EmbeddedAssetCatalog catalog;
  const std::regex url_in_page(R"re((?:src|href)="/ui/([^"]+)")re");
  const std::regex import_from(R"re(from '(\.\.?/[^']+)')re");
  for (const EmbeddedFile& file : embeddedDashboardFiles()) {
    INFO(file.name);
    const Asset* asset = catalog.find(file.name);
    REQUIRE(asset != nullptr);
    CHECK(asset->content_type != "application/octet-stream");
    CHECK(!asset->body.empty());
    std::string text(asset->body);
    // No CDN, no font service, no analytics: the only absolute URL is SVG's namespace name.
    std::string without_namespace =
        std::regex_replace(text, std::regex(R"(http://www\.w3\.org/2000/svg)"), "");
    CHECK(without_namespace.find("http://") == std::string::npos);
    CHECK(without_namespace.find("https://") == std::string::npos);
    CHECK(without_namespace.find("//cdn") == std::string::npos);
    if (file.name.ends_with(".js")) {
      // Data reaches the page as text nodes only (lib/dom.js).
      CHECK(text.find("innerHTML") == std::string::npos);
      CHECK(text.find("outerHTML") == std::string::npos);
      CHECK(text.find("insertAdjacentHTML") == std::string::npos);
      CHECK(text.find("document.write") == std::string::npos);
      CHECK(text.find("eval(") == std::string::npos);
      for (std::sregex_iterator it(text.begin(), text.end(), import_from), end; it != end; ++it) {
        std::string target = resolve(std::string(file.name), (*it)[1]);
        INFO("imports " << (*it)[1]);
        CHECK(catalog.find(target) != nullptr);
      }
    }
    if (file.name.ends_with(".html")) {
      // The Content-Security-Policy refuses inline script; the page must not need any.
      CHECK(text.find("<script>") == std::string::npos);
      CHECK(text.find(" onclick=") == std::string::npos);
      for (std::sregex_iterator it(text.begin(), text.end(), url_in_page), end; it != end; ++it) {
        INFO("loads /ui/" << (*it)[1]);
        CHECK(catalog.find((*it)[1].str()) != nullptr);
      }
    }
  }
}

TEST_CASE("an asset is found by its exact name only", "[dashboard]") {
  EmbeddedAssetCatalog catalog;
  CHECK(catalog.find("") == nullptr);
  CHECK(catalog.find("/index.html") == nullptr);
  CHECK(catalog.find("lib/../index.html") == nullptr);
  CHECK(catalog.find("INDEX.HTML") == nullptr);
  CHECK(catalog.find("missing.js") == nullptr);
}

TEST_CASE("an asset's ETag follows its bytes", "[dashboard]") {
  std::vector<EmbeddedFile> first = {{"a.js", "one"}, {"b.css", ""}};
  std::vector<EmbeddedFile> same = {{"a.js", "one"}};
  std::vector<EmbeddedFile> edited = {{"a.js", "two"}};
  EmbeddedAssetCatalog a(first);
  EmbeddedAssetCatalog b(same);
  EmbeddedAssetCatalog c(edited);
  const std::string& tag = a.find("a.js")->etag;
  CHECK(tag.size() == 18);
  CHECK(tag.front() == '"');
  CHECK(tag.back() == '"');
  CHECK(b.find("a.js")->etag == tag);
  CHECK(c.find("a.js")->etag != tag);
  CHECK(a.find("b.css")->body.empty());
  CHECK(a.find("b.css")->etag != tag);
}

TEST_CASE("content types are chosen by extension", "[dashboard]") {
  CHECK(contentTypeFor("index.html") == "text/html; charset=utf-8");
  CHECK(contentTypeFor("views/x.js") == "text/javascript; charset=utf-8");
  CHECK(contentTypeFor("favicon.svg") == "image/svg+xml");
  CHECK(contentTypeFor("shot.png") == "image/png");
  CHECK(contentTypeFor("notes") == "application/octet-stream");
  CHECK(contentTypeFor("archive.js.gz") == "application/octet-stream");
}
