// Both verdicts on real outputs: candidates derived from the real BBH code-davinci-002 chain-of-thought
// outputs (all 27 tasks, 6,511 items), scored with the real "bbh" reference rule, endings classified by
// eval/ending.h, items tagged by the built-in taxonomy rules.
//   runaway   as a model whose end-of-sequence loss was masked: after its answer it starts a new "Q:" turn
//             with another item's question and reasoning and a different answer, again and again, cut at a
//             fixed length limit -> data_ruled_out, cause termination;
//   localised answers turn wrong in 60% of the items whose operation lies under `arithmetic` or `temporal`,
//             generations end normally -> data_ruled_in naming those operations;
//   noise     3% of correct answers turn wrong and as many wrong ones (in expectation) turn right
//             -> no_significant_change.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bbh_outputs.h"
#include "diagnose/answer_form.h"
#include "diagnose/diagnosis_json.h"
#include "diagnose/diagnosis_markdown.h"
#include "diagnose/verdict.h"
#include "eval/answer_shape.h"
#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "eval/rules_tolerant.h"
#include "stats/random.h"
#include "taxonomy/tag_rules.h"
#include "test_support.h"

namespace caploop {
namespace {

using namespace caploop::testing;

constexpr size_t kRunawayLimitBytes = 4096;  // the candidate's length limit (about 1,024 tokens)

std::string runaway_prediction(const BbhRun& run, size_t index) {
  const BbhOutput& item = run.outputs[index];
  const std::vector<size_t>& peers = run.by_task.at(item.task);
  const size_t position = static_cast<size_t>(std::stoul(item.id));
  const std::string own = answer_of(item.prediction);
  std::string text = item.prediction;
  for (size_t k = 1; text.size() < kRunawayLimitBytes; ++k) {
    const BbhOutput& other = run.outputs[peers[(position + k) % peers.size()]];
    text += "\n\nQ: " + other.question + "\nA: Let's think step by step.\n" +
            with_answer(other.prediction, other_target(run.task_targets.at(item.task), own, position + k));
  }
  size_t cut = kRunawayLimitBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  text.resize(cut);
  return text;
}

bool tag_set_has_prefix(const DiagnosisSlice& s, std::string_view prefix) {
  auto any = [&](const std::vector<std::string>& tags) {
    return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return t.starts_with(prefix); });
  };
  return any(s.tags) || std::any_of(s.equivalent.begin(), s.equivalent.end(), any);
}

TEST(BbhVerdicts, BaselineScoresMatchThePublishedAccuracy) {
  REQUIRE_SHARED_DATA();
  const BbhRun& run = bbh_run();
  ASSERT_EQ(run.outputs.size(), 6511u);
  ASSERT_EQ(run.by_task.size(), 27u);
  // The published macro accuracy of code-davinci-002 CoT is 73.9 (Suzgun et al. 2022, table 2); the item
  // (micro) accuracy of these outputs is close to it.
  int64_t correct = 0;
  for (const BbhOutput& o : run.outputs) correct += rule_or_throw("bbh").score(o.prediction, o.target).correct;
  EXPECT_NEAR(static_cast<double>(correct) / 6511.0, 0.74, 0.03);
}

