// Weak-slice mining on the real MATH test problems tagged with the built-in rules: planted weaknesses are
// found, null data gives (almost always) nothing, persistent weaknesses need every run, and the JSON shape.
#include "slices/weakness_miner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>

#include "core/error.h"
#include "core/json_writer.h"
#include "math_items.h"
#include "slices/planted_outcomes.h"
#include "slices/weakness_json.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::math_items;

// Counting & Probability problems, and Geometry problems of level 5.
std::vector<int> plant_subject_and_level(const testing::MathItems& m) {
  std::vector<int> hits(m.tags.size(), 0);
  for (size_t i = 0; i < hits.size(); ++i) {
    hits[i] = (m.types[i] == "Counting & Probability" ? 1 : 0) +
              (m.types[i] == "Geometry" && m.levels[i] == "Level 5" ? 1 : 0);
  }
  return hits;
}

MinerOptions fast_options() {
  MinerOptions o;
  o.lattice.max_order = 2;
  o.lattice.min_support = 30;
  return o;
}

TEST(WeaknessMinerTest, FindsPlantedWeaknessesOnMathItems) {
  REQUIRE_SHARED_DATA();
  const testing::MathItems& m = math_items();
  ASSERT_EQ(m.tags.size(), 5000u);
  const std::vector<int> hits = plant_subject_and_level(m);
  const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(hits, 0.7, 0.2, 1, 7)};
  const MiningResult result = mine_weaknesses(m.tags, m.names, runs, fast_options());
  ASSERT_FALSE(result.weaknesses.empty());
  const InstanceScores scores = score_reported_items(result, hits);
  EXPECT_GE(scores.precision, 0.8) << scores.predicted << " predicted, " << scores.true_positives << " right";
  EXPECT_GE(scores.recall, 0.8) << scores.planted << " planted";
  // Ranked by impact; every reported slice is weaker than its complement and significant.
  for (size_t k = 0; k < result.weaknesses.size(); ++k) {
    const Weakness& w = result.weaknesses[k];
    EXPECT_LE(w.q_value, 0.05);
    EXPECT_LT(w.accuracy, w.complement_accuracy);
    EXPECT_EQ(static_cast<size_t>(w.n), w.items.size());
    EXPECT_TRUE(w.ci.contains(w.accuracy));
    if (k > 0) {
      EXPECT_GE(result.weaknesses[k - 1].impact, w.impact);
    }
  }
  // The subject itself is named, not one of its sub-slices or a broader parent.
  const Weakness& top = result.weaknesses[0];
  EXPECT_EQ(top.key.tags(), (std::vector<std::string>{"subject=counting_and_probability"}));
  EXPECT_EQ(top.items.size(), 474u);
}

TEST(WeaknessMinerTest, NullDataReportsNothingOnMostSeeds) {
  REQUIRE_SHARED_DATA();
  const testing::MathItems& m = math_items();
  const std::vector<int> none(m.tags.size(), 0);
  MinerOptions o = fast_options();
  o.fdr = 0.1;
  int seeds_with_reports = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(none, 0.7, 1.0, 1, seed)};
    if (!mine_weaknesses(m.tags, m.names, runs, o).weaknesses.empty()) ++seeds_with_reports;
  }
  EXPECT_LE(seeds_with_reports, 2);
}

TEST(WeaknessMinerTest, PersistentWeaknessMustHoldInEveryRun) {
  REQUIRE_SHARED_DATA();
  const testing::MathItems& m = math_items();
  std::vector<int> both(m.tags.size(), 0), first_only(m.tags.size(), 0);
  for (size_t i = 0; i < both.size(); ++i) {
    both[i] = m.types[i] == "Counting & Probability" ? 1 : 0;
    first_only[i] = both[i] + (m.types[i] == "Precalculus" ? 1 : 0);
  }
  // Run 1 is weak on both subjects, run 2 (four samples per item) only on counting and probability.
  const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(first_only, 0.7, 0.3, 1, 11),
                                                      draw_planted_outcomes(both, 0.7, 0.3, 4, 12)};
  const MiningResult result = mine_weaknesses(m.tags, m.names, runs, fast_options());
  bool counting = false;
  for (const Weakness& w : result.weaknesses) {
    const std::string key = w.key.to_string();
    EXPECT_EQ(key.find("precalculus"), std::string::npos) << key;
    counting = counting || key == "subject=counting_and_probability";
    ASSERT_EQ(w.runs.size(), 2u);
    EXPECT_GE(w.p_value, std::max(w.runs[0].p_value, w.runs[1].p_value) - 1e-300);
  }
  EXPECT_TRUE(counting);
  // Mined on run 1 alone, precalculus is weak.
  const std::vector<std::vector<ItemOutcome>> first = {runs[0]};
  bool precalculus = false;
  for (const Weakness& w : mine_weaknesses(m.tags, m.names, first, fast_options()).weaknesses) {
    precalculus = precalculus || w.key.to_string() == "subject=precalculus";
  }
  EXPECT_TRUE(precalculus);
}

