#include "master/dashboard/embedded_asset_catalog.h"

#include <algorithm>

#include "common/crypto.h"

namespace corral::master {
namespace {

// 64 bits of the SHA-256 of the bytes: a tag that changes with any edit and is the same in every
// build and every run, so a browser's cached copy stays valid across restarts of the master.
std::string strongTagOf(std::string_view bytes) {
  return "\"" + sha256Hex(bytes).substr(0, 16) + "\"";
}

}  // namespace

EmbeddedAssetCatalog::EmbeddedAssetCatalog(std::span<const EmbeddedFile> files) {
  assets_.reserve(files.size());
  for (const EmbeddedFile& file : files) {
    assets_.push_back(Asset{std::string(file.name), contentTypeFor(file.name), file.bytes,
                            strongTagOf(file.bytes)});
  }
  std::sort(assets_.begin(), assets_.end(),
            [](const Asset& a, const Asset& b) { return a.name < b.name; });
}

const Asset* EmbeddedAssetCatalog::find(std::string_view name) const {
  auto it = std::lower_bound(assets_.begin(), assets_.end(), name,
                             [](const Asset& a, std::string_view n) { return a.name < n; });
  if (it == assets_.end() || it->name != name) {
    return nullptr;
  }
  return &*it;
}

}  // namespace corral::master
