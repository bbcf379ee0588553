#pragma once

// One API request as the handlers see it, apart from the HTTP library.

#include <string>

#include "tests/k8s_emulator/list_handler.h"

namespace corral::testing::k8s {

struct ApiRequest {
  std::string method;  // "GET", "PATCH", ...
  std::string path;
  QueryParams params;
  std::string content_type;
  std::string body;
};

}  // namespace corral::testing::k8s
