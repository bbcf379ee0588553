#include "tests/k8s_emulator/selectors.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace corral::testing::k8s {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits on commas outside parentheses: "a in (x,y),b" is two requirements.
std::vector<std::string_view> splitRequirements(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    } else if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

bool isKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '/';
}

bool isValueChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool validValue(std::string_view value) {
  return value.size() <= 63 && std::all_of(value.begin(), value.end(), isValueChar);
}

ApiError labelError(std::string_view text, std::string_view detail) {
  return badRequest("unable to parse requirement: " + std::string(detail) + " (in \"" +
                    std::string(text) + "\")");
}

std::string labelValue(const Object& labels, const std::string& key, bool& present) {
  present = false;
  if (!labels.is_object()) {
    return {};
  }
  auto it = labels.find(key);
  if (it == labels.end()) {
    return {};
  }
  present = true;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// The field selectors each kind registers in the API server (pkg/registry/.../strategy.go);
// metadata.name and metadata.namespace are always there.
struct SupportedField {
  std::string_view resource;  // "" = every kind
  std::string_view label;
  std::string_view path;  // dotted JSON path, when it differs from the label
};

constexpr SupportedField kSupportedFields[] = {
    {"", "metadata.name", ""},
    {"", "metadata.namespace", ""},
    {"pods", "spec.nodeName", ""},
    {"pods", "spec.restartPolicy", ""},
    {"pods", "spec.schedulerName", ""},
    {"pods", "spec.serviceAccountName", ""},
    {"pods", "spec.hostNetwork", ""},
    {"pods", "status.phase", ""},
    {"pods", "status.podIP", ""},
    {"pods", "status.nominatedNodeName", ""},
    {"events", "involvedObject.kind", ""},
    {"events", "involvedObject.namespace", ""},
    {"events", "involvedObject.name", ""},
    {"events", "involvedObject.uid", ""},
    {"events", "involvedObject.apiVersion", ""},
    {"events", "involvedObject.resourceVersion", ""},
    {"events", "involvedObject.fieldPath", ""},
    {"events", "reason", ""},
    {"events", "reportingComponent", ""},
    {"events", "source", "source.component"},
    {"events", "type", ""},
    {"nodes", "spec.unschedulable", ""},
    {"namespaces", "status.phase", ""},
    {"replicasets", "status.replicas", ""},
    {"secrets", "type", ""},
};

std::vector<std::string> splitPath(std::string_view dotted) {
  std::vector<std::string> path;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    path.emplace_back(
        dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (dot == std::string_view::npos) {
      return path;
    }
    start = dot + 1;
  }
}

// A field's value as the server's field set spells it: strings as they are, booleans and numbers
// in their text form, and "" for an absent field (spec.nodeName= matches unscheduled pods).
std::string fieldValue(const Object& object, const std::vector<std::string>& path) {
  const Object* at = &object;
  for (const std::string& step : path) {
    if (!at->is_object()) {
      return {};
    }
    auto it = at->find(step);
    if (it == at->end()) {
      return {};
    }
    at = &*it;
  }
  if (at->is_string()) {
    return at->get<std::string>();
  }
  if (at->is_boolean() || at->is_number()) {
    return at->dump();
  }
  if (at->is_null() && path.size() == 2 && path[0] == "spec" && path[1] == "unschedulable") {
    return "false";
  }
  return {};
}

}  // namespace

