#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <system_error>

namespace corral::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "corral-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::abort();  // a test cannot run without a scratch directory
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace corral::testing