TEST(BbhVerdicts, RunawayCandidateIsRuledOutForTermination) {
  REQUIRE_SHARED_DATA();
  const DiagnosisInput input = paired_runs(bbh_run(), runaway_prediction, "runaway");
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  const DiagnosisEvidence& ev = d.evidence;
  std::printf(
      "runaway: accuracy %.3f -> %.3f (delta %.3f, p %.3g); lost %lld (termination %lld, no answer %lld, "
      "normal %lld); abnormal rate %.3f -> %.3f; recovered lenient %.3f first %.3f either %.3f; "
      "breadth %.2f, Q %.1f df %.0f I2 %.2f\n",
      ev.overall.base_accuracy, ev.overall.cand_accuracy, ev.overall.delta, ev.overall.p_value,
      static_cast<long long>(ev.loss.items_lost), static_cast<long long>(ev.loss.lost_termination),
      static_cast<long long>(ev.loss.lost_no_answer), static_cast<long long>(ev.loss.lost_normal),
      ev.loss.base_abnormal_rate, ev.loss.cand_abnormal_rate, ev.loss.recovered_share_lenient,
      ev.loss.recovered_share_first, ev.loss.recovered_share_either, ev.loss_breadth, ev.heterogeneity.q,
      ev.heterogeneity.degrees_of_freedom, ev.heterogeneity.i_squared);
  EXPECT_LT(ev.overall.delta, -0.20);  // tens of points
  EXPECT_LT(ev.overall.p_value, 1e-12);
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut) << d.reason;
  EXPECT_EQ(d.cause, Cause::kTermination) << d.reason;
  EXPECT_GT(ev.loss.recovered_share_first, 0.9);
  EXPECT_GT(ev.loss.termination_lost_share, 0.9);
  const auto& places = d.places_to_look;
  EXPECT_TRUE(std::any_of(places.begin(), places.end(),
                          [](const std::string& p) { return p.find("end-of-sequence") != std::string::npos; }));
}

std::string localised_prediction(const BbhRun& run, size_t index) {
  Xoshiro256StarStar rng(20260401 + index);  // one draw per item, independent of the call order
  const BbhOutput& item = run.outputs[index];
  const bool targeted =
      item.tags.has_under(Axis::kOperation, "arithmetic") || item.tags.has_under(Axis::kOperation, "temporal");
  const bool flip = rng.uniform() < 0.6;
  if (!targeted || !flip || !has_answer(item.prediction)) return item.prediction;
  return with_answer(item.prediction, other_target(run.task_targets.at(item.task), item.target, index));
}

TEST(BbhVerdicts, AnswersWrongInTwoOperationsAreRuledInWithThoseSlices) {
  REQUIRE_SHARED_DATA();
  const DiagnosisInput input = paired_runs(bbh_run(), localised_prediction, "localised");
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  std::printf("localised: delta %.3f (p %.3g), %zu slices regressed of %lld tested; top:", d.evidence.overall.delta,
              d.evidence.overall.p_value, d.slices.size(), static_cast<long long>(d.evidence.slices_tested));
  for (size_t i = 0; i < d.slices.size() && i < 6; ++i) {
    std::printf(" [%s %.3f]", d.slices[i].tags.front().c_str(), d.slices[i].delta);
  }
  std::printf("\n");
  ASSERT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  ASSERT_GE(d.slices.size(), 2u);
  // The top slices name the two operations.
  bool temporal = false, arithmetic = false;
  for (size_t i = 0; i < d.slices.size() && i < 6; ++i) {
    temporal = temporal || tag_set_has_prefix(d.slices[i], "operation=temporal");
    arithmetic = arithmetic || tag_set_has_prefix(d.slices[i], "operation=arithmetic");
  }
  EXPECT_TRUE(temporal);
  EXPECT_TRUE(arithmetic);
  // Every reported slice lies mostly inside the targeted items (tasks whose items carry those operations).
  std::set<std::string> targeted_keys;
  for (const PairedItem& item : input.items) {
    if (item.tags.has_under(Axis::kOperation, "arithmetic") || item.tags.has_under(Axis::kOperation, "temporal")) {
      targeted_keys.insert(item.key);
    }
  }
  for (const DiagnosisSlice& s : d.slices) {
    const auto inside =
        std::count_if(s.items.begin(), s.items.end(), [&](const std::string& k) { return targeted_keys.count(k) > 0; });
    EXPECT_GT(static_cast<double>(inside) / static_cast<double>(s.items.size()), 0.1) << s.tags.front();
  }
  // Places to look name slices more regressed than the whole benchmark, never the whole benchmark.
  ASSERT_FALSE(d.places_to_look.empty());
  for (const std::string& place : d.places_to_look) EXPECT_EQ(place.find("benchmark=bbh"), std::string::npos) << place;
  EXPECT_LT(d.evidence.loss.termination_lost_share, 0.05);
  EXPECT_LT(d.evidence.heterogeneity.p_value, 1e-6);
}