TEST(WeaknessMinerTest, JsonListsTagsCountsIntervalsAndItems) {
  REQUIRE_SHARED_DATA();
  const testing::MathItems& m = math_items();
  const std::vector<int> hits = plant_subject_and_level(m);
  const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(hits, 0.7, 0.2, 1, 3)};
  const MiningResult result = mine_weaknesses(m.tags, m.names, runs, fast_options());
  JsonWriter json;
  write_weaknesses_json(json, result);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json.str());
  simdjson::dom::array weaknesses = doc["weaknesses"].get_array();
  ASSERT_EQ(weaknesses.size(), result.weaknesses.size());
  for (simdjson::dom::element w : weaknesses) {
    EXPECT_TRUE(w["tags"].is_array());
    EXPECT_TRUE(w["n"].is_int64());
    EXPECT_TRUE(w["accuracy"].is_double());
    EXPECT_EQ(w["ci"].get_array().size(), 2u);
    EXPECT_TRUE(w["q_value"].is_double());
    simdjson::dom::array items = w["items"].get_array();
    EXPECT_EQ(static_cast<int64_t>(items.size()), w["n"].get_int64().value());
    std::string_view first = items.at(0).get_string();
    EXPECT_EQ(first.substr(0, 5), "math:");
  }
  // Same input, same bytes.
  JsonWriter again;
  write_weaknesses_json(again, mine_weaknesses(m.tags, m.names, runs, fast_options()));
  EXPECT_EQ(json.str(), again.str());
}

TEST(WeaknessMinerTest, BenjaminiYekutieliIsNeverLessStrict) {
  REQUIRE_SHARED_DATA();
  const testing::MathItems& m = math_items();
  const std::vector<int> hits = plant_subject_and_level(m);
  const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(hits, 0.7, 0.5, 1, 5)};
  MinerOptions bh = fast_options();
  MinerOptions by = bh;
  by.fdr_method = FdrMethod::kBenjaminiYekutieli;
  const MiningResult a = mine_weaknesses(m.tags, m.names, runs, bh);
  const MiningResult b = mine_weaknesses(m.tags, m.names, runs, by);
  EXPECT_EQ(a.slices_tested, b.slices_tested);
  EXPECT_LE(b.significant, a.significant);
  ASSERT_FALSE(b.weaknesses.empty());
  for (const Weakness& wb : b.weaknesses) {
    for (const Weakness& wa : a.weaknesses) {
      if (wa.key == wb.key) {
        EXPECT_GT(wb.q_value, wa.q_value) << wb.key.to_string();
        EXPECT_EQ(wb.p_value, wa.p_value);
      }
    }
  }
}

TEST(WeaknessMinerTest, MismatchedInputsAreErrors) {
  std::vector<ItemTags> items(2);
  std::vector<std::string> names = {"t:1"};
  std::vector<std::vector<ItemOutcome>> runs = {{{1, 1}, {1, 0}}};
  EXPECT_THROW(mine_weaknesses(items, names, runs, {}), Error);
  names.push_back("t:2");
  runs[0].pop_back();
  EXPECT_THROW(mine_weaknesses(items, names, runs, {}), Error);
  EXPECT_THROW(mine_weaknesses(items, names, std::vector<std::vector<ItemOutcome>>{}, {}), Error);
}

}  // namespace
}  // namespace caploop
