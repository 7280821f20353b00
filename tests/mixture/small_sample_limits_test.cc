// Honest small-sample limits (mixture/plan_hypotheses.h): before any training, a plan states the smallest gain
// its targets can detect and says when a benchmark as small as AIME (30 problems a year, counted from
// ../shared/data/aime) cannot show a plausible gain, with what pooling buys. Expected figures are recomputed
// from stats/paired_power.h's minimum_detectable_improvement, not copied from the notes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "mixture/plan_hypotheses.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;

int64_t problems_in(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  int64_t n = 0;
  while (std::getline(in, line))
    if (!line.empty()) ++n;
  return n;
}

PlanHypothesis target_on(const std::string& task, int64_t n, double accuracy, const PlanOptions& o) {
  PlanHypothesis h;
  h.id = "H1";
  h.kind = "target";
  h.slice_tags = {"operation=algebra.equation_solving", "background=competition"};
  for (int64_t i = 0; i < n; ++i) h.items.push_back(task + ":" + std::to_string(i));
  h.n = n;
  h.baseline_accuracy = accuracy;
  h.alpha = o.alpha;
  h.min_effect = minimum_detectable_improvement(n, accuracy, o.alpha, o.power);
  return h;
}

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

TEST(SmallSampleLimits, AYearOfAIMECannotShowAPlausibleGainAndThePlanSaysSo) {
  REQUIRE_SHARED_DATA();
  const int64_t year = problems_in(testing::shared_data_dir() / "aime" / "aime24" / "test.jsonl");
  ASSERT_EQ(year, 30);
  ASSERT_EQ(problems_in(testing::shared_data_dir() / "aime" / "aime25" / "test.jsonl"), 30);
  PlanOptions o;  // alpha 0.05, power 0.8, plausible gain 10 points
  // A model solving a fifth of a year's AIME problems (a 7B math model's level).
  const PlanHypothesis h = target_on("aime24", year, 0.2, o);
  EXPECT_GT(h.min_effect, 2 * o.plausible_gain);  // a 30-item paired test needs a gain of more than 20 points
  const std::vector<std::string> notes = detectability_notes({h}, o);
  ASSERT_EQ(notes.size(), 1u);
  const std::string& note = notes[0];
  std::cout << note << "\n";
  EXPECT_NE(note.find("cannot show the effect"), std::string::npos) << note;
  EXPECT_NE(note.find(fixed1(100 * h.min_effect) + " points"), std::string::npos) << note;
  // pooling the two years halves the variance; still short of 10 points
  const double pooled = minimum_detectable_improvement(2 * year, 0.2, o.alpha, o.power);
  EXPECT_LT(pooled, h.min_effect);
  EXPECT_GT(pooled, o.plausible_gain);
  EXPECT_NE(note.find("AIME 2024 + 2025 (60 problems) detects " + fixed1(100 * pooled) + " points"), std::string::npos)
      << note;
  // the items a 10-point gain needs, and the sibling-benchmark suggestion naming the slice's operation tag
  const int64_t needed = items_needed(o.plausible_gain, 0.2, o.alpha, o.power);
  EXPECT_LE(minimum_detectable_improvement(needed, 0.2, o.alpha, o.power), o.plausible_gain);
  EXPECT_GT(minimum_detectable_improvement(needed - 1, 0.2, o.alpha, o.power), o.plausible_gain);
  EXPECT_GT(needed, 4 * year);
  EXPECT_NE(note.find("need about " + std::to_string(needed) + " items"), std::string::npos) << note;
  EXPECT_NE(note.find("operation=algebra.equation_solving"), std::string::npos) << note;
}

TEST(SmallSampleLimits, ALargeSliceGetsNoNoteAndATinyOneSaysNothingIsDetectable) {
  PlanOptions o;
  EXPECT_TRUE(detectability_notes({target_on("math", 1500, 0.4, o)}, o).empty());
  PlanHypothesis tiny = target_on("aime25", 2, 0.5, o);
  ASSERT_FALSE(std::isfinite(tiny.min_effect));
  const auto notes = detectability_notes({tiny}, o);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no improvement is detectable"), std::string::npos);
  // a looser plausible gain silences the AIME note
  o.plausible_gain = 0.5;
  EXPECT_TRUE(detectability_notes({target_on("aime24", 30, 0.2, o)}, o).empty());
}

}  // namespace
}  // namespace caploop
