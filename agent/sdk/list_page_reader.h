#pragma once

// Reads one page of a Kubernetes List (`{"kind":"PodList","apiVersion":"v1","metadata":{...},
// "items":[...]}`) from its JSON text without ever holding the page as one tree: each item is
// built on its own, handed over as soon as its closing bracket is read, and dropped. Parts of the
// items the caller never reads, and the List's members other than kind, apiVersion, metadata and
// items, are checked as JSON and skipped at byte-scanning speed (common/json_scanner.h): they cost
// no memory and are never built. A pure function, safe from any thread.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace corral::agent {

// Object member names from an item down, e.g. {"metadata", "managedFields"}. Arrays on the way
// are entered without a step: {"spec", "containers", "env"} is the env of every container.
using ItemPath = std::vector<std::string>;

struct ListPage {
  std::string continue_token;  // metadata.continue; empty on the last page
  int64_t items = 0;           // items handed to the visitor
};

// Parses `text` and calls `visit` with every item in order; an item may be moved from. An object
// item gets the List's kind without "List" ("PodList" -> "Pod") and its apiVersion when it has
// none of its own. The members at `omit` are left out of the items. `continued`, when set, gets
// the continue token (empty on the last page) as soon as the List's metadata has been read: the
// API server writes it before the items, so the next page can be asked for while this one is
// read. Empty text is a page without items. Fails with kInternal naming `what` ("a list of
// /api/v1/pods") when the text is not JSON or not an object; the items before a syntax error
// have been visited by then.
Result<ListPage> readListPage(std::string_view text, const std::vector<ItemPath>& omit,
                              const std::function<void(Json& item)>& visit, const std::string& what,
                              const std::function<void(const std::string&)>& continued = {});

}  // namespace corral::agent
