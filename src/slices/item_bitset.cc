#include "slices/item_bitset.h"

namespace caploop {

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("popcnt", "default")))
#endif
int64_t
and_popcount(const uint64_t* a, const uint64_t* b, size_t n) {
  int64_t count = 0;
  for (size_t k = 0; k < n; ++k) count += std::popcount(a[k] & b[k]);
  return count;
}

}  // namespace caploop
