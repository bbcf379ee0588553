#include "master/inventory/list_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "master/inventory/fingerprint.h"
#include "master/inventory/json_text.h"

namespace corral::master {
namespace {

constexpr size_t kMaxTextLength = 256;

struct SortName {
  std::string_view name;
  SortField field;
};

constexpr SortName kSortNames[] = {
    {"namespace", SortField::kNamespace},
    {"name", SortField::kName},
    {"created", SortField::kCreated},
    {"status", SortField::kStatus},
    {"phase", SortField::kPhase},
    {"reason", SortField::kReason},
    {"node", SortField::kNode},
    {"restarts", SortField::kRestarts},
    {"count", SortField::kCount},
    {"last_seen", SortField::kLastSeen},
    {"first_seen", SortField::kFirstSeen},
};

bool hasStatus(Kind kind) {
  return kind != Kind::kServices && kind != Kind::kConfigMaps && kind != Kind::kIngresses;
}

bool hasNode(Kind kind) {
  return kind == Kind::kPods || kind == Kind::kEvents || kind == Kind::kNodes;
}

bool sortApplies(Kind kind, SortField field) {
  switch (field) {
    case SortField::kNamespace:
    case SortField::kName:
    case SortField::kCreated:
      return true;
    case SortField::kStatus:
      return hasStatus(kind);
    case SortField::kPhase:
    case SortField::kNode:
    case SortField::kRestarts:
      return kind == Kind::kPods;
    case SortField::kReason:
      return kind == Kind::kPods || kind == Kind::kEvents;
    case SortField::kCount:
    case SortField::kLastSeen:
    case SortField::kFirstSeen:
      return kind == Kind::kEvents;
  }
  return false;
}

std::string_view sortName(SortField field) {
  for (const SortName& s : kSortNames) {
    if (s.field == field) {
      return s.name;
    }
  }
  return "namespace";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool equalsLower(std::string_view value, std::string_view lowered) {
  if (value.size() != lowered.size()) {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != lowered[i]) {
      return false;
    }
  }
  return true;
}

bool containsLower(std::string_view haystack, std::string_view lowered) {
  if (lowered.size() > haystack.size()) {
    return false;
  }
  for (size_t i = 0; i + lowered.size() <= haystack.size(); ++i) {
    if (equalsLower(haystack.substr(i, lowered.size()), lowered)) {
      return true;
    }
  }
  return false;
}

bool anyEqualsLower(std::string_view value, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return equalsLower(value, w); });
}

// Node statuses are "Ready,SchedulingDisabled": each part matches on its own.
bool statusMatches(std::string_view status, const std::vector<std::string>& wanted) {
  if (anyEqualsLower(status, wanted)) {
    return true;
  }
  if (status.find(',') == std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (true) {
    size_t comma = status.find(',', start);
    std::string_view part = status.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (anyEqualsLower(part, wanted)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      return false;
    }
    start = comma + 1;
  }
}

// --- parameters ---------------------------------------------------------------------------------

std::optional<std::string> lastValue(const QueryParams& params, const char* name) {
  auto [first, last] = params.equal_range(name);
  if (first == last) {
    return std::nullopt;
  }
  return std::prev(last)->second;
}

// Every value of a repeated parameter, each split at commas, trimmed, empty ones dropped.
std::vector<std::string> listValues(const QueryParams& params, const char* name) {
  std::vector<std::string> out;
  auto [first, last] = params.equal_range(name);
  for (auto it = first; it != last; ++it) {
    std::string_view v = it->second;
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string_view part =
          v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
      while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front())) != 0) {
        part.remove_prefix(1);
      }
      while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back())) != 0) {
        part.remove_suffix(1);
      }
      if (!part.empty()) {
        out.push_back(lower(part));
      }
      if (comma == std::string_view::npos) {
        break;
      }
      start = comma + 1;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status badParameter(const char* name, const std::string& what) {
  return invalidArgument("query parameter '" + std::string(name) + "': " + what);
}

