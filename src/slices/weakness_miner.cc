#include "slices/weakness_miner.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"
#include "slices/item_bitset.h"
#include "slices/slice_explanation.h"
#include "stats/fisher_exact_test.h"
#include "stats/multiple_testing.h"
#include "stats/normal_distribution.h"

namespace caploop {

namespace {

// Totals of item scores over a group of items present in one run.
struct Group {
  int64_t n = 0;
  double sum = 0.0;
  double sum_squares = 0.0;

  double mean() const { return n > 0 ? sum / static_cast<double>(n) : 0.0; }
  void add(double score) {
    ++n;
    sum += score;
    sum_squares += score * score;
  }
  Group minus(const Group& o) const { return Group{n - o.n, sum - o.sum, sum_squares - o.sum_squares}; }
};

// One run prepared for the hot loops.
struct PreparedRun {
  std::vector<double> score;  // per item; meaningful where present
  std::vector<uint8_t> present;
  bool single_sample = true;
  Group total;
};

PreparedRun prepare_run(std::span<const ItemOutcome> outcomes) {
  PreparedRun run;
  run.score.resize(outcomes.size());
  run.present.resize(outcomes.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ItemOutcome& o = outcomes[i];
    if (o.samples == 0) continue;
    run.present[i] = 1;
    run.score[i] = static_cast<double>(o.correct) / static_cast<double>(o.samples);
    run.single_sample = run.single_sample && o.samples == 1;
    run.total.add(run.score[i]);
  }
  return run;
}

double sample_variance(const Group& g) {
  if (g.n < 2) return 0.0;
  const double n = static_cast<double>(g.n);
  return std::max(0.0, (g.sum_squares - g.sum * g.sum / n) / (n - 1.0));
}

// One-sided p-value of "the slice scores lower than the rest" (see the header for the choice of test).
double p_slice_lower(const Group& slice, const Group& rest, bool single_sample) {
  if (slice.n == 0 || rest.n == 0) return 1.0;
  if (single_sample) {
    TwoByTwoTable t;
    t.a = std::llround(slice.sum);
    t.b = slice.n - t.a;
    t.c = std::llround(rest.sum);
    t.d = rest.n - t.c;
    return fisher_exact_test(t, Alternative::kLess).p_value;
  }
  const double ns = static_cast<double>(slice.n);
  const double nr = static_cast<double>(rest.n);
  double se = std::sqrt(sample_variance(slice) / ns + sample_variance(rest) / nr);
  if (!(se > 0.0)) {
    Group both{slice.n + rest.n, slice.sum + rest.sum, slice.sum_squares + rest.sum_squares};
    se = std::sqrt(sample_variance(both) * (1.0 / ns + 1.0 / nr));
    if (!(se > 0.0)) return 1.0;
  }
  return normal_cdf((slice.mean() - rest.mean()) / se);
}

void validate(std::span<const ItemTags> items, std::span<const std::string> item_names,
              std::span<const std::vector<ItemOutcome>> runs) {
  if (runs.empty()) throw Error(ErrorKind::kInput, "no runs to mine", SourceLocation{"", 0, "runs"});
  if (item_names.size() != items.size()) {
    throw Error(ErrorKind::kInput,
                std::to_string(item_names.size()) + " item names for " + std::to_string(items.size()) + " items",
                SourceLocation{"", 0, "item_names"});
  }
  for (const std::vector<ItemOutcome>& run : runs) validate_outcomes(run, items.size());
}

struct Candidate {
  size_t slice = 0;
  double deficit = 0.0;  // smallest per-run deficit
  double impact = 0.0;
};

}  // namespace

MiningResult mine_weaknesses(std::span<const ItemTags> items, std::span<const std::string> item_names,
                             std::span<const std::vector<ItemOutcome>> runs, const MinerOptions& options) {
  validate(items, item_names, runs);
  MiningResult result;
  result.options = options;
  result.runs = static_cast<int64_t>(runs.size());
  const std::vector<Slice> slices = enumerate_slices(items, options.lattice);
  result.slices_enumerated = static_cast<int64_t>(slices.size());

  std::vector<PreparedRun> prepared;
  for (const std::vector<ItemOutcome>& run : runs) prepared.push_back(prepare_run(run));
  const size_t run_count = prepared.size();

  // Per slice and run: totals over the slice's present items.
  std::vector<Group> groups(slices.size() * run_count);
  for (size_t s = 0; s < slices.size(); ++s) {
    for (size_t r = 0; r < run_count; ++r) {
      Group& g = groups[s * run_count + r];
      const PreparedRun& run = prepared[r];
      for (uint32_t i : slices[s].items) {
        if (run.present[i]) g.add(run.score[i]);
      }
    }
  }

  // Step 2: each slice against its complement in every run.
  std::vector<size_t> tested;
  std::vector<double> p_values;
  std::vector<double> p_of(slices.size(), 1.0);
  std::vector<double> deficit_of(slices.size(), 0.0);
  for (size_t s = 0; s < slices.size(); ++s) {
    bool testable = true;
    double p = 0.0;
    double deficit = std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < run_count && testable; ++r) {
      const Group& g = groups[s * run_count + r];
      const Group rest = prepared[r].total.minus(g);
      testable = g.n > 0 && rest.n > 0;
      if (!testable) break;
      p = std::max(p, p_slice_lower(g, rest, prepared[r].single_sample));
      deficit = std::min(deficit, rest.mean() - g.mean());
    }
    if (!testable) continue;
    tested.push_back(s);
    p_values.push_back(p);
    p_of[s] = p;
    deficit_of[s] = deficit;
  }
  result.slices_tested = static_cast<int64_t>(tested.size());

