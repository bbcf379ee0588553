#pragma once

// The JSON shape of an alert, the same in API answers, webhook posts and the event stream
// (docs/api.md). Times are RFC 3339 in UTC, null when unset. Pure.

#include "common/json.h"
#include "master/alerts/alert_engine.h"
#include "master/model/alert_record.h"

namespace corral::master {

Json alertJson(const AlertRecord& alert);

// What a webhook receives for a change: {"version": 1, "status": "firing" | "resolved",
// "alert": alertJson(...)}.
Json alertChangeJson(const AlertChange& change);

}  // namespace corral::master
