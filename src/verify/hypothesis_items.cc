#include "verify/hypothesis_items.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"

namespace caploop {
namespace {

const PairedOutcome* find_paired(std::span<const PairedOutcome> paired, const std::string& key) {
  auto it = std::lower_bound(paired.begin(), paired.end(), key,
                             [](const PairedOutcome& p, const std::string& k) { return p.key < k; });
  return it != paired.end() && it->key == key ? &*it : nullptr;
}

SourceLocation field_of(const std::string& plan_file, size_t index, const char* field) {
  return SourceLocation{plan_file, 0, fmt::format("/hypotheses/{}/{}", index, field)};
}

}  // namespace

bool is_rest_guard(const PlanHypothesis& h) {
  return h.kind == "guard" && h.items.empty() &&
         std::find(h.slice_tags.begin(), h.slice_tags.end(), "rest") != h.slice_tags.end();
}

std::vector<HypothesisItems> resolve_hypothesis_items(const MixturePlan& plan, const std::string& plan_file,
                                                      std::span<const PairedOutcome> paired) {
  std::vector<HypothesisItems> out(plan.hypotheses.size());
  std::set<std::string> target_keys;
  int64_t target_planned = 0;
  int64_t target_found = 0;
  for (size_t i = 0; i < plan.hypotheses.size(); ++i) {
    const PlanHypothesis& h = plan.hypotheses[i];
    if (h.kind != "target" && h.kind != "guard") {
      throw Error(ErrorKind::kInput,
                  fmt::format("hypothesis {} has kind \"{}\"; expected \"target\" or \"guard\"", h.id, h.kind),
                  field_of(plan_file, i, "kind"));
    }
    if (is_rest_guard(h)) {
      out[i].rest = true;
      continue;
    }
    if (h.items.empty()) {
      throw Error(ErrorKind::kInput,
                  fmt::format("hypothesis {} lists no items and is not the \"rest\" guard: nothing to test", h.id),
                  field_of(plan_file, i, "items"));
    }
    const std::set<std::string> keys(h.items.begin(), h.items.end());
    for (const std::string& key : keys) {
      if (const PairedOutcome* p = find_paired(paired, key)) {
        out[i].items.push_back(*p);
      } else {
        ++out[i].missing;
      }
    }
    if (h.kind == "target") {
      target_keys.insert(keys.begin(), keys.end());
      target_planned += static_cast<int64_t>(keys.size());
      target_found += static_cast<int64_t>(out[i].items.size());
    }
  }
  if (target_planned > 0 && target_found == 0) {
    throw Error(ErrorKind::kConflict,
                fmt::format("none of the plan's {} target items is in both runs: the plan was made for other items "
                            "than these runs evaluated (keys look like \"{}\"{})",
                            target_planned, *target_keys.begin(),
                            paired.empty() ? ", and the runs share no items"
                                           : fmt::format(", the runs' like \"{}\"", paired.front().key)),
                SourceLocation{plan_file, 0, "/hypotheses"});
  }
  for (size_t i = 0; i < plan.hypotheses.size(); ++i) {
    if (!out[i].rest) continue;
    for (const PairedOutcome& p : paired) {
      if (!target_keys.count(p.key)) out[i].items.push_back(p);
    }
  }
  return out;
}

}  // namespace caploop
