#include "master/dashboard/asset_catalog.h"

#include <array>

namespace corral::master {
namespace {

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array<TypeByExtension, 7> kTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
}};

}  // namespace

std::string contentTypeFor(std::string_view name) {
  for (const auto& type : kTypes) {
    if (name.ends_with(type.extension)) {
      return std::string(type.content_type);
    }
  }
  return "application/octet-stream";
}

}  // namespace corral::master
