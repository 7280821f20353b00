#include "workspace/run_outcomes.h"

#include <set>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "store/response_evidence.h"
#include "store/score_table.h"
#include "workspace/run_scoring.h"

namespace caploop {

std::map<int64_t, ItemRunOutcome> load_run_outcomes(WorkspaceDb& ws, const RunRow& run,
                                                    const std::optional<std::string>& rule, unsigned threads,
                                                    Progress* progress) {
  const TaskRuleChoice choice(ws, run, rule);
  return load_run_outcomes_with(
      ws, run, [&](const std::string& b, const std::string& t) { return choice.rule(b, t); }, threads, progress);
}

namespace {

// The run's tasks grouped by (benchmark, rule): each group is read (or scored) at once.
std::map<std::pair<std::string, std::string>, std::set<std::string>> task_groups(WorkspaceDb& ws, const RunRow& run,
                                                                                 const TaskRuleOf& rule_of_task) {
  std::map<std::pair<std::string, std::string>, std::set<std::string>> groups;
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) groups[{b, rule_of_task(b, t)}].insert(t);
  return groups;
}

bool stored_is_current(WorkspaceDb& ws, const RunRow& run, const ScoringRule& rule, const std::string& benchmark) {
  auto v = stored_rule_version(ws, run.id, rule.name(), benchmark);
  return v && *v == rule.version();
}

}  // namespace

std::map<int64_t, ItemRunOutcome> load_run_outcomes_with(WorkspaceDb& ws, const RunRow& run,
                                                         const TaskRuleOf& rule_of_task, unsigned threads,
                                                         Progress* progress) {
  std::map<int64_t, ItemRunOutcome> out;
  for (const auto& [key, tasks] : task_groups(ws, run, rule_of_task)) {
    const auto& [b, r] = key;
    const ScoringRule& rule = rule_or_throw(r);
    if (!stored_is_current(ws, run, rule, b) && ws.read_only()) {
      // A read command scores in memory what the workspace does not hold (it cannot store it anyway).
      TaskRules rules;
      for (const auto& t : tasks) rules[{b, t}] = &rule;
      score_responses(ws, run, rules, threads, /*with_endings=*/true, progress,
                      [&](const ResponseRow& row, const Score& score, const Ending& ending) {
                        count_scored_sample(out[row.item_id], score.correct, ending.kind);
                      });
      continue;
    }
    ensure_scored(ws, run, r, threads, progress, b);
    for_each_score_set(ws, run.id, r, b, std::nullopt,
                       [&](std::string_view task, int, std::vector<SampleScore>& samples) {
                         if (!tasks.count(std::string(task))) return;
                         for (const SampleScore& s : samples) count_scored_sample(out[s.item_id], s.correct, s.ending);
                       });
  }
  return out;
}

}  // namespace caploop
