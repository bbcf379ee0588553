#pragma once

// First-start duties of the master: the data directory and the first admin token.

#include <string>

#include "common/status.h"
#include "master/auth/token_service.h"

namespace corral::master {

// Creates `dir` (and parents) with mode 0700 when missing.
Status ensureDataDir(const std::string& dir);

// When no operator token exists yet, creates an admin token, writes it to <dir>/admin.token with
// mode 0600 and returns the secret; otherwise returns an empty string.
Result<std::string> bootstrapAdminToken(Store& store, TokenService& tokens, const std::string& dir);

// Writes `secret` to `path` readable by the owner only.
Status writeSecretFile(const std::string& path, const std::string& secret);

}  // namespace corral::master
