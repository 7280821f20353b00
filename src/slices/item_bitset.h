// ItemBitset: a fixed-size set of item indices as 64-bit words, for the hot loops of slice enumeration and
// weak-slice mining (intersection sizes by AND + popcount, membership in O(1)). Internal to src/slices.
// A plain value; not thread-safe for concurrent writes.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace caploop {

// The number of bits set in a[k] & b[k] over k < n. Built twice on x86-64 and chosen when the program loads:
// with the POPCNT instruction where the processor has it (the baseline x86-64 target has none, and GCC then
// calls a library routine per word), else portable.
int64_t and_popcount(const uint64_t* a, const uint64_t* b, size_t n);

class ItemBitset {
 public:
  ItemBitset() = default;
  explicit ItemBitset(size_t size) : words_((size + 63) / 64, 0) {}

  void set(uint32_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  bool test(uint32_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void set_all(std::span<const uint32_t> items) {
    for (uint32_t i : items) set(i);
  }

  // |this ∩ other|; both must have the same size.
  int64_t intersection_count(const ItemBitset& other) const {
    return and_popcount(words_.data(), other.words_.data(), words_.size());
  }
  ItemBitset intersect(const ItemBitset& other) const {
    ItemBitset out;
    out.words_.resize(words_.size());
    for (size_t k = 0; k < words_.size(); ++k) out.words_[k] = words_[k] & other.words_[k];
    return out;
  }
  // The members in ascending order.
  std::vector<uint32_t> members() const {
    std::vector<uint32_t> out;
    for (size_t k = 0; k < words_.size(); ++k) {
      uint64_t word = words_[k];
      while (word != 0) {
        out.push_back(static_cast<uint32_t>(k * 64 + std::countr_zero(word)));
        word &= word - 1;
      }
    }
    return out;
  }

 private:
  std::vector<uint64_t> words_;
};

}  // namespace caploop
