// Loop job: the whole loop of `caploop loop CONFIG.toml` as one library call: ingest and score the runs, tag
// the corpus, and for each comparison diagnose, and when the data is ruled in map the weak slices, plan, sample
// the plan from the tagged corpus and, given an evaluation after retraining, verify the plan's hypotheses.
//
// Everything goes into config.out:
//   caploop.db (the workspace), ingested.json (what each run was ingested from), corpus/ (tag outputs),
//   <comparison>/diagnosis.json + diagnosis.md, and when data is ruled in: mapping.json, plan.json, plan.md,
//   sample/ (shards, manifests, composition.json) and, with `after`, verify.json + verify.md;
//   report.html (loop_report.h) at the top.
//
// Contract:
//  - Rerunnable: a run already ingested from the same files with the same options (fingerprint in
//    ingested.json) is not ingested again (a changed one is replaced); tagged corpus shards and drawn sample
//    shards are resumed; every output file is written atomically and depends only on the config and the
//    inputs, so a second run gives byte-identical files (caploop.db aside).
//  - The verify step tests the plan on the comparison's candidate (the model the plan retrains) against the
//    `after` run. The reference scoring rule of a comparison is its baseline run's `rule` (default: each
//    benchmark's default rule).
//  - A data_ruled_in comparison without a [corpus] or a [plan] budget_tokens stops after the mapping; a plan
//    the plan builder refuses (kConflict: no weak slice maps to data, a target no document carries) is
//    recorded as `plan_refused` with its message and the loop goes on; every other error propagates as
//    caploop::Error. A comparison that is not data_ruled_in leaves no plan files behind (stale ones from an
//    earlier configuration are removed).
//  - Never prints; `progress` (may be null) receives one line per step. Not thread-safe: one loop per out folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "corpus/corpus_stats.h"
#include "diagnose/verdict.h"
#include "loop/loop_config.h"
#include "mixture/mixture_plan.h"
#include "sampling/sample_composition.h"
#include "verify/verification.h"

namespace caploop {

struct LoopRunOutcome {
  std::string name;
  bool ingested = false;  // false: reused from the workspace
  int64_t items = 0;
  int64_t responses = 0;
};

struct LoopCorpusOutcome {
  int64_t shards_tagged = 0;
  int64_t shards_resumed = 0;
  corpus::CorpusStats stats;  // merged statistics of every shard
};

struct LoopComparisonOutcome {
  LoopComparison comparison;
  std::filesystem::path dir;
  Diagnosis diagnosis;
  std::vector<std::string> mapping_gaps;  // weak slices no rule maps (tags joined by " & ")
  std::optional<MixturePlan> plan;
  std::string plan_refused;  // why no plan although data was ruled in ("" otherwise)
  std::optional<sampling::SampleComposition> sample;
  std::optional<Verification> verification;
};

struct LoopOutcome {
  std::filesystem::path out;
  std::vector<LoopRunOutcome> runs;
  std::optional<LoopCorpusOutcome> corpus;
  std::vector<LoopComparisonOutcome> comparisons;
  std::filesystem::path report;
};

using LoopProgress = std::function<void(const std::string& step)>;

LoopOutcome run_loop(const LoopConfig& config, const LoopProgress& progress = {});

}  // namespace caploop
