#pragma once

// Objects as the emulator keeps them, and the small helpers every part of it uses.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace corral::testing::k8s {

// nlohmann's ordered variant keeps the member order of the recorded JSON, so answers read like a
// real server's (metadata before spec before status) and the fixtures survive a round trip.
using Object = nlohmann::ordered_json;

// The store key: "namespace/name", or "name" for cluster-scoped objects. Sorting by it gives the
// order of etcd's keys, which is the order a real LIST returns.
std::string objectKey(std::string_view ns, std::string_view name);

// The member at object[a][b]..., or nullptr when a step is missing or not an object.
const Object* findField(const Object& object, std::initializer_list<std::string_view> path);
// The string at that path, or "" when absent or not a string.
std::string stringField(const Object& object, std::initializer_list<std::string_view> path);

// 64-bit FNV-1a; stable across runs and platforms, which std::hash is not.
uint64_t hash64(std::string_view data, uint64_t seed = 0);
// A version-4-shaped UUID derived from `seed`: the same seed gives the same uid, so generated
// data is the same on every run.
std::string uidFor(std::string_view seed);

// RFC 3339 in UTC with whole seconds, as metadata timestamps are written: "2023-07-11T05:34:44Z".
std::string rfc3339(std::chrono::system_clock::time_point t);
// Parses "YYYY-MM-DDTHH:MM:SS[.frac]Z"; a malformed value gives the epoch.
std::chrono::system_clock::time_point parseRfc3339OrEpoch(const std::string& text);

// `object` serialized with kind and apiVersion in front, as a GET answers. Stored objects carry
// neither, because list items go out without them.
std::string serializeWithKind(const Object& object, std::string_view kind,
                              std::string_view api_version);

}  // namespace corral::testing::k8s
