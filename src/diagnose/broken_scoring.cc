#include "diagnose/broken_scoring.h"

#include <map>
#include <set>

namespace caploop {

namespace {

std::string task_of(const std::string& key) { return key.substr(0, key.find(':')); }

struct TaskCounts {
  int64_t items = 0;
  int64_t base_samples = 0, base_correct = 0, base_no_answer = 0;
  int64_t cand_samples = 0, cand_correct = 0, cand_no_answer = 0;
};

double share(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

std::vector<BrokenScoringTask> find_broken_scoring(const DiagnosisInput& input, const DiagnosisOptions& options) {
  std::map<std::string, TaskCounts> tasks;
  for (const PairedItem& item : input.items) {
    TaskCounts& t = tasks[task_of(item.key)];
    ++t.items;
    t.base_samples += item.base_samples;
    t.base_correct += item.base_correct;
    t.base_no_answer += item.base_no_answer;
    t.cand_samples += item.cand_samples;
    t.cand_correct += item.cand_correct;
    t.cand_no_answer += item.cand_no_answer;
  }
  std::vector<BrokenScoringTask> out;
  for (const auto& [task, t] : tasks) {
    BrokenScoringTask b{task,
                        input.baseline.scoring_rule,
                        t.items,
                        share(t.base_correct, t.base_samples),
                        share(t.cand_correct, t.cand_samples),
                        share(t.base_no_answer, t.base_samples),
                        share(t.cand_no_answer, t.cand_samples)};
    if (b.base_accuracy <= options.max_broken_accuracy && b.cand_accuracy <= options.max_broken_accuracy &&
        b.base_no_answer_share >= options.min_broken_no_answer_share &&
        b.cand_no_answer_share >= options.min_broken_no_answer_share) {
      out.push_back(std::move(b));
    }
  }
  return out;
}

DiagnosisInput without_tasks(const DiagnosisInput& input, const std::vector<BrokenScoringTask>& tasks) {
  std::set<std::string> drop;
  for (const BrokenScoringTask& t : tasks) drop.insert(t.task);
  DiagnosisInput out;
  out.baseline = input.baseline;
  out.candidate = input.candidate;
  out.only_in_baseline = input.only_in_baseline;
  out.only_in_candidate = input.only_in_candidate;
  for (const PairedItem& item : input.items) {
    if (drop.count(task_of(item.key)) == 0) out.items.push_back(item);
  }
  return out;
}

}  // namespace caploop
