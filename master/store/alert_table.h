#pragma once

// The alerts table behind an interface, reached through StoreTx::alerts() like every other
// table. Each episode of an alert is one row; at most one row per fingerprint is firing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "master/model/alert_record.h"

namespace corral::master {

struct Page;

// Every field set narrows the list; empty fields match everything.
struct AlertFilter {
  std::string state;  // firing | resolved
  std::string severity;
  std::string cluster_id;
  std::string rule;
  std::string fingerprint;
  std::optional<bool> acknowledged;
  int64_t since = 0;  // Unix ms: only alerts whose last_seen is at or after it
};

class AlertTable {
 public:
  virtual ~AlertTable() = default;
  // Fills in seq. kConflict when the id is taken, or when the record is firing and another
  // episode of its fingerprint still is.
  virtual Status insert(AlertRecord& alert) = 0;
  // Writes what an evaluation decides about an existing alert: state, severity, summary,
  // description, labels, last_seen, resolved_at and count. The acknowledgement columns are left
  // alone, so an acknowledgement committed in between is kept. kNotFound for an unknown id.
  virtual Status updateObservation(const AlertRecord& alert) = 0;
  // Records who acknowledged the alert and when. kNotFound for an unknown id.
  virtual Status acknowledge(const std::string& id, const std::string& by, int64_t at,
                             const std::string& comment) = 0;
  // kNotFound naming the id when there is no such alert.
  virtual Result<AlertRecord> get(const std::string& id) = 0;
  // Every firing alert, oldest first.
  virtual Result<std::vector<AlertRecord>> listFiring() = 0;
  // Newest first; Page::after is the last seq seen (digits), empty for the first page.
  virtual Result<std::vector<AlertRecord>> list(const AlertFilter& filter, const Page& page) = 0;
  // Deletes resolved alerts that resolved before `cutoff` (Unix ms); returns how many.
  virtual Result<int64_t> deleteResolvedBefore(int64_t cutoff) = 0;
};

}  // namespace corral::master
