#pragma once

// An HTTP answer as the handlers build it, apart from the HTTP library.

#include <string>
#include <utility>

#include "tests/k8s_emulator/api_status.h"

namespace corral::testing::k8s {

struct Answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  int retry_after_s = 0;  // > 0: a Retry-After header

  Answer() = default;
  Answer(int status_code, std::string content, std::string text)
      : status(status_code), content_type(std::move(content)), body(std::move(text)) {}
  explicit Answer(const ApiError& error)
      : status(error.code),
        content_type(error.content_type),
        body(error.body),
        retry_after_s(error.retry_after_s) {}
};

}  // namespace corral::testing::k8s
