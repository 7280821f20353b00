// FNV-1a 64: a small, stable, non-cryptographic hash for identities that must not depend on the standard
// library or the platform (prompt identities, taxonomy fingerprints, line and n-gram fingerprints).
//
// Contract: fnv1a64(s) is the standard FNV-1a 64-bit hash of the bytes of s; passing a previous result as
// `h` continues hashing (fnv1a64(b, fnv1a64(a)) == fnv1a64(a + b)). Pure, constexpr, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace caploop {

inline constexpr uint64_t kFnv1aOffset = 14695981039346656037ull;
inline constexpr uint64_t kFnv1aPrime = 1099511628211ull;

constexpr uint64_t fnv1a64(std::string_view s, uint64_t h = kFnv1aOffset) {
  for (unsigned char c : s) h = (h ^ c) * kFnv1aPrime;
  return h;
}

}  // namespace caploop
