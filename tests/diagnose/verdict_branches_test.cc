// Each branch of the verdict on synthetic paired runs whose construction fixes the answer.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "diagnose/verdict.h"
#include "synthetic_runs.h"

namespace caploop {
namespace {

using testing::for_items;
using testing::make_identical_runs;

bool has_check(const Diagnosis& d, const std::string& name, bool passed) {
  return std::any_of(d.evidence.checks.begin(), d.evidence.checks.end(),
                     [&](const VerdictCheck& c) { return c.name == name && c.passed == passed; });
}

// A third of the correct items lost, in every task; `ending` shapes how the lost candidate samples look.
DiagnosisInput broad_loss(const std::function<void(PairedItem&)>& ending) {
  DiagnosisInput input = make_identical_runs(2000, 10, 0.8, 1);
  for_items(
      input, [](size_t i, const PairedItem& it) { return it.base_correct == 1 && i % 3 == 0; },
      [&](PairedItem& it) {
        it.cand_correct = 0;
        it.cand_correct_lenient = 0;
        it.cand_correct_first = 0;
        ending(it);
      });
  return input;
}

TEST(VerdictBranches, RunawayEndingsRecoveredByFirstAnswerAreTermination) {
  DiagnosisInput input = broad_loss([](PairedItem& it) {
    it.cand_abnormal = 1;       // ran on
    it.cand_correct_first = 1;  // its first answer was right
  });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(d.cause, Cause::kTermination);
  EXPECT_NEAR(d.evidence.overall.delta, -0.8 / 3.0, 0.03);
  EXPECT_EQ(d.evidence.loss.lost_termination, d.evidence.loss.items_lost);
  EXPECT_DOUBLE_EQ(d.evidence.loss.recovered_share_first, 1.0);
  EXPECT_DOUBLE_EQ(d.evidence.loss.recovered_share_lenient, 0.0);
  EXPECT_DOUBLE_EQ(d.evidence.loss_breadth, 1.0);
  EXPECT_NE(std::find(d.places_to_look.begin(), d.places_to_look.end(), "stop sequences"), d.places_to_look.end());
}

TEST(VerdictBranches, RunawayEndingsNotRecoveredAreInconclusive) {
  DiagnosisInput input = broad_loss([](PairedItem& it) { it.cand_abnormal = 1; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kInconclusive);
  EXPECT_FALSE(d.required_items.has_value());
  EXPECT_TRUE(has_check(d, "recovered_share", false));
}

TEST(VerdictBranches, NoExtractableAnswerRecoveredByLenientRuleIsFormat) {
  DiagnosisInput input = broad_loss([](PairedItem& it) {
    it.cand_abnormal = 1;
    it.cand_no_answer = 1;
    it.cand_correct_lenient = 1;
  });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(d.cause, Cause::kFormat);
  EXPECT_DOUBLE_EQ(d.evidence.loss.no_answer_lost_share, 1.0);
}

TEST(VerdictBranches, NormalEndingsRecoveredByFirstAnswerAreScoring) {
  DiagnosisInput input = broad_loss([](PairedItem& it) { it.cand_correct_first = 1; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(d.cause, Cause::kScoring);
}

TEST(VerdictBranches, DifferentSettingsOrPromptsAreEvalConfig) {
  DiagnosisInput input = make_identical_runs(500, 5, 0.7, 2);
  input.candidate.max_new_tokens = 256;
  Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(d.cause, Cause::kEvalConfig);
  EXPECT_EQ(d.places_to_look, std::vector<std::string>{"max_new_tokens"});

  // Prompts differing broadly (10% of items) measure the setup.
  input = make_identical_runs(500, 5, 0.7, 2);
  for (size_t i = 0; i < 50; ++i) input.items[i * 10].cand_prompt_hash = "other";
  d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.cause, Cause::kEvalConfig);
  EXPECT_NEAR(d.evidence.comparability.checks[1].measure, 50.0 / 500.0, 1e-12);
  EXPECT_EQ(d.evidence.comparability.differing_prompt_items.size(), 50u);

  // One differing prompt of 500 while nothing changed: set aside, compared on the other 499, and said so.
  input = make_identical_runs(500, 5, 0.7, 2);
  input.items[7].cand_prompt_hash = "other";
  d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kNoSignificantChange) << d.reason;
  EXPECT_EQ(d.evidence.comparability.checks[1].status, ComparabilityStatus::kSetAside);
  EXPECT_EQ(d.evidence.comparability.differing_prompt_items, std::vector<std::string>{input.items[7].key});
  EXPECT_EQ(d.evidence.overall.n, 499);
  EXPECT_EQ(d.evidence.items_set_aside, 1);
  EXPECT_NE(d.reason.find("identical-prompt"), std::string::npos) << d.reason;

  // Few differing prompts (1%) that hold the whole change explain it: eval_config.
  input = make_identical_runs(500, 5, 0.7, 2);
  int changed = 0;
  for (PairedItem& item : input.items) {
    if (item.base_correct == 1 && changed < 5) {
      item.cand_prompt_hash = "other";
      item.cand_correct = item.cand_correct_lenient = item.cand_correct_first = 0;
      ++changed;
    }
  }
  d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.cause, Cause::kEvalConfig) << d.reason;
  EXPECT_DOUBLE_EQ(d.evidence.comparability.differing_prompt_change_share, 1.0);

  input = make_identical_runs(500, 5, 0.7, 2);
  input.only_in_baseline = 100;  // 100 of 600 items unpaired
  d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.cause, Cause::kEvalConfig);

  input = make_identical_runs(500, 5, 0.7, 2);
  input.candidate.temperature = 0.7;  // unknown for the baseline: not a difference
  d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kNoSignificantChange);
}

