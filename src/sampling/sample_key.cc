#include "sampling/sample_key.h"

#include "core/fnv1a.h"

namespace caploop::sampling {

uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

StreamKeyer::StreamKeyer(uint64_t seed, std::string_view stream) {
  char seed_bytes[8];
  for (int i = 0; i < 8; ++i) seed_bytes[i] = static_cast<char>((seed >> (8 * i)) & 0xff);
  uint64_t h = fnv1a64(std::string_view(seed_bytes, 8));
  h = fnv1a64(stream, h);
  prefix_hash_ = fnv1a64(std::string_view("\0", 1), h);
}

uint64_t StreamKeyer::key(std::string_view document_id) const { return mix64(fnv1a64(document_id, prefix_hash_)); }

uint64_t sample_key(uint64_t seed, std::string_view stream, std::string_view document_id) {
  return StreamKeyer(seed, stream).key(document_id);
}

}  // namespace caploop::sampling
