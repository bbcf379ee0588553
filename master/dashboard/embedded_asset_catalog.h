#pragma once

// An AssetCatalog over files compiled into the binary (embedded_files.h). Content types and ETags
// are worked out once, at construction. Immutable afterwards; safe to share between threads.

#include <span>
#include <string_view>
#include <vector>

#include "master/dashboard/asset_catalog.h"
#include "master/dashboard/embedded_files.h"

namespace corral::master {

class EmbeddedAssetCatalog final : public AssetCatalog {
 public:
  // The files must outlive the catalog; the default, the dashboard's own, are static.
  explicit EmbeddedAssetCatalog(std::span<const EmbeddedFile> files = embeddedDashboardFiles());

  const Asset* find(std::string_view name) const override;

 private:
  std::vector<Asset> assets_;  // sorted by name
};

}  // namespace corral::master