std::string kindsWith(bool (*has)(Kind)) {
  std::string out;
  for (Kind k : allKinds()) {
    if (has(k)) {
      out += (out.empty() ? "" : ", ") + std::string(kindName(k));
    }
  }
  return out;
}

Status readFilters(const QueryParams& params, ListQuery& q) {
  std::string kind(kindName(q.kind));
  if (auto ns = lastValue(params, "namespace"); ns && !ns->empty()) {
    if (!namespaced(q.kind)) {
      return badParameter("namespace", kind + " have no namespace");
    }
    q.ns = *ns;
  }
  if (auto node = lastValue(params, "node"); node && !node->empty()) {
    if (!hasNode(q.kind)) {
      return badParameter("node", kind + " have no node; it filters " + kindsWith(hasNode));
    }
    q.node = *node;
  }
  std::string selector;
  auto [first, last] = params.equal_range("label");
  for (auto it = first; it != last; ++it) {
    if (!it->second.empty()) {
      selector += (selector.empty() ? "" : ",") + it->second;
    }
  }
  auto labels = LabelSelector::parse(selector);
  if (!labels.isOk()) {
    return badParameter("label", labels.status().message());
  }
  q.labels = std::move(*labels);
  if (auto owner = lastValue(params, "owner"); owner && !owner->empty()) {
    size_t slash = owner->find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == owner->size()) {
      return badParameter("owner",
                          "expected kind/name such as ReplicaSet/web-5d9c7, got '" + *owner + "'");
    }
    std::string owner_kind = owner->substr(0, slash);
    auto known = parseAnyKind(owner_kind);
    q.owner_kind = lower(known ? objectKind(*known) : owner_kind);
    q.owner_name = owner->substr(slash + 1);
  }
  q.statuses = listValues(params, "status");
  q.phases = listValues(params, "phase");
  for (const char* name : {"status", "phase"}) {
    if (!hasStatus(q.kind) && params.count(name) > 0) {
      return badParameter(name, kind + " have no status; it filters " + kindsWith(hasStatus));
    }
  }
  q.reasons = listValues(params, "reason");
  if (auto text = lastValue(params, "q"); text) {
    if (text->size() > kMaxTextLength) {
      return badParameter("q", "longer than " + std::to_string(kMaxTextLength) + " bytes");
    }
    q.text = lower(*text);
  }
  return Status::ok();
}

Status readSort(const QueryParams& params, ListQuery& q) {
  q.sort = q.kind == Kind::kEvents ? SortField::kLastSeen : SortField::kNamespace;
  q.descending = q.kind == Kind::kEvents;
  auto sort = lastValue(params, "sort");
  if (!sort || sort->empty()) {
    return Status::ok();
  }
  std::string_view name = *sort;
  bool descending = name.front() == '-';
  if (descending || name.front() == '+') {
    name.remove_prefix(1);
  }
  for (const SortName& s : kSortNames) {
    if (s.name == name && sortApplies(q.kind, s.field)) {
      q.sort = s.field;
      q.descending = descending;
      return Status::ok();
    }
  }
  std::string allowed;
  for (const SortName& s : kSortNames) {
    if (sortApplies(q.kind, s.field)) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(s.name);
    }
  }
  return badParameter("sort", "cannot sort " + std::string(kindName(q.kind)) + " by '" +
                                  std::string(name) + "'; use one of " + allowed +
                                  ", with '-' in front for descending order");
}

Status readPage(const QueryParams& params, ListQuery& q) {
  if (auto limit = lastValue(params, "limit"); limit) {
    int value = 0;
    auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (error != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > kMaxListLimit) {
      return badParameter("limit", "expected an integer from 1 to " +
                                       std::to_string(kMaxListLimit) + ", got '" + *limit + "'");
    }
    q.limit = value;
  }
  auto text = lastValue(params, "continue");
  if (!text || text->empty()) {
    return Status::ok();
  }
  auto token = decodeContinueToken(*text);
  if (!token) {
    return badParameter("continue", "not a token this master issued");
  }
  if (token->fingerprint != q.fingerprint) {
    return badParameter("continue",
                        "the token belongs to another query (the filters or the sort changed); "
                        "list again without it");
  }
  q.after = std::move(token->after);
  return Status::ok();
}

