#pragma once

// Whole files as text, for tests that check what a process wrote: its stderr, a generated config.

#include <fstream>
#include <sstream>
#include <string>

namespace corral::testing {

// The contents of the file at `path`; empty when it cannot be read.
inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace corral::testing