// Within each task, 3% of the correct answers turn wrong and, in expectation, as many wrong answers turn right,
// so no task (nor any union of tasks) changes systematically.
std::string noisy_prediction(const BbhRun& run, size_t index) {
  static const std::map<std::string, double> up_rate = [&run] {
    std::map<std::string, double> rates;
    for (const auto& [task, indices] : run.by_task) {
      int64_t correct = 0, wrong_with_answer = 0;
      for (size_t i : indices) {
        const BbhOutput& o = run.outputs[i];
        const bool ok = answer_of(o.prediction) == o.target;
        correct += ok;
        wrong_with_answer += !ok && has_answer(o.prediction);
      }
      rates[task] = wrong_with_answer == 0
                        ? 0.0
                        : std::min(1.0, 0.03 * static_cast<double>(correct) / static_cast<double>(wrong_with_answer));
    }
    return rates;
  }();
  Xoshiro256StarStar rng(20260402 + index);
  const BbhOutput& item = run.outputs[index];
  const double u = rng.uniform();
  if (!has_answer(item.prediction)) return item.prediction;
  const bool correct = answer_of(item.prediction) == item.target;
  if (correct && u < 0.03) {
    return with_answer(item.prediction, other_target(run.task_targets.at(item.task), item.target, index));
  }
  if (!correct && u < up_rate.at(item.task)) return with_answer(item.prediction, item.target);
  return item.prediction;
}

TEST(BbhVerdicts, SmallSymmetricNoiseIsNoSignificantChange) {
  REQUIRE_SHARED_DATA();
  const DiagnosisInput input = paired_runs(bbh_run(), noisy_prediction, "noise");
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  std::printf("noise: b %lld c %lld delta %.4f p %.3g mde %.4f\n", static_cast<long long>(d.evidence.overall.lost),
              static_cast<long long>(d.evidence.overall.gained), d.evidence.overall.delta, d.evidence.overall.p_value,
              d.evidence.minimum_detectable_effect);
  EXPECT_GT(d.evidence.overall.lost, 100);
  EXPECT_GT(d.evidence.overall.gained, 100);
  EXPECT_EQ(d.verdict, Verdict::kNoSignificantChange) << d.reason;
  EXPECT_TRUE(d.slices.empty());
}

TEST(BbhVerdicts, JsonAndMarkdownCarryTheVerdictAndEvidence) {
  REQUIRE_SHARED_DATA();
  const Diagnosis d = diagnose(paired_runs(bbh_run(), runaway_prediction, "runaway"), DiagnosisOptions{});
  JsonWriter w;
  write_diagnosis_json(w, d);
  simdjson::padded_string json(w.str());
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc = parser.iterate(json);
  EXPECT_EQ(std::string_view(doc["verdict"]), "data_ruled_out");
  EXPECT_EQ(std::string_view(doc["cause"]), "termination");
  simdjson::ondemand::object evidence = doc["evidence"];
  simdjson::ondemand::object mcnemar = evidence["mcnemar"];
  EXPECT_EQ(int64_t(mcnemar["b"]), d.evidence.overall.lost);
  const std::string md = render_diagnosis_markdown(d);
  EXPECT_NE(md.find("`data_ruled_out`"), std::string::npos);
  EXPECT_NE(md.find("termination"), std::string::npos);
  JsonWriter again;
  write_diagnosis_json(again, diagnose(paired_runs(bbh_run(), runaway_prediction, "runaway"), DiagnosisOptions{}));
  EXPECT_EQ(again.str(), w.str());
}

// --- Answer form: 70% of answers in another shape (issue 11, item 3) ---------------------------------------

