#pragma once

// The opaque "continue" token of list pages: where the last page ended (the sort key of its last
// object), the snapshot version it came from, and a fingerprint of the query it belongs to, as
// unpadded base64url of a small JSON object. A token names a position, not a snapshot, so it
// stays usable when a newer snapshot arrives (docs/api.md). Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::master {

// The sort key of an object in a list: the sorted field (a number or a text), then namespace,
// name and uid, which make the order total.
struct ListPosition {
  bool numeric = false;
  int64_t number = 0;
  std::string text;
  std::string ns;
  std::string name;
  std::string uid;
};

struct ContinueToken {
  uint64_t fingerprint = 0;  // of the query's filters and sort
  int64_t version = 0;       // of the snapshot the page came from
  ListPosition after;
};

std::string encodeContinueToken(const ContinueToken& token);
// nullopt for anything encodeContinueToken() did not make.
std::optional<ContinueToken> decodeContinueToken(std::string_view text);

}  // namespace corral::master
