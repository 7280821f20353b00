// Run outcomes: per item, how a run did under a scoring rule: samples, correct samples, samples whose
// generation ended abnormally (truncated, ran on, degenerate repetition, no answer).
//
// Contract: load_run_outcomes() scores the run first when needed (ensure_scored; on a read-only workspace in
// memory instead, storing nothing), then aggregates stored
// scores per item. The map is keyed by workspace item id. A rule that does not apply to a benchmark of the run
// is still applied (the caller chose it); with no rule each TASK gets its default rule (TaskRuleChoice in
// workspace/run_scoring.h: the harness's way, else the harness's logged metric), as `summary` scores it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "eval/ending.h"
#include "store/workspace_db.h"

namespace caploop {

struct ItemRunOutcome {
  int64_t samples = 0;
  int64_t correct = 0;
  int64_t abnormal = 0;
  int64_t no_answer = 0;  // of the abnormal ones: the rule found no answer statement
  int64_t truncated = 0;  // the other abnormal ones, by ending (eval/ending.h)
  int64_t ran_on = 0;
  int64_t degenerate_repetition = 0;
};

// Adds one scored sample, with how it ended (eval/ending.h), to an item's counts: an ItemRunOutcome or any struct
// with the same seven counters (ItemRunFacts, workspace/diagnosis_run_facts.h).
template <class Counts>
void count_scored_sample(Counts& c, bool correct, EndingKind ending) {
  ++c.samples;
  c.correct += correct ? 1 : 0;
  c.abnormal += ending != EndingKind::kStopped ? 1 : 0;
  c.no_answer += ending == EndingKind::kNoAnswer ? 1 : 0;
  c.truncated += ending == EndingKind::kTruncated ? 1 : 0;
  c.ran_on += ending == EndingKind::kRanOn ? 1 : 0;
  c.degenerate_repetition += ending == EndingKind::kDegenerateRepetition ? 1 : 0;
}

// The rule for one task of a run: (benchmark, task) -> rule name.
using TaskRuleOf = std::function<std::string(const std::string& benchmark, const std::string& task)>;

// Per item, under `rule_of_task(benchmark, task)` for each task of the run.
std::map<int64_t, ItemRunOutcome> load_run_outcomes_with(WorkspaceDb& ws, const RunRow& run,
                                                         const TaskRuleOf& rule_of_task, unsigned threads,
                                                         Progress* progress);

std::map<int64_t, ItemRunOutcome> load_run_outcomes(WorkspaceDb& ws, const RunRow& run,
                                                    const std::optional<std::string>& rule, unsigned threads,
                                                    Progress* progress);

}  // namespace caploop