// With probability 0.7 per item, the same answer in another form: an option label "(B)" as "B", any other
// answer (labels, numbers, sequences) after a colon ("So the answer is: True.").
std::string reshaped_prediction(const BbhRun& run, size_t index) {
  Xoshiro256StarStar rng(20260403 + index);
  const BbhOutput& item = run.outputs[index];
  if (rng.uniform() >= 0.7 || !has_answer(item.prediction)) return item.prediction;
  const std::string answer = answer_of(item.prediction);
  const std::string reasoning(reasoning_of(item.prediction));
  if (answer.size() == 3 && answer[0] == '(' && answer[2] == ')') {
    return reasoning + " " + std::string(kAnswerPhrase) + answer.substr(1, 1) + ".";
  }
  return reasoning + " So the answer is: " + answer + ".";
}

TEST(BbhVerdicts, AnswersInAnotherShapeAreRuledOutAsFormat) {
  REQUIRE_SHARED_DATA();
  const DiagnosisInput input = paired_runs(bbh_run(), reshaped_prediction, "reshaped");
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  const AnswerFormChange& f = d.evidence.answer_form;
  std::printf(
      "reshaped: delta %.3f (p %.3g); lenient/first recover %.3f; tolerant recovers %.3f; shape %.3f -> "
      "%.3f, off-shape lost %.3f; %s / %s\n",
      d.evidence.overall.delta, d.evidence.overall.p_value, d.evidence.loss.recovered_share_either,
      f.recovered_share_tolerant, f.base_shape_share, f.cand_shape_share, f.off_shape_lost_share,
      std::string(verdict_name(d.verdict)).c_str(), std::string(cause_name_or_empty(d.cause)).c_str());
  EXPECT_LT(d.evidence.overall.delta, -0.45);  // about 52 points lost
  EXPECT_EQ(d.verdict, Verdict::kDataRuledOut) << d.reason;
  EXPECT_EQ(d.cause, Cause::kFormat) << d.reason;
  // The tolerant tier finds the right answers the reference rule missed; the shape profile moved.
  EXPECT_GT(f.recovered_share_tolerant, 0.95);
  EXPECT_GT(f.base_shape_share, 0.9);
  EXPECT_LT(f.cand_shape_share, 0.45);
  ASSERT_EQ(f.tasks.size(), 27u);
  for (const TaskShapeProfile& t : f.tasks) {
    std::printf("  %s %.3f -> %.3f\n", t.task.c_str(), t.base_share, t.cand_share);
    EXPECT_GT(t.base_share - t.cand_share, 0.2) << t.task;
  }
  // Examples show the same answer before and after, in another form.
  ASSERT_FALSE(f.examples.empty());
  for (const AnswerFormExample& e : f.examples) {
    EXPECT_EQ(e.base_answer, e.reference) << e.item;
    EXPECT_NE(e.cand_answer, e.reference) << e.item;
    EXPECT_TRUE(e.tolerant_correct) << e.item;
  }
  EXPECT_NE(d.reason.find(f.examples.front().item), std::string::npos) << d.reason;
  JsonWriter w;
  write_diagnosis_json(w, d);
  EXPECT_NE(w.str().find("\"answer_form\""), std::string::npos);
}

TEST(BbhVerdicts, WrongAnswersInTheReferenceShapeStayADataFinding) {
  REQUIRE_SHARED_DATA();
  // The localised candidate's wrong answers keep the reference's shape: the form checks must not fire.
  const Diagnosis d = diagnose(paired_runs(bbh_run(), localised_prediction, "localised"), DiagnosisOptions{});
  EXPECT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  EXPECT_LT(d.evidence.answer_form.recovered_share_tolerant, 0.05);
  EXPECT_LT(std::abs(d.evidence.answer_form.shape_share_drop), 0.02);
}

// --- Constant run-on (issue 11, item 5) ---------------------------------------------------------------------

// A base model that runs on past its answer on a fixed 55.7% of the items, in both runs alike.
bool runs_on(size_t index) {
  Xoshiro256StarStar rng(20260404 + index);
  return rng.uniform() < 0.557;
}

std::string constant_run_on_baseline(const BbhRun& run, size_t index) {
  return runs_on(index) ? runaway_prediction(run, index) : run.outputs[index].prediction;
}

