#pragma once

// The error bodies a real API server sent, read from tests/fixtures/k8s/errors/ and served as
// recorded (compact, as on the wire, with the encoder's trailing newline).

#include <string>

#include "common/status.h"
#include "tests/k8s_emulator/api_status.h"

namespace corral::testing::k8s {

struct RecordedErrors {
  ApiError unauthorized;    // 401 for a missing or wrong bearer token
  ApiError not_found;       // 404 for a path that names no resource
  ApiError internal;        // 500
  ApiError too_many_plain;  // 429 from priority and fairness: text/plain
};

Result<RecordedErrors> loadRecordedErrors(const std::string& fixtures_dir);

}  // namespace corral::testing::k8s