TEST(VerdictBranches, LossInTwoTasksWithNormalEndingsIsDataRuledIn) {
  DiagnosisInput input = make_identical_runs(2000, 10, 0.8, 3);
  for_items(
      input, [](size_t i, const PairedItem& it) { return it.base_correct == 1 && i % 10 <= 1 && i % 20 < 14; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 0; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn);
  EXPECT_FALSE(d.cause.has_value());
  ASSERT_FALSE(d.slices.empty());
  for (const DiagnosisSlice& s : d.slices) {
    EXPECT_LT(s.delta, 0.0);
    EXPECT_LE(s.q_value, 0.05);
  }
  // The two most regressed slices are the two operations (tasks t0 and t1); the slice of every item (the
  // benchmark) is the comparison itself and is not reported.
  ASSERT_GE(d.slices.size(), 2u);
  for (const DiagnosisSlice& s : d.slices) EXPECT_LT(s.n, 2000) << s.tags.front();
  std::vector<std::string> top;
  for (size_t i = 0; i < 2; ++i) {
    for (const std::string& key : d.slices[i].items)
      EXPECT_TRUE(key.starts_with("t0:") || key.starts_with("t1:")) << key;
    for (const auto& t : d.slices[i].tags) top.push_back(t);
    for (const auto& eq : d.slices[i].equivalent) top.insert(top.end(), eq.begin(), eq.end());
  }
  EXPECT_NE(std::find(top.begin(), top.end(), "operation=algebra"), top.end());
  EXPECT_NE(std::find(top.begin(), top.end(), "operation=counting"), top.end());
  EXPECT_LT(d.evidence.heterogeneity.p_value, 1e-6);  // concentrated
}

TEST(VerdictBranches, LocalisedLossHiddenInANonSignificantOverallChangeIsDataRuledIn) {
  DiagnosisInput input = make_identical_runs(4000, 20, 0.7, 4);
  // Task t0 loses 60 items; elsewhere 60 items gain: overall net zero.
  int lost = 0, gained = 0;
  for_items(
      input, [&](size_t i, const PairedItem& it) { return i % 20 == 0 && it.base_correct == 1 && lost++ < 60; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 0; });
  for_items(
      input, [&](size_t i, const PairedItem& it) { return i % 20 != 0 && it.base_correct == 0 && gained++ < 60; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 1; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_GT(d.evidence.overall.p_value, 0.05);
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn);
  EXPECT_NE(std::find(d.slices[0].tags.begin(), d.slices[0].tags.end(), "operation=algebra"), d.slices[0].tags.end());
}

TEST(VerdictBranches, BroadGainIsImproved) {
  DiagnosisInput input = make_identical_runs(2000, 10, 0.6, 5);
  for_items(
      input, [](size_t i, const PairedItem& it) { return it.base_correct == 0 && i % 3 == 0; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 1; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kImproved);
  EXPECT_GT(d.evidence.overall.delta, 0.1);
  EXPECT_EQ(d.evidence.slices_regressed, 0);
  for (const DiagnosisSlice& s : d.slices) EXPECT_GT(s.delta, 0.0);
}

TEST(VerdictBranches, IdenticalLargeRunsShowNoSignificantChange) {
  const Diagnosis d = diagnose(make_identical_runs(3000, 10, 0.7, 6), DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kNoSignificantChange);
  EXPECT_DOUBLE_EQ(d.evidence.overall.p_value, 1.0);
  EXPECT_LE(d.evidence.minimum_detectable_effect, 0.03);
}

TEST(VerdictBranches, SmallRunsAreInconclusiveWithTheItemsNeeded) {
  DiagnosisInput input = make_identical_runs(60, 3, 0.7, 7);
  for_items(
      input, [](size_t i, const PairedItem& it) { return it.base_correct == 1 && i < 4; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 0; });
  DiagnosisOptions options;
  options.min_support = 5;
  const Diagnosis d = diagnose(input, options);
  EXPECT_EQ(d.verdict, Verdict::kInconclusive);
  ASSERT_TRUE(d.required_items.has_value());
  EXPECT_GT(*d.required_items, 60);
  EXPECT_GT(d.evidence.minimum_detectable_effect, 0.03);
}

TEST(VerdictBranches, MultiSampleRunsUseThePairedTestOverItems) {
  DiagnosisInput input = make_identical_runs(400, 4, 0.5, 8);
  for (PairedItem& it : input.items) {
    it.base_samples = it.cand_samples = 4;
    it.base_correct = it.base_correct * 3;
    it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = it.base_correct;
  }
  for_items(
      input, [](size_t, const PairedItem& it) { return it.base_correct == 3; },
      [](PairedItem& it) { it.cand_correct = it.cand_correct_lenient = it.cand_correct_first = 1; });
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  EXPECT_FALSE(d.evidence.single_sample);
  EXPECT_EQ(d.evidence.overall.test, "paired_t");
  EXPECT_LT(d.evidence.overall.p_value, 1e-6);
  EXPECT_EQ(d.verdict, Verdict::kDataRuledIn);
}

TEST(VerdictBranches, InconsistentCountsNameTheItemAndField) {
  DiagnosisInput input = make_identical_runs(10, 2, 0.5, 9);
  input.items[3].cand_no_answer = 1;  // more no_answer samples than abnormal ones
  try {
    diagnose(input, DiagnosisOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().field, "cand_no_answer");
    EXPECT_NE(e.message().find(input.items[3].key), std::string::npos);
  }
  EXPECT_THROW(diagnose(DiagnosisInput{}, DiagnosisOptions{}), Error);
}

}  // namespace
}  // namespace caploop
