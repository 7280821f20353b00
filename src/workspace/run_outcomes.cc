#include "core/fnv1a.h"
#include "workspace/run_outcomes.h"

#include <set>

#include "eval/ending.h"
#include "store/response_evidence.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "workspace/run_scoring.h"

namespace caploop {

std::map<int64_t, ItemRunOutcome> load_run_outcomes(WorkspaceDb& ws, const RunRow& run,
                                                    const std::optional<std::string>& rule, unsigned threads,
                                                    Progress* progress) {
  const TaskRuleChoice choice(ws, run, rule);
  return load_run_outcomes_with(
      ws, run, [&](const std::string& b, const std::string& t) { return choice.rule(b, t); }, threads, progress);
}

std::map<int64_t, ItemRunOutcome> load_run_outcomes_with(WorkspaceDb& ws, const RunRow& run,
                                                         const TaskRuleOf& rule_of_task, unsigned threads,
                                                         Progress* progress) {
  // Tasks grouped by (benchmark, rule): each group is scored (when needed) and read once.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> groups;
  for (const auto& [b, t] : tasks_of_run(ws, run.id)) groups[{b, rule_of_task(b, t)}].insert(t);
  std::map<int64_t, ItemRunOutcome> out;
  for (const auto& [key, tasks] : groups) {
    const auto& [b, r] = key;
    ensure_scored(ws, run, r, threads, progress, b);
    for (const ScoredSample& s : read_scored_samples(ws, run.id, r, b)) {
      if (!tasks.count(s.task)) continue;
      ItemRunOutcome& o = out[s.item_id];
      ++o.samples;
      o.correct += s.correct ? 1 : 0;
      o.abnormal += s.ending != ending_name(EndingKind::kStopped) ? 1 : 0;
      o.no_answer += s.ending == ending_name(EndingKind::kNoAnswer) ? 1 : 0;
      o.truncated += s.ending == ending_name(EndingKind::kTruncated) ? 1 : 0;
      o.ran_on += s.ending == ending_name(EndingKind::kRanOn) ? 1 : 0;
      o.degenerate_repetition += s.ending == ending_name(EndingKind::kDegenerateRepetition) ? 1 : 0;
    }
  }
  return out;
}

std::map<int64_t, uint64_t> prompt_hashes(WorkspaceDb& ws, int64_t run_id) {
  Statement st(ws.db(), "SELECT item_id, prompt FROM run_items WHERE run_id = ?");
  st.bind(1, run_id);
  std::map<int64_t, uint64_t> out;
  while (st.step()) {
    out[st.int64(0)] = fnv1a64(st.text(1));
  }
  return out;
}

}  // namespace caploop
