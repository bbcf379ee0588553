#include "tests/k8s_emulator/object_util.h"

#include <cstdio>
#include <ctime>

namespace corral::testing::k8s {

std::string objectKey(std::string_view ns, std::string_view name) {
  if (ns.empty()) {
    return std::string(name);
  }
  std::string key;
  key.reserve(ns.size() + name.size() + 1);
  key.append(ns).append("/").append(name);
  return key;
}

const Object* findField(const Object& object, std::initializer_list<std::string_view> path) {
  const Object* at = &object;
  for (std::string_view step : path) {
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(std::string(step));
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
  }
  return at;
}

std::string stringField(const Object& object, std::initializer_list<std::string_view> path) {
  const Object* value = findField(object, path);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

uint64_t hash64(std::string_view data, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ (seed * 0x9e3779b97f4a7c15ULL);
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // FNV's low bits mix poorly; a final avalanche spreads every input bit over the output.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::string uidFor(std::string_view seed) {
  uint64_t hi = hash64(seed, 1);
  uint64_t lo = hash64(seed, 2);
  char out[37];
  std::snprintf(out, sizeof out, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xfff),
                static_cast<unsigned>(0x8000 | ((lo >> 48) & 0x3fff)),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return out;
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::chrono::system_clock::time_point parseRfc3339OrEpoch(const std::string& text) {
  std::tm tm{};
  int year = 0;
  int month = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return {};
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string serializeWithKind(const Object& object, std::string_view kind,
                              std::string_view api_version) {
  std::string body = object.dump();
  std::string head =
      R"({"kind":")" + std::string(kind) + R"(","apiVersion":")" + std::string(api_version) + "\"";
  if (body.size() > 2) {
    head += ",";
  }
  return head + body.substr(1);
}

}  // namespace corral::testing::k8s