// The same run-on, plus answers turned wrong in 60% of the arithmetic and temporal items.
std::string constant_run_on_localised(const BbhRun& run, size_t index) {
  BbhRun changed;  // runaway_prediction reads only the item's own prediction and its peers' (unchanged) ones
  const std::string own = localised_prediction(run, index);
  if (!runs_on(index)) return own;
  std::string text = runaway_prediction(run, index);
  // Replace the item's own first turn with the localised one, keeping the run-on that follows it.
  const std::string& original = run.outputs[index].prediction;
  if (text.compare(0, original.size(), original) == 0) text = own + text.substr(original.size());
  return text;
}

TEST(BbhVerdicts, RunOnAtTheSameRateInBothRunsIsNotBlamed) {
  REQUIRE_SHARED_DATA();
  Pairing pairing;
  pairing.reference = "bbh-lm-eval-strict";  // reads the first answer, as lm-eval does for a base model
  pairing.base = constant_run_on_baseline;
  const DiagnosisInput input = paired_runs(bbh_run(), constant_run_on_localised, "run-on-localised", pairing);
  const Diagnosis d = diagnose(input, DiagnosisOptions{});
  const LossDecomposition& l = d.evidence.loss;
  std::printf("constant run-on: termination %.3f -> %.3f, lost %lld (termination share %.2f); %s\n",
              l.base_termination_rate, l.cand_termination_rate, static_cast<long long>(l.items_lost),
              l.termination_lost_share, std::string(verdict_name(d.verdict)).c_str());
  EXPECT_NEAR(l.base_termination_rate, 0.557, 0.03);
  EXPECT_NEAR(l.cand_termination_rate, l.base_termination_rate, 0.01);
  EXPECT_GE(l.termination_lost_share, 0.5);  // most lost items ran on, as most items do in both runs
  EXPECT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  bool temporal = false, arithmetic = false;
  for (size_t i = 0; i < d.slices.size() && i < 6; ++i) {
    temporal = temporal || tag_set_has_prefix(d.slices[i], "operation=temporal");
    arithmetic = arithmetic || tag_set_has_prefix(d.slices[i], "operation=arithmetic");
  }
  EXPECT_TRUE(temporal && arithmetic);
  // Run-on whose rate rises is still blamed: the runaway candidate against the real baseline.
  const Diagnosis runaway = diagnose(paired_runs(bbh_run(), runaway_prediction, "runaway"), DiagnosisOptions{});
  EXPECT_EQ(runaway.cause, Cause::kTermination);
}

// --- Broken scoring (issue 11, item 5) ------------------------------------------------------------------------

// dyck_languages answered as "The final answer: X." in both runs: lm-eval's strict rule finds no answer there.
std::string dyck_in_other_words(const std::string& prediction, const std::string& task) {
  if (task != "dyck_languages" || !has_answer(prediction)) return prediction;
  return std::string(reasoning_of(prediction)) + " The final answer: " + answer_of(prediction) + ".";
}

TEST(BbhVerdicts, TaskWhoseScoringLooksBrokenIsKeptOutAndNamed) {
  REQUIRE_SHARED_DATA();
  Pairing pairing;
  pairing.reference = "bbh-lm-eval-strict";
  pairing.base = [](const BbhRun& run, size_t i) {
    return dyck_in_other_words(run.outputs[i].prediction, run.outputs[i].task);
  };
  const Diagnosis d = diagnose(paired_runs(
                                   bbh_run(),
                                   [](const BbhRun& run, size_t i) {
                                     return dyck_in_other_words(localised_prediction(run, i), run.outputs[i].task);
                                   },
                                   "localised-dyck", pairing),
                               DiagnosisOptions{});
  ASSERT_EQ(d.evidence.broken_scoring.size(), 1u);
  const BrokenScoringTask& b = d.evidence.broken_scoring.front();
  EXPECT_EQ(b.task, "dyck_languages");
  EXPECT_EQ(b.rule, "bbh-lm-eval-strict");
  EXPECT_EQ(b.items, 250);
  EXPECT_LE(b.base_accuracy, 0.02);
  EXPECT_GE(b.cand_no_answer_share, 0.75);  // the rest were cut by the length limit
  EXPECT_EQ(d.evidence.items_set_aside, 250);
  EXPECT_EQ(d.evidence.overall.n, 6511 - 250);
  EXPECT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  for (const DiagnosisSlice& s : d.slices) {
    for (const std::string& key : s.items) ASSERT_FALSE(key.starts_with("dyck_languages:")) << s.tags.front();
  }
  EXPECT_NE(d.reason.find("scoring looks broken"), std::string::npos) << d.reason;
  EXPECT_NE(render_diagnosis_markdown(d).find("Scoring looks broken"), std::string::npos);
}

