#pragma once

// The dashboard's files as compiled into the binary: the source embedded_files.cpp is generated
// at build time from master/dashboard/assets (see embed_files.cmake). Constant data; safe to read
// from any thread.

#include <span>
#include <string_view>

namespace corral::master {

struct EmbeddedFile {
  std::string_view name;   // the path under assets/, e.g. "index.html", "views/overview.js"
  std::string_view bytes;  // the file's contents, exactly
};

// Every embedded file, in the order master/dashboard/CMakeLists.txt lists them. Static storage.
std::span<const EmbeddedFile> embeddedDashboardFiles();

}  // namespace corral::master
