#pragma once

// Reading query results into records, for the table implementations. Internal to the store
// folder. The row helpers step the query they are given, on the thread that holds its
// connection; `row` maps the current row to a record.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "master/store/sqlite_connection.h"

namespace corral::master {

// A JSON object stored as text; an empty object when the text is empty, malformed or not an
// object.
inline Json storedObject(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() ? parsed : Json::object();
}

// Calls `visit(q)` for every remaining row, in the order of the query; a failed step is its error.
template <typename VisitFn>
Status forEachRow(Query& q, VisitFn visit) {
  while (true) {
    auto more = q.next();
    if (!more.isOk()) {
      return more.status();
    }
    if (!*more) {
      return Status::ok();
    }
    visit(q);
  }
}

// Every remaining row as a record, in the order of the query.
template <typename T, typename RowFn>
Result<std::vector<T>> collectRows(Query& q, RowFn row) {
  std::vector<T> out;
  CORRAL_RETURN_IF_ERROR(forEachRow(q, [&](const Query& r) { out.push_back(row(r)); }));
  return out;
}

// The first row, or nullopt when the query has none.
template <typename T, typename RowFn>
Result<std::optional<T>> firstRow(Query& q, RowFn row) {
  auto more = q.next();
  if (!more.isOk()) {
    return more.status();
  }
  if (!*more) {
    return std::optional<T>();
  }
  return std::optional<T>(row(q));
}

// The first row, or kNotFound with `missing` as the message when the query has none.
template <typename T, typename RowFn>
Result<T> requireRow(Query& q, RowFn row, const std::string& missing) {
  auto found = firstRow<T>(q, row);
  if (!found.isOk()) {
    return found.status();
  }
  if (!*found) {
    return notFound(missing);
  }
  return std::move(**found);
}

}  // namespace corral::master
