// Token draw: drawing documents of one stream in one shard without replacement up to a token quota.
//
// Contract: draw_to_quota() orders the candidates by (key, line) — the keys come from sample_key.h, so the
// order is a seeded random permutation — and walks them in that order, taking a document when the running total
// plus half of its tokens stays within the quota (taken + tokens/2 <= quota: nearest rounding, so the misses of
// many shards cancel rather than add up) and passing over one that would overshoot by more than it
// undershoots; it stops once the total reaches the quota. A document is passed over only near the end of the
// draw, when the quota left is less than half of it, so the draw stays a uniform random sample of documents
// except for that last step, and the miss is at most half of the smallest document passed over (or of the
// last one taken). Nothing is taken when the quota is 0. Returns which candidates are taken (flags parallel to
// the now sorted candidates), how many and their tokens. Pure; candidates are reordered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace caploop::sampling {

struct Candidate {
  uint64_t key = 0;
  uint32_t line = 0;    // 1-based line of the document in its shard
  uint32_t tokens = 0;  // estimated tokens of the document's text
};

struct DrawResult {
  std::vector<char> taken_flags;  // parallel to the sorted candidates
  size_t taken = 0;
  int64_t tokens = 0;
};

DrawResult draw_to_quota(std::vector<Candidate>& candidates, int64_t quota);

}  // namespace caploop::sampling
