// Minimal explanation on real outputs: a candidate derived from the real BBH code-davinci-002 CoT outputs that
// lost 75% of its right answers in three of the 27 tasks (object_counting, date_understanding,
// multistep_arithmetic_two; answers turn to another target of the task, generations end normally). The
// diagnosis must report those tasks and list their diluted ancestors (`output=option_letter`,
// `task=select_option`, `background=...`) under them instead of as findings of their own.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "bbh_outputs.h"
#include "diagnose/verdict.h"
#include "stats/random.h"
#include "test_support.h"

namespace caploop {
namespace {

using namespace caploop::testing;

const std::set<std::string> kPlantedTasks = {"object_counting", "date_understanding", "multistep_arithmetic_two"};

std::string planted_prediction(const BbhRun& run, size_t index) {
  Xoshiro256StarStar rng(20261206 + index);
  const BbhOutput& item = run.outputs[index];
  if (kPlantedTasks.count(item.task) == 0 || answer_of(item.prediction) != item.target) return item.prediction;
  if (rng.uniform() >= 0.75) return item.prediction;
  return with_answer(item.prediction, other_target(run.task_targets.at(item.task), item.target, index));
}

struct ItemScores {
  double precision = 0, recall = 0, f1 = 0;
};

ItemScores score_items(const std::vector<DiagnosisSlice>& slices, const DiagnosisInput& input) {
  std::set<std::string> predicted, planted;
  for (const DiagnosisSlice& s : slices) predicted.insert(s.items.begin(), s.items.end());
  for (const PairedItem& item : input.items) {
    if (kPlantedTasks.count(item.key.substr(0, item.key.find(':')))) planted.insert(item.key);
  }
  const auto hits = std::count_if(predicted.begin(), predicted.end(), [&](const auto& k) { return planted.count(k); });
  ItemScores s;
  s.precision = predicted.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(predicted.size());
  s.recall = static_cast<double>(hits) / static_cast<double>(planted.size());
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

bool names(const std::vector<std::string>& tags, std::string_view prefix) {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return t.starts_with(prefix); });
}

TEST(MinimalExplanation, PlantedRegressionInThreeTasksIsReportedWithoutItsAncestors) {
  REQUIRE_SHARED_DATA();
  const DiagnosisInput input = paired_runs(bbh_run(), planted_prediction, "planted");
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  EXPECT_LT(d.evidence.overall.delta, -0.05);
  const ItemScores s = score_items(d.slices, input);
  std::printf("planted: delta %.3f, %lld regressed slices -> %zu findings; item precision %.3f recall %.3f F1 %.3f\n",
              d.evidence.overall.delta, static_cast<long long>(d.evidence.slices_regressed), d.slices.size(),
              s.precision, s.recall, s.f1);
  for (const DiagnosisSlice& f : d.slices) {
    std::printf("  finding %s n=%lld delta %.3f residual n=%lld q=%.2g, explains %zu\n", f.tags.front().c_str(),
                static_cast<long long>(f.n), f.delta, static_cast<long long>(f.residual.n), f.residual.q_value,
                f.explains.size());
  }
  EXPECT_GE(s.f1, 0.9);
  EXPECT_GE(s.recall, 0.99);
  // The ancestors are listed under the finding that explains them, never as findings.
  std::set<std::string> explained;
  for (const DiagnosisSlice& f : d.slices) {
    EXPECT_FALSE(names(f.tags, "output=option_letter")) << f.tags.front();
    EXPECT_FALSE(names(f.tags, "task=select_option")) << f.tags.front();
    EXPECT_FALSE(names(f.tags, "background=")) << f.tags.front();
    EXPECT_LE(f.residual.q_value, 0.05);
    for (const ExplainedSlice& e : f.explains) {
      for (const std::string& t : e.tags) explained.insert(t);
      EXPECT_GT(e.overlap, 0);
      EXPECT_GT(e.residual.q_value, 0.05) << e.tags.front();
      if (e.relation == "ancestor") {
        EXPECT_GT(e.n, f.n);
      }
    }
  }
  EXPECT_TRUE(explained.count("output=option_letter"));
  EXPECT_TRUE(explained.count("task=select_option"));
  EXPECT_TRUE(std::any_of(explained.begin(), explained.end(),
                          [](const std::string& t) { return t.starts_with("background="); }));
}

}  // namespace
}  // namespace caploop