ApiResult<LabelSelector> LabelSelector::parse(std::string_view text) {
  LabelSelector selector;
  if (trim(text).empty()) {
    return selector;
  }
  for (std::string_view raw : splitRequirements(text)) {
    std::string_view part = trim(raw);
    if (part.empty()) {
      return labelError(text, "found '', expected: !, identifier, or 'end of string'");
    }
    Requirement req;
    if (part.front() == '!') {
      std::string_view key = trim(part.substr(1));
      if (key.empty() || !std::all_of(key.begin(), key.end(), isKeyChar)) {
        return labelError(text, "found '" + std::string(key) + "', expected: identifier");
      }
      req.key = key;
      req.op = Op::kNotExists;
      selector.requirements_.push_back(std::move(req));
      continue;
    }
    size_t end = 0;
    while (end < part.size() && isKeyChar(part[end])) {
      ++end;
    }
    req.key = part.substr(0, end);
    if (req.key.empty()) {
      return labelError(text, "found '" + std::string(part) + "', expected: identifier");
    }
    std::string_view rest = trim(part.substr(end));
    if (rest.empty()) {
      req.op = Op::kExists;
      selector.requirements_.push_back(std::move(req));
      continue;
    }
    std::string_view value;
    bool set_op = false;
    if (rest.substr(0, 2) == "==" || rest.substr(0, 2) == "!=") {
      req.op = rest[0] == '!' ? Op::kNotEquals : Op::kEquals;
      value = trim(rest.substr(2));
    } else if (rest[0] == '=' || rest[0] == '>' || rest[0] == '<') {
      req.op = rest[0] == '=' ? Op::kEquals : rest[0] == '>' ? Op::kGreater : Op::kLess;
      value = trim(rest.substr(1));
    } else if (rest.substr(0, 5) == "notin" || rest.substr(0, 2) == "in") {
      bool notin = rest.substr(0, 5) == "notin";
      req.op = notin ? Op::kNotIn : Op::kIn;
      value = trim(rest.substr(notin ? 5 : 2));
      set_op = true;
    } else {
      return labelError(
          text, "found '" + std::string(rest) + "', expected: in, notin, =, ==, !=, gt, lt");
    }
    if (set_op) {
      if (value.size() < 2 || value.front() != '(' || value.back() != ')') {
        return labelError(text, "found '" + std::string(value) + "', expected: '('");
      }
      std::string_view inner = value.substr(1, value.size() - 2);
      size_t start = 0;
      while (true) {
        size_t comma = inner.find(',', start);
        std::string_view one =
            trim(inner.substr(start, comma == inner.npos ? inner.npos : comma - start));
        if (!validValue(one)) {
          return labelError(text, "invalid label value: \"" + std::string(one) + "\"");
        }
        req.values.emplace_back(one);
        if (comma == inner.npos) {
          break;
        }
        start = comma + 1;
      }
    } else {
      if (!validValue(value)) {
        return labelError(text, "invalid label value: \"" + std::string(value) + "\"");
      }
      if ((req.op == Op::kGreater || req.op == Op::kLess) &&
          (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) {
             return std::isdigit(static_cast<unsigned char>(c)) != 0;
           }))) {
        return labelError(text, "for 'Gt', 'Lt' operators, the value must be an integer");
      }
      req.values.emplace_back(value);
    }
    selector.requirements_.push_back(std::move(req));
  }
  return selector;
}

bool LabelSelector::matches(const Object& labels) const {
  for (const Requirement& req : requirements_) {
    bool present = false;
    std::string value = labelValue(labels, req.key, present);
    bool in_set =
        present && std::find(req.values.begin(), req.values.end(), value) != req.values.end();
    bool ok = false;
    switch (req.op) {
      case Op::kEquals:
      case Op::kIn:
        ok = in_set;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        ok = !in_set;
        break;
      case Op::kExists:
        ok = present;
        break;
      case Op::kNotExists:
        ok = !present;
        break;
      case Op::kGreater:
      case Op::kLess: {
        char* end = nullptr;
        long long have = std::strtoll(value.c_str(), &end, 10);
        bool number = present && !value.empty() && *end == '\0';
        long long want = std::strtoll(req.values[0].c_str(), nullptr, 10);
        ok = number && (req.op == Op::kGreater ? have > want : have < want);
        break;
      }
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

ApiResult<FieldSelector> FieldSelector::parse(std::string_view text, const ResourceType& type,
                                              std::string_view label_selector) {
  FieldSelector selector;
  if (trim(text).empty()) {
    return selector;
  }
  // The wording of the API server's list handler, which quotes the whole request.
  auto fail = [&](const std::string& why) {
    std::string gv = type.group.empty() ? "/" + std::string(type.version) : type.apiVersion();
    return badRequest("Unable to find \"" + gv + ", Resource=" + std::string(type.name) +
                      "\" that match label selector \"" + std::string(label_selector) +
                      "\", field selector \"" + std::string(text) + "\": " + why);
  };
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view part =
        trim(text.substr(start, comma == text.npos ? text.npos : comma - start));
    Requirement req;
    size_t op = part.find_first_of("=!");
    if (op == std::string_view::npos) {
      return badRequest("invalid selector: '" + std::string(text) + "'; can't understand '" +
                        std::string(part) + "'");
    }
    std::string_view label = trim(part.substr(0, op));
    std::string_view value;
    if (part.substr(op, 2) == "!=") {
      req.negated = true;
      value = part.substr(op + 2);
    } else if (part.substr(op, 2) == "==") {
      req.negated = false;
      value = part.substr(op + 2);
    } else if (part[op] == '=') {
      req.negated = false;
      value = part.substr(op + 1);
    } else {
      return badRequest("invalid selector: '" + std::string(text) + "'; can't understand '" +
                        std::string(part) + "'");
    }
    const SupportedField* field = nullptr;
    for (const SupportedField& candidate : kSupportedFields) {
      if ((candidate.resource.empty() || candidate.resource == type.name) &&
          candidate.label == label) {
        field = &candidate;
      }
    }
    if (field == nullptr) {
      return fail("field label not supported: " + std::string(label));
    }
    req.path = splitPath(field->path.empty() ? field->label : field->path);
    req.value = trim(value);
    selector.requirements_.push_back(std::move(req));
    if (comma == text.npos) {
      break;
    }
    start = comma + 1;
  }
  return selector;
}

bool FieldSelector::matches(const Object& object) const {
  for (const Requirement& req : requirements_) {
    bool equal = fieldValue(object, req.path) == req.value;
    if (equal == req.negated) {
      return false;
    }
  }
  return true;
}

}  // namespace corral::testing::k8s
