#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include "common/config_file.h"

namespace corral {

struct ConfigFile::State {
  std::string file;
  std::vector<YAML::Node> nodes;
  // Keys read per section path, to find the ones nobody asked for.
  std::map<std::string, std::set<std::string>> seen;
  std::vector<std::string> errors;
};

namespace {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

const char* typeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

}  // namespace

Result<ConfigFile> ConfigFile::parse(const std::string& text, const std::string& name) {
  auto state = std::make_shared<State>();
  state->file = name;
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) {
      root = YAML::Node(YAML::NodeType::Map);
    }
    if (!root.IsMap()) {
      return invalidArgument(name + ": expected a map of settings at the top level, got " +
                             typeName(root));
    }
    state->nodes.push_back(root);
  } catch (const YAML::Exception& e) {
    return invalidArgument(name + ": not valid YAML: " + e.what());
  }
  return ConfigFile(std::move(state));
}

Result<ConfigFile> ConfigFile::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return invalidArgument(path + ": cannot open the configuration file");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path);
}

ConfigSection ConfigFile::root() { return {state_, "", 0}; }

Status ConfigFile::finish() {
  auto& s = *state_;
  // Walk every map that a section was opened for and report keys that no getter asked for.
  std::vector<std::string> unknown;
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& node,
                                                                        const std::string& path) {
    auto it = s.seen.find(path);
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      auto full = join(path, key);
      if (it == s.seen.end() || it->second.count(key) == 0) {
        unknown.push_back(full);
      } else if (kv.second.IsMap() && s.seen.count(full) > 0) {
        walk(kv.second, full);
      }
    }
  };
  walk(s.nodes[0], "");
  if (!s.errors.empty()) {
    return invalidArgument(s.file + ": " + s.errors.front());
  }
  if (!unknown.empty()) {
    return invalidArgument(s.file + ": unknown key '" + unknown.front() +
                           "' (see docs/configuration.md for the keys this version reads)");
  }
  return Status::ok();
}

ConfigSection::ConfigSection(std::shared_ptr<ConfigFile::State> state, std::string path,
                             size_t node)
    : state_(std::move(state)), path_(std::move(path)), node_(node) {
  state_->seen[path_];
}

namespace {

// Returns the scalar at `key`, or nullopt when absent; records an error for a non-scalar.
std::optional<YAML::Node> scalarAt(ConfigFile::State& s, const YAML::Node& map,
                                   const std::string& path, const std::string& key,
                                   const char* expected) {
  s.seen[path].insert(key);
  YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) {
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    s.errors.push_back("key '" + join(path, key) + "': expected " + expected + ", got " +
                       typeName(value));
    return std::nullopt;
  }
  return value;
}

}  // namespace

void ConfigSection::get(const std::string& key, std::string& out) {
  auto v = scalarAt(*state_, state_->nodes[node_], path_, key, "a string");
  if (v) {
    out = v->Scalar();
  }
}

void ConfigSection::get(const std::string& key, bool& out) {
  auto v = scalarAt(*state_, state_->nodes[node_], path_, key, "true or false");
  if (!v) {
    return;
  }
  bool parsed = false;
  if (!YAML::convert<bool>::decode(*v, parsed)) {
    state_->errors.push_back("key '" + join(path_, key) + "': expected true or false, got '" +
                             v->Scalar() + "'");
    return;
  }
  out = parsed;
}

void ConfigSection::get(const std::string& key, int64_t& out, int64_t min, int64_t max) {
  auto v = scalarAt(*state_, state_->nodes[node_], path_, key, "an integer");
  if (!v) {
    return;
  }
  const std::string& text = v->Scalar();
  size_t used = 0;
  int64_t parsed = 0;
  try {
    parsed = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    state_->errors.push_back("key '" + join(path_, key) + "': expected an integer, got '" + text +
                             "'");
    return;
  }
  if (parsed < min || parsed > max) {
    state_->errors.push_back("key '" + join(path_, key) + "': expected an integer from " +
                             std::to_string(min) + " to " + std::to_string(max) + ", got " + text);
    return;
  }
  out = parsed;
}

void ConfigSection::get(const std::string& key, int& out, int min, int max) {
  int64_t wide = out;
  get(key, wide, min, max);
  out = static_cast<int>(wide);
}

