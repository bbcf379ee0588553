#pragma once

// The answer of the operator list routes: {"items": [...], "continue": "<token>" or null}, each
// item the record's operator view (views.h). Internal to the api folder.

#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "master/api/http_support.h"
#include "master/api/views.h"
#include "master/store/store.h"

namespace corral::master {

// Wraps a list page; an empty `next` is the last page.
inline Json pageJson(Json items, const std::string& next) {
  return {{"items", std::move(items)}, {"continue", next.empty() ? Json(nullptr) : Json(next)}};
}

// The operator views of `records`, in order.
template <typename T>
Json itemsJson(const std::vector<T>& records) {
  Json items = Json::array();
  for (const auto& r : records) {
    items.push_back(toJson(r));
  }
  return items;
}

// Answers 200 with `records`, the result of reading `page`. A full page (page.limit records)
// continues after `position(last record) -> std::string`, the token the caller sends back as
// "continue"; a shorter page is the last.
template <typename T, typename PositionFn>
void sendPage(httplib::Response& res, const Page& page, const std::vector<T>& records,
              PositionFn position) {
  std::string next = static_cast<int>(records.size()) == page.limit && !records.empty()
                         ? position(records.back())
                         : std::string();
  sendJson(res, 200, pageJson(itemsJson(records), next));
}

// Answers 200 with all of `records` as a single, last page.
template <typename T>
void sendAll(httplib::Response& res, const std::vector<T>& records) {
  sendJson(res, 200, pageJson(itemsJson(records), ""));
}

}  // namespace corral::master
