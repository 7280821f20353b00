#include "sampling/token_draw.h"

#include <algorithm>

namespace caploop::sampling {

DrawResult draw_to_quota(std::vector<Candidate>& candidates, int64_t quota) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.key != b.key ? a.key < b.key : a.line < b.line; });
  DrawResult r;
  r.taken_flags.assign(candidates.size(), 0);
  for (size_t i = 0; i < candidates.size() && r.tokens < quota; ++i) {
    const int64_t t = candidates[i].tokens;
    if (2 * r.tokens + t > 2 * quota) continue;
    r.tokens += t;
    r.taken_flags[i] = 1;
    ++r.taken;
  }
  return r;
}

}  // namespace caploop::sampling