uint64_t fingerprintOf(const ListQuery& q, const std::string& selector) {
  constexpr char kSep = '\x1f';
  std::string canon;
  auto add = [&](std::string_view s) {
    canon += s;
    canon += kSep;
  };
  add(kindName(q.kind));
  add(q.ns ? "1" + *q.ns : "0");
  add(q.node ? "1" + *q.node : "0");
  add(selector);
  add(q.owner_kind);
  add(q.owner_name);
  for (const auto* list : {&q.statuses, &q.phases, &q.reasons}) {
    for (const std::string& v : *list) {
      canon += v + ',';
    }
    canon += kSep;
  }
  add(q.text);
  add(sortName(q.sort));
  add(q.descending ? "-" : "+");
  return fingerprint64(canon);
}

// --- matching and ordering --------------------------------------------------------------------

bool matches(const IndexedObject& o, const ListQuery& q) {
  if (q.ns && o.ns != *q.ns) {
    return false;
  }
  if (q.node) {
    bool on_node = false;
    switch (q.kind) {
      case Kind::kPods:
        on_node = o.node == *q.node;
        break;
      case Kind::kNodes:
        on_node = o.name == *q.node;
        break;
      default:  // events
        on_node =
            (o.involved.kind == "Node" && o.involved.name == *q.node) || o.source_host == *q.node;
    }
    if (!on_node) {
      return false;
    }
  }
  if (!q.owner_kind.empty() &&
      (o.owner_name != q.owner_name || !equalsLower(o.owner_kind, q.owner_kind))) {
    return false;
  }
  if (!q.statuses.empty() && !statusMatches(o.status, q.statuses)) {
    return false;
  }
  if (!q.phases.empty()) {
    bool own_phase = q.kind == Kind::kPods || q.kind == Kind::kNamespaces;
    if (!statusMatches(own_phase ? o.phase : o.status, q.phases)) {
      return false;
    }
  }
  if (!q.reasons.empty() &&
      std::none_of(o.reasons.begin(), o.reasons.end(),
                   [&](std::string_view r) { return anyEqualsLower(r, q.reasons); })) {
    return false;
  }
  if (!q.text.empty() && !containsLower(o.name, q.text) && !containsLower(o.ns, q.text) &&
      !containsLower(o.reason, q.text) && !containsLower(o.message, q.text)) {
    return false;
  }
  return q.labels.empty() || q.labels.matches(o.labels);
}

struct SortKey {
  bool numeric = false;
  int64_t number = 0;
  std::string_view text;
  std::string_view ns;
  std::string_view name;
  std::string_view uid;
};

SortKey keyOf(const IndexedObject& o, SortField field) {
  SortKey k{false, 0, {}, o.ns, o.name, o.uid};
  switch (field) {
    case SortField::kNamespace:
      k.text = o.ns;
      break;
    case SortField::kName:
      k.text = o.name;
      break;
    case SortField::kCreated:
      k.text = o.created_at;
      break;
    case SortField::kStatus:
      k.text = o.status;
      break;
    case SortField::kPhase:
      k.text = o.phase;
      break;
    case SortField::kReason:
      k.text = o.reason;
      break;
    case SortField::kNode:
      k.text = o.node;
      break;
    case SortField::kRestarts:
      k.numeric = true;
      k.number = o.restarts;
      break;
    case SortField::kCount:
      k.numeric = true;
      k.number = o.count;
      break;
    case SortField::kLastSeen:
      k.text = o.last_seen;
      break;
    case SortField::kFirstSeen:
      k.text = o.first_seen;
      break;
  }
  return k;
}

SortKey keyOf(const ListPosition& p) {
  return SortKey{p.numeric, p.number, p.text, p.ns, p.name, p.uid};
}

int compareThen(std::string_view a, std::string_view b) { return a.compare(b); }