  // Step 3: false discovery rate over every tested slice.
  const std::vector<double> q_values = options.fdr_method == FdrMethod::kBenjaminiHochberg
                                           ? benjamini_hochberg(p_values)
                                           : benjamini_yekutieli(p_values);
  std::vector<double> q_of(slices.size(), 1.0);
  std::vector<Candidate> candidates;
  for (size_t k = 0; k < tested.size(); ++k) {
    const size_t s = tested[k];
    q_of[s] = q_values[k];
    if (q_values[k] <= options.fdr && deficit_of[s] > 0.0) {
      candidates.push_back(Candidate{s, deficit_of[s], deficit_of[s] * static_cast<double>(slices[s].items.size())});
    }
  }
  result.significant = static_cast<int64_t>(candidates.size());
  // Steps 4-5 run one test per candidate (and parent): Bonferroni over the candidates keeps chance passes rare.
  const double refine_level = options.refine_alpha / static_cast<double>(std::max<size_t>(candidates.size(), 1));

  // Step 4: a combination must be worse than the rest of each parent.
  std::map<SliceKey, size_t> index_of;
  for (const Candidate& c : candidates) {
    if (slices[c.slice].key.order() < 2) continue;
    for (size_t drop = 0; drop < slices[c.slice].key.order(); ++drop) {
      SliceKey parent = slices[c.slice].key;
      parent.conditions.erase(parent.conditions.begin() + static_cast<std::ptrdiff_t>(drop));
      index_of.emplace(std::move(parent), 0);
    }
  }
  if (!index_of.empty()) {
    for (size_t s = 0; s < slices.size(); ++s) {
      auto it = index_of.find(slices[s].key);
      if (it != index_of.end()) it->second = s + 1;  // 0 stays "not enumerated"
    }
  }
  std::erase_if(candidates, [&](const Candidate& c) {
    const Slice& slice = slices[c.slice];
    for (size_t drop = 0; drop < slice.key.order() && slice.key.order() >= 2; ++drop) {
      SliceKey parent_key = slice.key;
      parent_key.conditions.erase(parent_key.conditions.begin() + static_cast<std::ptrdiff_t>(drop));
      const size_t parent = index_of.at(parent_key);
      if (parent == 0) continue;
      for (size_t r = 0; r < run_count; ++r) {
        const Group& g = groups[c.slice * run_count + r];
        const Group rest = groups[(parent - 1) * run_count + r].minus(g);
        if (rest.n == 0 || g.mean() >= rest.mean()) return true;
        if (p_slice_lower(g, rest, prepared[r].single_sample) > refine_level) return true;
      }
    }
    return false;
  });

