// Weaknesses on real outputs, named by or decomposed into operations: a model derived from the real BBH
// code-davinci-002 CoT outputs that is weak at counting (object_counting 10% right), arithmetic
// (multistep_arithmetic_two 1.6%) and alphabetical sorting (word_sorting 0%), the other 24 tasks as
// code-davinci-002 answered them. The reported weaknesses must cover those three tasks and little else, with
// `output=integer`, `output=word_sequence` and `background=linguistic` listed under the weakness that explains
// them rather than reported on their own; every weakness carries its operation parts. (The item F1 target of
// the issue is for diagnose: code-davinci-002 has weak tasks of its own, which a weakness list rightly names.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "bbh_items.h"
#include "core/json_writer.h"
#include "slices/weakness_json.h"
#include "slices/weakness_miner.h"
#include "stats/random.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::bbh_items;

const std::map<std::string, double> kWeakTasks = {
    {"object_counting", 0.10}, {"multistep_arithmetic_two", 0.016}, {"word_sorting", 0.0}};

// Outcomes of the derived model: in a weak task, a seeded choice of round(rate x items) items is right.
std::vector<ItemOutcome> weak_model_outcomes() {
  const testing::BbhItems& bbh = bbh_items();
  std::vector<ItemOutcome> out(bbh.names.size());
  std::map<std::string, std::vector<size_t>> weak_items;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = ItemOutcome{1, bbh.correct[i] ? 1 : 0};
    if (kWeakTasks.count(bbh.tasks[i])) weak_items[bbh.tasks[i]].push_back(i);
  }
  Xoshiro256StarStar rng(20261206);
  for (auto& [task, indices] : weak_items) {
    for (size_t k = indices.size(); k > 1; --k) {  // Fisher-Yates
      std::swap(indices[k - 1], indices[static_cast<size_t>(rng.uniform() * static_cast<double>(k))]);
    }
    const auto right = static_cast<size_t>(std::llround(kWeakTasks.at(task) * static_cast<double>(indices.size())));
    for (size_t k = 0; k < indices.size(); ++k) out[indices[k]].correct = k < right ? 1 : 0;
  }
  return out;
}

TEST(WeakOperations, CountingArithmeticAndSortingAreTheWeaknessesWithTheirAncestorsExplained) {
  REQUIRE_SHARED_DATA();
  const testing::BbhItems& bbh = bbh_items();
  ASSERT_EQ(bbh.names.size(), 6511u);
  const std::vector<std::vector<ItemOutcome>> runs = {weak_model_outcomes()};
  const MiningResult result = mine_weaknesses(bbh.tags, bbh.names, runs, MinerOptions{});
  std::set<std::string> planted;
  for (size_t i = 0; i < bbh.names.size(); ++i) {
    if (kWeakTasks.count(bbh.tasks[i])) planted.insert(bbh.names[i]);
  }
  std::set<std::string> explained;
  for (const Weakness& w : result.weaknesses) {
    std::printf("  weakness %s n=%lld acc %.3f residual n=%lld q=%.2g; explains %zu; parts %zu split %d\n",
                w.key.to_string().c_str(), static_cast<long long>(w.n), w.accuracy,
                static_cast<long long>(w.residual.n), w.residual.q_value, w.explains.size(), w.operations.parts.size(),
                w.operations.split);
    EXPECT_LE(w.residual.q_value, 0.05);
    for (const ExplainedWeakness& e : w.explains) explained.insert(e.key.to_string());
    // Every weakness reads as operations: a part per operation set, shares adding up to one.
    ASSERT_FALSE(w.operations.parts.empty());
    double share = 0.0;
    for (const OperationPart& p : w.operations.parts) share += p.loss_share;
    EXPECT_NEAR(share, 1.0, 1e-9);
    EXPECT_FALSE(w.operations.parts.front().operations.empty());
  }
  // The three weak tasks are the three largest weaknesses, each named by its operation; what else is reported
  // lies outside them (code-davinci-002's own weak tasks).
  ASSERT_GE(result.weaknesses.size(), 3u);
  std::set<std::string> top, operations;
  for (size_t k = 0; k < 3; ++k) {
    const Weakness& w = result.weaknesses[k];
    top.insert(w.items.begin(), w.items.end());
    EXPECT_EQ(w.key.order(), 1u) << w.key.to_string();
    // Named by its operation, or (task_name=object_counting: the operation also covers counting questions of
    // another task) decomposed into it.
    const std::vector<std::string> part = w.operations.parts.front().tags();
    EXPECT_TRUE(w.key.conditions.front().key == "operation" ||
                (w.operations.parts.size() == 1 && !part.empty() && part.front().starts_with("operation=")))
        << w.key.to_string();
    operations.insert(part.begin(), part.end());
    EXPECT_EQ(static_cast<size_t>(w.n), 250u) << w.key.to_string();
  }
  EXPECT_EQ(top, planted);
  EXPECT_TRUE(operations.count("operation=counting.object_counting"));
  EXPECT_TRUE(operations.count("operation=sorting.alphabetical"));
  EXPECT_TRUE(operations.count("operation=arithmetic.multi_step"));
  for (size_t k = 3; k < result.weaknesses.size(); ++k) {
    for (const std::string& item : result.weaknesses[k].items) EXPECT_EQ(planted.count(item), 0u) << item;
  }
  // The broad slices around them are listed under them, not reported.
  for (const Weakness& w : result.weaknesses) {
    for (const std::string& t : w.key.tags()) {
      EXPECT_NE(t, "output=integer");
      EXPECT_NE(t, "output=word_sequence");
      EXPECT_NE(t, "background=linguistic");
    }
  }
  EXPECT_TRUE(explained.count("output=integer"));
  EXPECT_TRUE(explained.count("background=linguistic"));
  // JSON carries the residual, the explained slices and the operation parts.
  JsonWriter json;
  write_weaknesses_json(json, result);
  for (const char* field :
       {"\"residual\"", "\"explains\"", "\"relation\"", "\"operations\"", "\"deficit_share\"", "\"equivalent\""}) {
    EXPECT_NE(json.str().find(field), std::string::npos) << field;
  }
}

}  // namespace
}  // namespace caploop
