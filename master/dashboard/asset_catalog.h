#pragma once

// The dashboard's static files by name, with what an HTTP answer needs: the bytes, the content
// type and a strong ETag. An implementation is immutable once built, so one catalog is shared by
// every request thread without locks.

#include <string>
#include <string_view>

namespace corral::master {

struct Asset {
  std::string name;          // the path under the assets folder: "index.html", "views/pods.js"
  std::string content_type;  // with a charset for text
  std::string_view body;     // owned by the catalog; valid as long as it is
  std::string etag;          // a quoted strong tag derived from the bytes
};

class AssetCatalog {
 public:
  virtual ~AssetCatalog() = default;

  // The asset named exactly `name` (no leading slash, no normalisation: "a/../b" finds nothing),
  // or null. The pointer stays valid as long as the catalog.
  virtual const Asset* find(std::string_view name) const = 0;
};

// The Content-Type served for a file name, by its extension; application/octet-stream for one
// not known.
std::string contentTypeFor(std::string_view name);

}  // namespace corral::master
