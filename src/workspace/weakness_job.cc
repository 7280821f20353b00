#include "workspace/weakness_job.h"

#include <map>
#include <set>

#include "core/error.h"
#include "workspace/item_tagging.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_scoring.h"

namespace caploop {

namespace {

struct TaskScoring {
  std::string rule;
  int64_t items = 0;
  std::vector<int64_t> samples, correct, no_answer;  // per run
};

double share(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

MiningResult find_weaknesses(WorkspaceDb& ws, const std::vector<std::string>& runs,
                             const std::optional<std::string>& rule, const ItemTagger& tagger,
                             const MinerOptions& options, unsigned threads, std::vector<BrokenScoringTask>* broken) {
  std::vector<RunRow> rows;
  std::vector<int64_t> ids;
  for (const auto& name : runs) {
    rows.push_back(ws.run_or_throw(name));
    ids.push_back(rows.back().id);
  }
  if (rows.empty()) throw Error(ErrorKind::kUsage, "weaknesses needs at least one run (--run NAME)");
  auto items = tag_items_of_runs(ws, ids, tagger);
  std::vector<ItemTags> tags;
  std::vector<std::string> names;
  tags.reserve(items.size());
  names.reserve(items.size());
  for (const auto& it : items) {
    tags.push_back(it.tagged.tags);
    names.push_back(it.key());
  }
  std::vector<std::vector<ItemOutcome>> outcomes;
  std::map<std::string, TaskScoring> tasks;             // "<benchmark>/<task>"
  const TaskRuleChoice choice(ws, rows.front(), rule);  // the rule the first run's task is scored by
  for (const auto& it : items) {
    TaskScoring& t = tasks[it.tagged.benchmark + "/" + it.tagged.task];
    t.rule = choice.rule(it.tagged.benchmark, it.tagged.task);
    ++t.items;
    t.samples.assign(rows.size(), 0);
    t.correct.assign(rows.size(), 0);
    t.no_answer.assign(rows.size(), 0);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    auto per_item = load_run_outcomes(ws, rows[r], rule, threads, nullptr);
    std::vector<ItemOutcome> aligned(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      auto it = per_item.find(items[i].item_id);
      if (it == per_item.end()) continue;
      aligned[i] = {it->second.samples, it->second.correct};
      TaskScoring& t = tasks[items[i].tagged.benchmark + "/" + items[i].tagged.task];
      t.samples[r] += it->second.samples;
      t.correct[r] += it->second.correct;
      t.no_answer[r] += it->second.no_answer;
    }
    outcomes.push_back(std::move(aligned));
  }
  // Tasks whose scoring looks broken in every run stay out of mining.
  const DiagnosisOptions thresholds;
  std::set<std::string> left_out;
  for (const auto& [name, t] : tasks) {
    bool all_broken = !rows.empty();
    for (size_t r = 0; r < rows.size(); ++r) {
      all_broken = all_broken && t.samples[r] > 0 &&
                   share(t.correct[r], t.samples[r]) <= thresholds.max_broken_accuracy &&
                   share(t.no_answer[r], t.samples[r]) >= thresholds.min_broken_no_answer_share;
    }
    if (!all_broken) continue;
    left_out.insert(name);
    if (broken) {
      broken->push_back(BrokenScoringTask{
          name, t.rule, t.items, share(t.correct.front(), t.samples.front()), share(t.correct.back(), t.samples.back()),
          share(t.no_answer.front(), t.samples.front()), share(t.no_answer.back(), t.samples.back())});
    }
  }
  if (!left_out.empty()) {
    std::vector<ItemTags> kept_tags;
    std::vector<std::string> kept_names;
    std::vector<std::vector<ItemOutcome>> kept(outcomes.size());
    for (size_t i = 0; i < items.size(); ++i) {
      if (left_out.count(items[i].tagged.benchmark + "/" + items[i].tagged.task)) continue;
      kept_tags.push_back(tags[i]);
      kept_names.push_back(names[i]);
      for (size_t r = 0; r < outcomes.size(); ++r) kept[r].push_back(outcomes[r][i]);
    }
    if (!kept_names.empty()) return mine_weaknesses(kept_tags, kept_names, kept, options);
  }
  return mine_weaknesses(tags, names, outcomes, options);
}

}  // namespace caploop