// The query's order: the sorted field in its direction, then namespace, name and uid ascending.
bool before(const SortKey& a, const SortKey& b, bool descending) {
  int c = 0;
  if (a.numeric != b.numeric) {
    c = a.numeric ? -1 : 1;  // only with a token from another field, which the fingerprint stops
  } else if (a.numeric) {
    c = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  } else {
    c = compareThen(a.text, b.text);
  }
  if (c != 0) {
    return descending ? c > 0 : c < 0;
  }
  for (auto [x, y] : {std::pair(a.ns, b.ns), std::pair(a.name, b.name), std::pair(a.uid, b.uid)}) {
    if (int d = compareThen(x, y); d != 0) {
      return d < 0;
    }
  }
  return false;
}

}  // namespace

Result<ListQuery> parseListQuery(Kind kind, const QueryParams& params) {
  ListQuery q;
  q.kind = kind;
  CORRAL_RETURN_IF_ERROR(readFilters(params, q));
  CORRAL_RETURN_IF_ERROR(readSort(params, q));
  std::string selector;
  auto [first, last] = params.equal_range("label");
  for (auto it = first; it != last; ++it) {
    selector += it->second + ',';
  }
  q.fingerprint = fingerprintOf(q, selector);
  CORRAL_RETURN_IF_ERROR(readPage(params, q));
  return q;
}

ListPage runListQuery(const ClusterIndex& index, const ListQuery& q) {
  auto objects = index.objects(q.kind);
  std::optional<SortKey> after;
  if (q.after) {
    after = keyOf(*q.after);
  }
  ListPage page;
  std::vector<uint32_t> candidates;
  auto consider = [&](uint32_t i) {
    const IndexedObject& o = objects[i];
    if (!matches(o, q)) {
      return;
    }
    ++page.total;
    if (!after || before(*after, keyOf(o, q.sort), q.descending)) {
      candidates.push_back(i);
    }
  };
  // The narrowest starting set the lookups give; every filter is still checked on each object.
  if (q.kind == Kind::kPods && q.node) {
    for (uint32_t i : index.podsOnNode(*q.node)) {
      consider(i);
    }
  } else {
    auto [first, last] =
        q.ns ? index.namespaceRange(q.kind, *q.ns)
             : std::pair<uint32_t, uint32_t>(0, static_cast<uint32_t>(objects.size()));
    for (uint32_t i = first; i < last; ++i) {
      consider(i);
    }
  }
  auto order = [&](uint32_t a, uint32_t b) {
    return before(keyOf(objects[a], q.sort), keyOf(objects[b], q.sort), q.descending);
  };
  size_t take = std::min(candidates.size(), static_cast<size_t>(q.limit));
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<ptrdiff_t>(take),
                    candidates.end(), order);
  bool more = candidates.size() > take;
  candidates.resize(take);
  page.items = std::move(candidates);
  if (more) {
    const IndexedObject& last = objects[page.items.back()];
    SortKey k = keyOf(last, q.sort);
    ContinueToken token;
    token.fingerprint = q.fingerprint;
    token.version = index.info().version;
    token.after =
        ListPosition{k.numeric,           k.number,          std::string(k.text), std::string(k.ns),
                     std::string(k.name), std::string(k.uid)};
    page.next = encodeContinueToken(token);
  }
  return page;
}

std::string renderListPage(const ClusterIndex& index, Kind kind, const ListPage& page) {
  auto objects = index.objects(kind);
  size_t bytes = 128 + index.info().cluster_id.size() + page.next.size();
  for (uint32_t i : page.items) {
    bytes += objects[i].json.size() + 1;
  }
  std::string out;
  out.reserve(bytes);
  out += R"({"cluster_id":)";
  appendJsonString(out, index.info().cluster_id);
  out += R"(,"kind":")";
  out += kindName(kind);
  out += R"(","version":)" + std::to_string(index.info().version);
  out += ",\"total\":" + std::to_string(page.total);
  out += ",\"items\":[";
  for (size_t n = 0; n < page.items.size(); ++n) {
    if (n > 0) {
      out += ',';
    }
    out += objects[page.items[n]].json;
  }
  out += "],\"continue\":";
  if (page.next.empty()) {
    out += "null";
  } else {
    appendJsonString(out, page.next);
  }
  out += '}';
  return out;
}

}  // namespace corral::master
