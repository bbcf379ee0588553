#pragma once

// Strict reading of YAML configuration files. Every getter leaves the caller's default in place
// when the key is absent; a key of the wrong type or out of range, and any key nobody asked for,
// becomes an error that names the file, the full key path and what was expected. Not thread-safe:
// configuration is read once at start.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace corral {

class ConfigSection;

class ConfigFile {
 public:
  // Reads and parses `path`. A missing file or a YAML syntax error is an error naming the file.
  static Result<ConfigFile> load(const std::string& path);
  // Parses `text`; `name` stands for the file in messages.
  static Result<ConfigFile> parse(const std::string& text, const std::string& name);

  ConfigSection root();
  // The first problem found by any getter, or an unknown key. Call after reading every key.
  Status finish();

  struct State;

 private:
  explicit ConfigFile(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

class ConfigSection {
 public:
  void get(const std::string& key, std::string& out);
  void get(const std::string& key, bool& out);
  void get(const std::string& key, int64_t& out, int64_t min, int64_t max);
  void get(const std::string& key, int& out, int min, int max);
  // Accepts a number of seconds or a string with a unit: "250ms", "30s", "5m", "24h".
  void getDuration(const std::string& key, std::chrono::milliseconds& out,
                   std::chrono::milliseconds min, std::chrono::milliseconds max);
  void get(const std::string& key, std::vector<std::string>& out);
  void get(const std::string& key, std::map<std::string, std::string>& out);
  // One of `allowed`.
  void getEnum(const std::string& key, std::string& out, const std::vector<std::string>& allowed);
  ConfigSection section(const std::string& key);

 private:
  friend class ConfigFile;
  ConfigSection(std::shared_ptr<ConfigFile::State> state, std::string path, size_t node);
  std::shared_ptr<ConfigFile::State> state_;
  std::string path_;
  size_t node_;  // index into the state's node table; hides yaml-cpp from this header
};

// Parses "250ms", "30s", "5m", "24h" or a bare number of seconds.
Result<std::chrono::milliseconds> parseDuration(const std::string& text);

}  // namespace corral