void ConfigSection::getDuration(const std::string& key, std::chrono::milliseconds& out,
                                std::chrono::milliseconds min, std::chrono::milliseconds max) {
  auto v = scalarAt(*state_, state_->nodes[node_], path_, key, "a duration such as 30s");
  if (!v) {
    return;
  }
  auto parsed = parseDuration(v->Scalar());
  if (!parsed.isOk()) {
    state_->errors.push_back("key '" + join(path_, key) + "': " + parsed.status().message());
    return;
  }
  if (*parsed < min || *parsed > max) {
    state_->errors.push_back("key '" + join(path_, key) + "': expected a duration from " +
                             std::to_string(min.count()) + "ms to " + std::to_string(max.count()) +
                             "ms, got " + v->Scalar());
    return;
  }
  out = *parsed;
}

void ConfigSection::get(const std::string& key, std::vector<std::string>& out) {
  state_->seen[path_].insert(key);
  YAML::Node value = state_->nodes[node_][key];
  if (!value.IsDefined() || value.IsNull()) {
    return;
  }
  if (!value.IsSequence()) {
    state_->errors.push_back("key '" + join(path_, key) + "': expected a list of strings, got " +
                             typeName(value));
    return;
  }
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      state_->errors.push_back("key '" + join(path_, key) + "': expected a list of strings");
      return;
    }
    items.push_back(item.Scalar());
  }
  out = std::move(items);
}

void ConfigSection::get(const std::string& key, std::map<std::string, std::string>& out) {
  state_->seen[path_].insert(key);
  YAML::Node value = state_->nodes[node_][key];
  if (!value.IsDefined() || value.IsNull()) {
    return;
  }
  if (!value.IsMap()) {
    state_->errors.push_back("key '" + join(path_, key) +
                             "': expected a map of strings to strings, got " + typeName(value));
    return;
  }
  std::map<std::string, std::string> items;
  for (const auto& kv : value) {
    if (!kv.second.IsScalar()) {
      state_->errors.push_back("key '" + join(path_, key) + "." + kv.first.Scalar() +
                               "': expected a string");
      return;
    }
    items[kv.first.Scalar()] = kv.second.Scalar();
  }
  out = std::move(items);
}

void ConfigSection::getEnum(const std::string& key, std::string& out,
                            const std::vector<std::string>& allowed) {
  std::string value = out;
  get(key, value);
  for (const auto& a : allowed) {
    if (a == value) {
      out = value;
      return;
    }
  }
  std::string list;
  for (const auto& a : allowed) {
    list += (list.empty() ? "" : ", ") + a;
  }
  state_->errors.push_back("key '" + join(path_, key) + "': expected one of " + list + ", got '" +
                           value + "'");
}

ConfigSection ConfigSection::section(const std::string& key) {
  state_->seen[path_].insert(key);
  YAML::Node value = state_->nodes[node_][key];
  std::string full = join(path_, key);
  if (!value.IsDefined() || value.IsNull()) {
    value = YAML::Node(YAML::NodeType::Map);
  } else if (!value.IsMap()) {
    state_->errors.push_back("key '" + full + "': expected a map, got " + typeName(value));
    value = YAML::Node(YAML::NodeType::Map);
  }
  state_->nodes.push_back(value);
  return {state_, full, state_->nodes.size() - 1};
}

Result<std::chrono::milliseconds> parseDuration(const std::string& text) {
  size_t used = 0;
  double number = 0;
  try {
    number = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  // "nan" and "inf" parse as numbers; neither is a duration.
  if (used == 0 || !std::isfinite(number) || number < 0) {
    return invalidArgument("expected a duration such as 250ms, 30s, 5m or 24h, got '" + text + "'");
  }
  std::string unit = text.substr(used);
  double factor = 0;
  if (unit.empty() || unit == "s") {
    factor = 1000;
  } else if (unit == "ms") {
    factor = 1;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else {
    return invalidArgument("expected a duration unit of ms, s, m or h, got '" + text + "'");
  }
  double millis = number * factor;
  // Converting a double beyond the range of int64_t is undefined behaviour.
  if (millis >= static_cast<double>(std::numeric_limits<int64_t>::max())) {
    return invalidArgument("duration '" + text + "' is too long");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(millis));
}

}  // namespace corral
