#pragma once

// Discovery and health: /version, /api, /api/v1, /apis, /apis/{group}/{version}, the OpenAPI v3
// documents recorded under tests/fixtures/k8s/schemas/, and /healthz, /livez, /readyz. The
// version reported is v1.27.0, the version of the recorded OpenAPI documents.

#include <optional>
#include <string>

#include "tests/k8s_emulator/answer.h"

namespace corral::testing::k8s {

// The answer for a discovery, OpenAPI or health path, or nullopt for any other path.
// `server_address` is "host:port", for /api's serverAddressByClientCIDRs.
std::optional<Answer> discoveryAnswer(const std::string& path, const std::string& fixtures_dir,
                                      const std::string& server_address);

// Paths anyone may read without a token, as the system:public-info-viewer role allows.
bool isPublicPath(const std::string& path);

}  // namespace corral::testing::k8s
