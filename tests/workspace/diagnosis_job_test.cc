// build_diagnosis_input() on stored runs: the few-shot count as the lm-eval importer records it in the run's
// extra_json (one number, or per task), and the answer forms (shape, tolerant tier with the prompt's options)
// measured from the stored responses. The items are real BBH items (code-davinci-002 CoT outputs).
#include "workspace/diagnosis_job.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "store/run_writer.h"
#include "store/sqlite.h"
#include "taxonomy/item_tagger.h"
#include "test_support.h"
#include "workspace/weakness_job.h"

namespace caploop {
namespace {

struct RealItem {
  std::string id, prompt, prediction, target;
};

std::vector<RealItem> real_items(const std::string& task, size_t n) {
  const auto path = testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot" /
                    (task + "_few_shot_template_0-255000.json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(path.string());
  std::vector<RealItem> out;
  for (simdjson::dom::element o : doc["outputs"].get_array()) {
    if (out.size() == n) break;
    out.push_back(RealItem{std::to_string(out.size()), std::string(std::string_view(o["input"])),
                           std::string(std::string_view(o["prediction"])), std::string(std::string_view(o["target"]))});
  }
  return out;
}

// "(B)" answers written as "B".
std::string without_brackets(std::string prediction) {
  const size_t at = prediction.rfind("So the answer is (");
  if (at != std::string::npos && at + 20 < prediction.size()) {
    prediction = prediction.substr(0, at) + "So the answer is " + prediction.substr(at + 18, 1) + ".";
  }
  return prediction;
}

void store_run(WorkspaceDb& ws, const std::string& name, const std::string& extra_json,
               const std::vector<RealItem>& items, bool reshape, const std::string& task = "date_understanding",
               bool replace = false) {
  Transaction tx(ws.db());
  RunWriter writer(ws, replace);
  RunInfo info;
  info.name = name;
  info.harness = "lm-eval";
  info.generation.extra_json = extra_json;
  writer.begin_run(info);
  for (const RealItem& it : items) {
    ItemRecord item{"bbh", task, it.id, it.prompt, "", it.target, "{}", "", {}};
    ResponseRecord r;
    r.text = reshape ? without_brackets(it.prediction) : it.prediction;
    writer.add_item(item, {r});
  }
  tx.commit();
}

TEST(DiagnosisJob, ReadsNumFewshotAndAnswerFormsFromStoredRuns) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  WorkspaceDb ws((tmp.path() / "w.db").string(), true);
  const std::vector<RealItem> items = real_items("date_understanding", 60);
  store_run(ws, "base", R"({"num_fewshot": 3})", items, false);
  store_run(ws, "cand", R"({"lm_eval_per_task": {"bbh_cot_fewshot_date_understanding": {"num_fewshot": 3}}})", items,
            true);
  store_run(ws, "zero", R"({"lm_eval_per_task": {"a": {"num_fewshot": 0}, "b": {"num_fewshot": 3}}})", items, false);
  const ItemTagger tagger(TagRuleSet::builtin());
  DiagnosisRequest request;
  request.baseline = "base";
  request.candidate = "cand";
  const DiagnosisInput in = build_diagnosis_input(ws, request, tagger);
  ASSERT_EQ(in.items.size(), 60u);
  EXPECT_EQ(in.baseline.num_fewshot, 3);
  EXPECT_EQ(in.candidate.num_fewshot, 3);
  int64_t cand_right = 0, tolerant = 0, base_shaped = 0, cand_shaped = 0;
  for (const PairedItem& p : in.items) {
    cand_right += p.cand_correct;
    tolerant += p.cand_correct_tolerant;
    base_shaped += p.base_shaped;
    cand_shaped += p.cand_shaped;
    EXPECT_FALSE(p.reference.empty());
  }
  EXPECT_EQ(cand_right, 0);  // every "(X)" answer lost its brackets
  EXPECT_GT(tolerant, 30);   // the tolerant tier finds the right ones
  EXPECT_GT(base_shaped, 55);
  EXPECT_LT(cand_shaped, 5);
  const Diagnosis d = diagnose(in, DiagnosisOptions{});
  EXPECT_EQ(d.cause, Cause::kFormat) << d.reason;

  request.candidate = "zero";
  const DiagnosisInput mixed = build_diagnosis_input(ws, request, tagger);
  EXPECT_FALSE(mixed.candidate.num_fewshot.has_value());
  EXPECT_EQ(mixed.candidate.num_fewshot_by_task.size(), 2u);
  const Diagnosis differs = diagnose(mixed, DiagnosisOptions{});
  EXPECT_EQ(differs.cause, Cause::kEvalConfig);
  EXPECT_EQ(differs.places_to_look, std::vector<std::string>{"number of few-shot examples"});
}

// A task whose answers the rule cannot read in any run (dyck_languages answered "The final answer: X" under
// lm-eval's strict rule, which looks for "the answer is") is kept out of weakness mining and named.
TEST(WeaknessJob, TaskWhoseScoringLooksBrokenIsKeptOutOfMining) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  WorkspaceDb ws((tmp.path() / "w.db").string(), true);
  std::vector<RealItem> dyck = real_items("dyck_languages", 120);
  for (RealItem& it : dyck) {
    const size_t at = it.prediction.rfind("So the answer is ");
    if (at != std::string::npos) it.prediction = it.prediction.substr(0, at) + "The final answer: " + it.target + ".";
  }
  // One run holding both tasks: store date_understanding, then add dyck_languages items to the same run.
  {
    Transaction tx(ws.db());
    RunWriter writer(ws, false);
    RunInfo info;
    info.name = "run";
    writer.begin_run(info);
    for (const auto& [task, list] :
         {std::pair{std::string("date_understanding"), real_items("date_understanding", 120)},
          std::pair{std::string("dyck_languages"), dyck}}) {
      for (const RealItem& it : list) {
        ResponseRecord r;
        r.text = it.prediction;
        writer.add_item(ItemRecord{"bbh", task, it.id, it.prompt, "", it.target, "{}", "", {}}, {r});
      }
    }
    tx.commit();
  }
  const ItemTagger tagger(TagRuleSet::builtin());
  MinerOptions options;
  std::vector<BrokenScoringTask> broken;
  const MiningResult result =
      find_weaknesses(ws, {"run"}, std::string("bbh-lm-eval-strict"), tagger, options, 1, &broken);
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].task, "bbh/dyck_languages");
  EXPECT_EQ(broken[0].rule, "bbh-lm-eval-strict");
  EXPECT_EQ(broken[0].items, 120);
  EXPECT_EQ(broken[0].base_accuracy, 0.0);
  EXPECT_GE(broken[0].base_no_answer_share, 0.5);
  for (const Weakness& w : result.weaknesses) {
    for (const std::string& item : w.items) EXPECT_FALSE(item.starts_with("dyck_languages:")) << item;
  }
}

}  // namespace
}  // namespace caploop
