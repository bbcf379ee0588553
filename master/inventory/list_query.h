#pragma once

// Lists of one kind of a cluster's objects, answered from its ClusterIndex: filters, a sort and
// pages joined by continue tokens (continue_token.h). The query parameters and what each filter
// means per kind are documented in docs/api.md. Pure functions over an immutable index; safe from
// any thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "master/inventory/cluster_index.h"
#include "master/inventory/continue_token.h"
#include "master/inventory/label_selector.h"

namespace corral::master {

// Query parameters by name; a name may repeat.
using QueryParams = std::multimap<std::string, std::string>;

inline constexpr int kDefaultListLimit = 100;
inline constexpr int kMaxListLimit = 500;

enum class SortField {
  kNamespace,
  kName,
  kCreated,
  kStatus,
  kPhase,
  kReason,
  kNode,
  kRestarts,
  kCount,
  kLastSeen,
  kFirstSeen,
};

struct ListQuery {
  Kind kind = Kind::kPods;
  std::optional<std::string> ns;
  std::optional<std::string> node;
  LabelSelector labels;
  std::string owner_kind;  // lower case; empty: no owner filter
  std::string owner_name;
  // Any of these, compared without regard to case (held in lower case).
  std::vector<std::string> statuses;
  std::vector<std::string> phases;
  std::vector<std::string> reasons;
  std::string text;  // `q`, lower case: a substring of the name, namespace, reason or message
  SortField sort = SortField::kNamespace;
  bool descending = false;
  int limit = kDefaultListLimit;
  std::optional<ListPosition> after;  // from `continue`
  // Of everything above but the limit and the position: a continue token is good only for the
  // query that issued it.
  uint64_t fingerprint = 0;
};

// The list query for `kind` from the request's parameters. kInvalidArgument naming the parameter
// for a malformed value, a filter the kind does not have, an unknown sort field, or a continue
// token that is not one of this query's. Unknown parameters are ignored.
Result<ListQuery> parseListQuery(Kind kind, const QueryParams& params);

struct ListPage {
  std::vector<uint32_t> items;  // positions in ClusterIndex::objects(kind), in the query's order
  int64_t total = 0;            // objects that match the filters, on every page together
  std::string next;             // the continue token; empty on the last page
};

ListPage runListQuery(const ClusterIndex& index, const ListQuery& query);

// {"cluster_id", "kind", "version", "total", "items": [objects as sent], "continue": token|null}
std::string renderListPage(const ClusterIndex& index, Kind kind, const ListPage& page);

}  // namespace corral::master
