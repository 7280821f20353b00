// Plan builder: turns weak slices, mapping rules and corpus statistics into a MixturePlan (see
// mixture/mixture_plan.h for what a plan holds and docs/plan.md for the algorithm).
//
// Steps: map the weak slices to data categories; one target stream per category ("target:<category>") with
// demand = sum over its links of weight x n x severity; one base stream per tag of the base axis; quotas by
// allocate_quotas (mixture/quota_allocation.h); per-shard available tokens of every stream; hypotheses
// (mixture/plan_hypotheses.h); notes on every decision a reader should know.
//
// Contract: build_plan() is a pure, deterministic function of its arguments (same inputs, same plan, same
// bytes). It refuses, with caploop::Error, whatever it cannot plan honestly:
//   kUsage    an option out of range (validate_plan_options), or a base axis that does not give every
//             document exactly one tag;
//   kConflict a diagnosis whose verdict is not data_ruled_in (message names verdict and cause), no weak slice
//             at all, no weak slice that maps to data (message lists the gaps), a target stream that no document
//             of the corpus belongs to (names rule and tags), statistics of a taxonomy other than the one given;
//   kInput    a rule's target tag the data taxonomy does not declare (names the rule, its line and the tag),
//             a budget the corpus cannot fill within max_epochs (names the figures).
// make_plan() reads the files of a PlanRequest (errors name them) and calls build_plan().
#pragma once

#include <string>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "mapping/mapping_rules.h"
#include "mapping/weak_slice.h"
#include "mixture/corpus_shards.h"
#include "mixture/mixture_plan.h"

namespace caploop {

// Throws kUsage naming the option when a value is out of range: budget_tokens > 0, max_epochs > 0,
// 0 < max_category_share <= 1, 0 <= min_base_share <= 1, base_axis not empty, 0 < alpha < 1,
// 0.5 <= power < 1, 0 <= guard_margin < 1.
void validate_plan_options(const PlanOptions& options);

// `data_taxonomy` checks the rules' target tags and the base axis by name; when null (statistics of a taxonomy
// the caller could not load) only the statistics are consulted.
MixturePlan build_plan(const WeakSliceList& weaknesses, const MappingRules& rules, const CorpusShards& corpus,
                       const corpus::DataTaxonomy* data_taxonomy, const PlanOptions& options);

struct PlanRequest {
  std::string weakness_file;            // a diagnosis or a weakness list (JSON)
  std::vector<std::string> stats_dirs;  // tag output folders (or *.stats.json files)
  std::string mapping_file;             // "" = the built-in rules
  std::string taxonomy_file;            // "" = the built-in data taxonomy, used when the statistics match it
  PlanOptions options;
};

MixturePlan make_plan(const PlanRequest& request);

}  // namespace caploop
