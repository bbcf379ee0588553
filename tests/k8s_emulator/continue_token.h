#pragma once

// The `continue` token of a paginated LIST, in the format of the API server's etcd3 store:
// unpadded base64url of {"v":"meta.k8s.io/v1","rv":<version of the first page>,"start":"<next
// key>\u0000"}. Clients treat it as opaque; the emulator reads the position and the version back.

#include <cstdint>
#include <optional>
#include <string>

namespace corral::testing::k8s {

struct ContinuePosition {
  int64_t resource_version = 0;  // -1: continue at the latest version (never expires)
  std::string start_key;         // the first store key the next page may hold
};

std::string encodeContinue(const ContinuePosition& position);
// nullopt when the token is not one the emulator issued.
std::optional<ContinuePosition> decodeContinue(const std::string& token);

}  // namespace corral::testing::k8s