// --- Comparability in proportion (issue 11, item 4) -----------------------------------------------------------

// The candidate's prompts built from the released BBH data (bbh/bbh/<task>.json, the source lm-eval reads):
// the real few-shot prefix, then "Q: <input>\nA: Let's think step by step.". They equal the prompts of the
// released outputs except for snarks item 88, whose input the released data holds cut short.
std::string released_data_prompt(const BbhRun& run, size_t index) {
  static const std::map<std::string, std::vector<std::string>> inputs = [] {
    std::map<std::string, std::vector<std::string>> out;
    simdjson::ondemand::parser parser;
    for (const auto& e : std::filesystem::directory_iterator(testing::shared_data_dir() / "bbh/bbh")) {
      if (e.path().extension() != ".json") continue;
      simdjson::padded_string json = simdjson::padded_string::load(e.path().string());
      simdjson::ondemand::document doc = parser.iterate(json);
      std::vector<std::string>& task = out[e.path().stem().string()];
      for (simdjson::ondemand::object o : doc["examples"].get_array()) {
        task.push_back(std::string(std::string_view(o["input"])));
      }
    }
    return out;
  }();
  const BbhOutput& item = run.outputs[index];
  const std::string prefix = item.prompt.substr(0, item.prompt.rfind("Q: "));
  return prefix + "Q: " + inputs.at(item.task).at(std::stoul(item.id)) + "\nA: Let's think step by step.";
}

TEST(BbhVerdicts, OneDifferingPromptOfTheReleasedDataIsSetAside) {
  REQUIRE_SHARED_DATA();
  Pairing pairing;
  pairing.cand_prompt = released_data_prompt;
  const Diagnosis d = diagnose(paired_runs(bbh_run(), localised_prediction, "localised", pairing), DiagnosisOptions{});
  const Comparability& c = d.evidence.comparability;
  EXPECT_EQ(c.differing_prompt_items, std::vector<std::string>{"snarks:88"});
  EXPECT_TRUE(c.prompts_set_aside);
  EXPECT_EQ(d.evidence.overall.n, 6510);
  EXPECT_EQ(d.verdict, Verdict::kDataRuledIn) << d.reason;
  EXPECT_NE(d.reason.find("snarks:88"), std::string::npos) << d.reason;

  const Diagnosis noise = diagnose(paired_runs(bbh_run(), noisy_prediction, "noise", pairing), DiagnosisOptions{});
  EXPECT_EQ(noise.verdict, Verdict::kNoSignificantChange) << noise.reason;

  // The same prompts with the change placed in snarks:88 alone: it explains the change.
  const Diagnosis only_there = diagnose(paired_runs(
                                            bbh_run(),
                                            [](const BbhRun& run, size_t i) {
                                              const BbhOutput& o = run.outputs[i];
                                              if (o.task != "snarks" || o.id != "88") return o.prediction;
                                              return with_answer(o.prediction, o.target == "(A)" ? "(B)" : "(A)");
                                            },
                                            "snarks-88", pairing),
                                        DiagnosisOptions{});
  EXPECT_FALSE(only_there.evidence.comparability.prompts_set_aside);
  EXPECT_EQ(only_there.cause, Cause::kEvalConfig) << only_there.reason;
}

}  // namespace
}  // namespace caploop
