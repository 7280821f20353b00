// pair_runs(): which items two runs are compared on, and how the unmatched ones are counted — the same for
// diagnosis and verification. The stored runs hold real BBH items (code-davinci-002 CoT outputs).
#include "workspace/run_pairing.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "store/run_writer.h"
#include "store/sqlite.h"
#include "taxonomy/item_tagger.h"
#include "test_support.h"
#include "workspace/diagnosis_job.h"
#include "workspace/verify_job.h"

namespace caploop {
namespace {

ItemRunOutcome scored(int64_t samples, int64_t correct) {
  ItemRunOutcome o;
  o.samples = samples;
  o.correct = correct;
  return o;
}

TEST(RunPairing, PairsItemsBothRunsScoredAndCountsEachUnmatchedItemForTheRunThatScoredIt) {
  const RunOutcomes base = {{1, scored(1, 1)}, {2, scored(0, 0)}, {3, scored(2, 1)}, {6, scored(1, 0)}};
  const RunOutcomes cand = {{1, scored(1, 0)}, {4, scored(1, 1)}, {6, scored(3, 3)}, {7, scored(1, 1)}};
  const std::vector<int64_t> ids = {6, 1, 2, 3, 4, 5};  // 7 is not asked about
  const RunPairing p = pair_runs(ids, base, cand);
  EXPECT_EQ(p.paired, (std::vector<size_t>{0, 1}));  // items 6 and 1, in the order asked
  EXPECT_EQ(p.only_in_baseline, 1);                  // item 3 (item 2 has no scored sample)
  EXPECT_EQ(p.only_in_candidate, 1);                 // item 4; item 5 neither run scored
  EXPECT_FALSE(run_scored_item(base, 2));
  EXPECT_TRUE(run_scored_item(cand, 7));
  const RunPairing none = pair_runs({}, base, cand);
  EXPECT_TRUE(none.paired.empty());
  EXPECT_EQ(none.only_in_baseline + none.only_in_candidate, 0);
}

struct RealItem {
  std::string id, prompt, prediction, target;
};

std::vector<RealItem> real_items(size_t n) {
  const auto path = testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot" /
                    "date_understanding_few_shot_template_0-255000.json";
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

// Stores items [first, last) with their real answer, and items [unscored_first, unscored_last) with none.
void store_run(WorkspaceDb& ws, const std::string& name, const std::vector<RealItem>& items, size_t first, size_t last,
               size_t unscored_first, size_t unscored_last) {
  Transaction tx(ws.db());
  RunWriter writer(ws, false);
  RunInfo info;
  info.name = name;
  info.harness = "lm-eval";
  writer.begin_run(info);
  for (size_t i = 0; i < items.size(); ++i) {
    const RealItem& it = items[i];
    const ItemRecord item{"bbh", "date_understanding", it.id, it.prompt, "", it.target, "{}", "", {}};
    if (i >= first && i < last) {
      ResponseRecord r;
      r.text = it.prediction;
      writer.add_item(item, {r});
    } else if (i >= unscored_first && i < unscored_last) {
      writer.add_item(item, {});
    }
  }
  tx.commit();
}

TEST(RunPairing, DiagnosisAndVerificationCountUnmatchedItemsAlike) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  WorkspaceDb ws((tmp.path() / "w.db").string(), true);
  const std::vector<RealItem> items = real_items(75);
  // Baseline scored items 0..59, candidate 10..69; both runs hold items 70..74 without any answer.
  store_run(ws, "base", items, 0, 60, 70, 75);
  store_run(ws, "cand", items, 10, 70, 70, 75);

  DiagnosisRequest diagnosis;
  diagnosis.baseline = "base";
  diagnosis.candidate = "cand";
  const DiagnosisInput d = build_diagnosis_input(ws, diagnosis, ItemTagger(TagRuleSet::builtin()));
  VerifyRequest verify;
  verify.baseline = "base";
  verify.candidate = "cand";
  const VerificationInput v = build_verification_input(ws, MixturePlan{}, verify);

  EXPECT_EQ(d.items.size(), 50u);
  EXPECT_EQ(v.items.size(), 50u);
  EXPECT_EQ(d.only_in_baseline, 10);
  EXPECT_EQ(d.only_in_candidate, 10);
  EXPECT_EQ(v.only_in_baseline, d.only_in_baseline);
  EXPECT_EQ(v.only_in_candidate, d.only_in_candidate);
  for (size_t i = 0; i < d.items.size(); ++i) {
    EXPECT_EQ(d.items[i].key, "date_understanding:" + std::to_string(i + 10));
    EXPECT_EQ(d.items[i].base_correct, d.items[i].cand_correct) << d.items[i].key;  // the same answers
  }
}

}  // namespace
}  // namespace caploop
