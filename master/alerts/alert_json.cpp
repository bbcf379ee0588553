#include "master/alerts/alert_json.h"

#include "common/time_format.h"

namespace corral::master {
namespace {

Json time(int64_t unix_ms) {
  return unix_ms == 0 ? Json(nullptr) : Json(formatRfc3339(fromUnixMillis(unix_ms)));
}

}  // namespace

Json alertJson(const AlertRecord& a) {
  Json acknowledgement = nullptr;
  if (a.acknowledged_at != 0) {
    acknowledgement = {
        {"by", a.acknowledged_by}, {"at", time(a.acknowledged_at)}, {"comment", a.ack_comment}};
  }
  return {{"id", a.id},
          {"fingerprint", a.fingerprint},
          {"rule", a.rule},
          {"severity", a.severity},
          {"state", a.state},
          {"cluster_id", a.cluster_id},
          {"summary", a.summary},
          {"description", a.description},
          {"labels", a.labels},
          {"first_seen", time(a.first_seen)},
          {"last_seen", time(a.last_seen)},
          {"resolved_at", time(a.resolved_at)},
          {"count", a.count},
          {"acknowledged", a.acknowledged_at != 0},
          {"acknowledgement", acknowledgement}};
}

Json alertChangeJson(const AlertChange& change) {
  return {{"version", 1}, {"status", change.alert.state}, {"alert", alertJson(change.alert)}};
}

}  // namespace corral::master
