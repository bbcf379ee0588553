#pragma once

// 64-bit FNV-1a over bytes: stable across runs, builds and machines, unlike std::hash, so the
// continue tokens and ETags derived from it stay valid across a restart of the master.

#include <cstdint>
#include <string_view>

namespace corral::master {

inline constexpr uint64_t kFingerprintSeed = 0xcbf29ce484222325ULL;

inline uint64_t fingerprint64(std::string_view data, uint64_t seed = kFingerprintSeed) {
  uint64_t h = seed;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace corral::master