  // Step 5: explaining-away, purest deficits first.
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.deficit != b.deficit) return a.deficit > b.deficit;
    if (a.impact != b.impact) return a.impact > b.impact;
    return names_slice_better(slices[a.slice].key, slices[b.slice].key);
  });
  std::vector<std::vector<uint32_t>> ranked_items;
  for (const Candidate& c : candidates) ranked_items.push_back(slices[c.slice].items);
  const ResidualTest residual_test = [&](std::span<const uint32_t> residual_items) {
    ResidualEffect effect;
    effect.p_value = 0.0;
    effect.effect = std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < run_count; ++r) {
      const PreparedRun& run = prepared[r];
      Group residual;
      for (uint32_t i : residual_items) {
        if (run.present[i]) residual.add(run.score[i]);
      }
      const Group rest = run.total.minus(residual);
      effect.n = std::max(effect.n, residual.n);
      const bool lower = residual.n > 0 && rest.n > 0 && residual.mean() < rest.mean();
      effect.p_value = std::max(effect.p_value, lower ? p_slice_lower(residual, rest, run.single_sample) : 1.0);
      effect.effect = std::min(effect.effect, residual.n > 0 ? rest.mean() - residual.mean() : 0.0);
      if (residual.n > 0 && rest.n > 0) {
        const double se = std::sqrt(sample_variance(residual) / static_cast<double>(residual.n) +
                                    sample_variance(rest) / static_cast<double>(rest.n));
        effect.standard_error =
            std::max(effect.standard_error, std::max(se, 0.5 / static_cast<double>(residual.n + 1)));
      }
    }
    effect.ci = Interval{effect.effect, effect.effect};
    return effect;
  };
  const SliceExplanation explanation =
      explain_minimally(ranked_items, items.size(), residual_test, options.fdr, options.fdr_method, +1);
  std::vector<size_t> reported;
  for (const Finding& f : explanation.findings) reported.push_back(candidates[f.candidate].slice);

  // Step 6: describe (with the operation decomposition of each weakness) and rank.
  const auto part_test = [&](std::span<const uint32_t> part_items) {
    PartTest t;
    t.p_value = 0.0;
    t.loss = std::numeric_limits<double>::infinity();
    double se = 0.0;
    for (size_t r = 0; r < run_count; ++r) {
      const PreparedRun& run = prepared[r];
      Group part;
      for (uint32_t i : part_items) {
        if (run.present[i]) part.add(run.score[i]);
      }
      const Group rest = run.total.minus(part);
      t.accuracy += part.mean() / static_cast<double>(run_count);
      t.loss = std::min(t.loss, part.n > 0 && rest.n > 0 ? rest.mean() - part.mean() : 0.0);
      t.p_value = std::max(t.p_value, part.n > 0 && rest.n > 0 && part.mean() < rest.mean()
                                          ? p_slice_lower(part, rest, run.single_sample)
                                          : 1.0);
      const double n = static_cast<double>(std::max<int64_t>(part.n, 1));
      const double m = part.mean();
      se = std::max(se, std::max(std::sqrt(m * (1.0 - m) / n), 0.5 / (n + 1.0)));
    }
    t.standard_error = se;
    return t;
  };
  // A weakness that is a union of operation parts with different accuracies is reported as those parts (each
  // an enumerated slice with exactly the part's items), the union listed under the part it shares most with.
  struct Reported {
    size_t slice = 0;
    WeaknessResidual residual;
    std::vector<ExplainedWeakness> explains;
    OperationDecomposition operations;
  };
  std::map<std::vector<uint32_t>, size_t> slice_of_items;  // item set -> best-named slice
  for (size_t s = 0; s < slices.size(); ++s) {
    auto [it, inserted] = slice_of_items.try_emplace(slices[s].items, s);
    if (!inserted && names_slice_better(slices[s].key, slices[it->second].key)) it->second = s;
  }
  const auto explained_of = [&](size_t x, const std::string& relation, int64_t overlap, const ResidualEffect& r,
                                double q) {
    return ExplainedWeakness{slices[x].key, relation, static_cast<int64_t>(slices[x].items.size()), overlap,
                             deficit_of[x], q_of[x],  WeaknessResidual{r.n, r.effect, r.p_value, q}};
  };
  std::vector<Reported> final_list;
  for (size_t f = 0; f < reported.size(); ++f) {
    const Finding& finding = explanation.findings[f];
    Reported whole{
        reported[f],
        WeaknessResidual{finding.residual.n, finding.residual.effect, finding.residual.p_value, finding.residual_q},
        {},
        decompose_by_operation(slices[reported[f]].items, items, part_test, options.fdr)};
    for (const ExplainedCandidate& e : finding.explains) {
      whole.explains.push_back(
          explained_of(candidates[e.candidate].slice, e.relation, e.overlap, e.residual, e.residual_q));
    }
    std::vector<size_t> part_slices;
    if (whole.operations.split) {
      for (const OperationPart& part : whole.operations.parts) {
        auto it = slice_of_items.find(part.items);
        if (part.q_value <= options.fdr && part.stats.loss > 0.0 && it != slice_of_items.end() &&
            q_of[it->second] <= options.fdr && deficit_of[it->second] > 0.0) {
          part_slices.push_back(it->second);
        }
      }
    }
    if (part_slices.size() < 2) {
      final_list.push_back(std::move(whole));
      continue;
    }
    // The parts' residuals: their items among the union's residual, tested alike (Bonferroni over candidates).
    ItemBitset covered_before(items.size());
    for (size_t g = 0; g < f; ++g) covered_before.set_all(slices[reported[g]].items);
    std::vector<Reported> parts;
    for (size_t part : part_slices) {
      std::vector<uint32_t> residual_items;
      for (uint32_t i : slices[part].items) {
        if (!covered_before.test(i)) residual_items.push_back(i);
      }
      const ResidualEffect r = residual_items.empty() ? ResidualEffect{} : residual_test(residual_items);
      const double q = std::min(1.0, r.p_value * static_cast<double>(std::max<size_t>(candidates.size(), 1)));
      Reported p{part,
                 WeaknessResidual{r.n, r.effect, r.p_value, q},
                 {},
                 decompose_by_operation(slices[part].items, items, part_test, options.fdr)};
      parts.push_back(std::move(p));
    }
    // The union and what it explained go under the part they share the most items with.
    const auto place = [&](ExplainedWeakness e, size_t x) {
      size_t best = 0;
      int64_t best_overlap = -1;
      for (size_t k = 0; k < parts.size(); ++k) {
        int64_t overlap = 0;
        const std::vector<uint32_t>& a = slices[x].items;
        const std::vector<uint32_t>& b = slices[parts[k].slice].items;
        for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
          if (a[i] == b[j]) {
            ++overlap, ++i, ++j;
          } else if (a[i] < b[j]) {
            ++i;
          } else {
            ++j;
          }
        }
        if (overlap > best_overlap) best_overlap = overlap, best = k;
      }
      const size_t part_n = slices[parts[best].slice].items.size();
      e.overlap = best_overlap;
      e.relation = static_cast<size_t>(best_overlap) == part_n
                       ? (slices[x].items.size() == part_n ? "alias" : "ancestor")
                       : (static_cast<size_t>(best_overlap) == slices[x].items.size() ? "descendant" : "overlap");
      if (x != parts[best].slice) parts[best].explains.push_back(std::move(e));
    };
    place(explained_of(whole.slice, "ancestor", 0, ResidualEffect{}, 1.0), whole.slice);
    for (size_t e = 0; e < whole.explains.size(); ++e) {
      place(whole.explains[e], candidates[finding.explains[e].candidate].slice);
    }
    for (Reported& p : parts) final_list.push_back(std::move(p));
  }

  for (Reported& rep : final_list) {
    const size_t s = rep.slice;
    const Slice& slice = slices[s];
    Weakness w;
    w.key = slice.key;
    w.residual = rep.residual;
    w.explains = std::move(rep.explains);
    w.operations = std::move(rep.operations);
    w.p_value = p_of[s];
    w.q_value = q_of[s];
    w.deficit = deficit_of[s];
    double lower = 1.0, upper = 0.0;
    for (size_t r = 0; r < run_count; ++r) {
      const Group& g = groups[s * run_count + r];
      const Group rest = prepared[r].total.minus(g);
      const SliceRunStats st = item_set_stats(slice.items, runs[r], {}, options.stats);
      RunWeakness rw;
      rw.n = g.n;
      rw.accuracy = g.mean();
      rw.ci = st.ci;
      rw.complement_accuracy = rest.mean();
      rw.deficit = rest.mean() - g.mean();
      rw.p_value = p_slice_lower(g, rest, prepared[r].single_sample);
      w.accuracy += rw.accuracy / static_cast<double>(run_count);
      w.complement_accuracy += rw.complement_accuracy / static_cast<double>(run_count);
      lower = std::min(lower, rw.ci.lower);
      upper = std::max(upper, rw.ci.upper);
      w.runs.push_back(rw);
    }
    w.ci = Interval{lower, upper};
    for (uint32_t i : slice.items) {
      bool in_some_run = false;
      for (size_t r = 0; r < run_count && !in_some_run; ++r) in_some_run = prepared[r].present[i] != 0;
      if (!in_some_run) continue;
      w.items.push_back(item_names[i]);
      w.item_indices.push_back(i);
    }
    w.n = static_cast<int64_t>(w.items.size());
    w.impact = static_cast<double>(w.n) * w.deficit;
    result.weaknesses.push_back(std::move(w));
  }
  std::sort(result.weaknesses.begin(), result.weaknesses.end(), [](const Weakness& a, const Weakness& b) {
    if (a.impact != b.impact) return a.impact > b.impact;
    return a.key < b.key;
  });
  return result;
}

}  // namespace caploop
