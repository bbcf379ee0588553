#pragma once

// The JSON shape of each record in operator responses. Times are RFC 3339 in UTC, null when
// unset. Secrets and hashes never appear.

#include "common/json.h"
#include "master/model/model.h"

namespace corral::master {

struct ClusterStatus;

Json timeJson(int64_t unix_ms);
Json toJson(const Pool& pool);
Json toJson(const Agent& agent);
Json toJson(const Token& token);
Json toJson(const CommandRecord& command);
Json toJson(const AuditEntry& entry);
// Without the body, which has its own route.
Json toJson(const ClusterSnapshot& snapshot);
// The snapshot's view plus "staleness_s".
Json toJson(const ClusterStatus& cluster);

}  // namespace corral::master
