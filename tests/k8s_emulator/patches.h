#pragma once

// PATCH bodies the API server accepts for built-in kinds: JSON merge patch (RFC 7386), strategic
// merge patch (merge patch, plus lists of named things merged by their key and the $patch
// directives), and JSON patch (RFC 6902). Server-side apply is not emulated.

#include <optional>
#include <string>
#include <string_view>

#include "tests/k8s_emulator/api_status.h"
#include "tests/k8s_emulator/object_util.h"

namespace corral::testing::k8s {

enum class PatchKind { kMerge, kStrategicMerge, kJson };

// The kind named by a Content-Type ("application/merge-patch+json; charset=utf-8"), or nullopt
// for anything else (a 415).
std::optional<PatchKind> patchKindFor(std::string_view content_type);

// `target` with `body` applied. A body that does not parse is a 400; a JSON patch that does not
// apply is a 422, as on a real server.
ApiResult<Object> applyPatch(const Object& target, std::string_view body, PatchKind kind);

// Strategic merge of `patch` into `target`, exposed for tests.
void strategicMerge(Object& target, const Object& patch);

}  // namespace corral::testing::k8s
