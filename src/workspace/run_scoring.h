// Scoring a stored run: apply a scoring rule to every response, classify how each generation ended, and
// store the results per response and rule.
//
// Contract: score_run() reads the run's raw responses in batches (bounded memory), scores each batch on
// `threads` threads (rules and the ending classifier are pure), and writes the batch's results in one
// transaction per run and rule: either all of a run's scores for a rule are replaced, or none are. With no
// rule given, each TASK of the run gets its default rule (TaskRuleChoice): the harness's way when caploop
// knows the harness's task (eval/rule_registry.h), else the harness's own logged metric ("harness:<metric>"),
// else "exact". Task patterns ("math/*=math-minerva", "bbh=bbh-first") override the default for the tasks they
// match (the last matching pattern wins). Unknown rules throw kNotFound before anything is written. Results
// are identical whatever the thread count.
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
#include "eval/scoring_rule.h"
#include "store/response_reader.h"
#include "store/workspace_db.h"

namespace caploop {

struct RuleApplication {
  std::string benchmark;
  std::string task;  // "" when the rule was applied to the whole benchmark
  std::string rule;
  int rule_version = 0;
  int64_t responses = 0;
  int64_t correct = 0;
};

struct ScoringReport {
  std::string run;
  std::vector<RuleApplication> applied;  // one per task (sorted by benchmark, task)
};

// "PATTERN=RULE" choices: PATTERN is "benchmark" or "benchmark/task" where either part may use * and ?.
struct TaskRule {
  std::string pattern;
  std::string rule;
};
// Parses "PATTERN=RULE"; throws Error(kUsage) for a malformed choice.
TaskRule parse_task_rule(std::string_view text);
bool task_rule_matches(const TaskRule& choice, std::string_view benchmark, std::string_view task);

// The harness's own name of each task ("benchmark/task" -> name), from a run's extra_json "harness_tasks".
std::map<std::string, std::string> harness_task_names(const std::string& extra_json);
// The default rule caploop knows for a task from its benchmark and the harness's name of it
// (eval/rule_registry.h), "" when it knows none (then the default depends on the metrics the run logged).
std::string_view known_default_rule(const std::map<std::string, std::string>& harness_tasks,
                                    const std::string& benchmark, const std::string& task);

// The rule each task of one run gets: the overrides, else `rule`, else the task's default (see above). Reads
// what it needs from the workspace once, at construction.
class TaskRuleChoice {
 public:
  TaskRuleChoice(WorkspaceDb& ws, const RunRow& run, std::optional<std::string> rule = std::nullopt,
                 std::vector<TaskRule> overrides = {});
  std::string default_rule(const std::string& benchmark, const std::string& task) const;
  std::string rule(const std::string& benchmark, const std::string& task) const;

 private:
  std::optional<std::string> rule_;
  std::vector<TaskRule> overrides_;
  std::map<std::string, std::string> harness_tasks_;                         // "benchmark/task" -> harness task name
  std::map<std::pair<std::string, std::string>, std::string> first_metric_;  // the first metric logged per task
};

// The rule of each (benchmark, task) to score; tasks not in the map are skipped.
using TaskRules = std::map<std::pair<std::string, std::string>, const ScoringRule*>;
// Called per scored response, in response id order, on the calling thread.
using ScoredResponseSink = std::function<void(const ResponseRow& row, const Score& score, const Ending& ending)>;
// Scores the run's responses of the tasks in `rules` without storing anything (score_run stores through it).
// `with_endings` false leaves each Ending default-constructed (classifying endings is the costly part).
void score_responses(WorkspaceDb& ws, const RunRow& run, const TaskRules& rules, unsigned threads, bool with_endings,
                     Progress* progress, const ScoredResponseSink& on_scored);
// The same under several rule sets in one pass over the texts: `on_scored(row, k, ...)` for rule set k, all of
// a batch's scores under set 0 first, then under set 1, ...
using ScoredResponseUnderSink =
    std::function<void(const ResponseRow& row, size_t rule_set, const Score& score, const Ending& ending)>;
void score_responses_under(WorkspaceDb& ws, const RunRow& run, const std::vector<const TaskRules*>& rule_sets,
                           unsigned threads, bool with_endings, Progress* progress,
                           const ScoredResponseUnderSink& on_scored);

// Scores and stores the responses of the tasks in `rules` (each replacing its stored scores under its rule).
ScoringReport score_tasks(WorkspaceDb& ws, const RunRow& run, const TaskRules& rules, unsigned threads,
                          Progress* progress);

// Scores with task patterns: `rule` (if any) for the whole run, then `overrides` by task.
ScoringReport score_run_by_task(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule,
                                const std::vector<TaskRule>& overrides, unsigned threads, Progress* progress);

// `only_benchmark` restricts scoring to that benchmark's responses.
ScoringReport score_run(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                        Progress* progress, const std::optional<std::string>& only_benchmark = std::nullopt);

// Scores the run with `rule` (or the default rules) unless every benchmark already has stored scores from the
// current version of its rule. Returns whether it scored.
bool ensure_scored(WorkspaceDb& ws, const RunRow& run, const std::optional<std::string>& rule, unsigned threads,
                   Progress* progress, const std::optional<std::string>& only_benchmark = std::nullopt);

}  // namespace caploop
