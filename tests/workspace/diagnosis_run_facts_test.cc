// The diagnosis's compact structures on real BBH items (code-davinci-002 CoT outputs from ../shared/data):
// interned tags (one tag set per distinct item content) give every item the tags the tagger gives it on its own
// and the same diagnosis as per-item tags; the one-pass run facts count what the run outcomes count, the same
// whatever the thread count and whether the scores are stored or scored in memory.
#include "workspace/diagnosis_run_facts.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/json_writer.h"
#include "diagnose/diagnosis_json.h"
#include "diagnose/verdict.h"
#include "eval/rule_registry.h"
#include "store/run_item_texts.h"
#include "store/run_writer.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "store/text_store.h"
#include "taxonomy/item_tagger.h"
#include "taxonomy/tag_rules.h"
#include "test_support.h"
#include "workspace/diagnosis_job.h"
#include "workspace/item_tagging.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_scoring.h"

namespace caploop {
namespace {

struct RealItem {
  std::string task, prompt, prediction, target;
};

// The first `per_task` outputs of each of a few BBH tasks.
std::vector<RealItem> real_items(size_t per_task) {
  std::vector<RealItem> out;
  for (const char* task_name : {"date_understanding", "multistep_arithmetic_two", "navigate", "word_sorting"}) {
    const std::string task = task_name;
    const auto path = testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot" /
                      (task + "_few_shot_template_0-255000.json");
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.load(path.string());
    size_t n = 0;
    for (simdjson::dom::element o : doc["outputs"].get_array()) {
      if (n++ == per_task) break;
      out.push_back(RealItem{task, std::string(std::string_view(o["input"])),
                             std::string(std::string_view(o["prediction"])),
                             std::string(std::string_view(o["target"]))});
    }
  }
  return out;
}

// Stores each real item twice, as "<i>" and "<i>-copy" (the same content under two ids, as a benchmark folder
// with repeated documents has); the candidate answers every `flip`-th item with a wrong answer.
void store_run(WorkspaceDb& ws, const std::string& name, const std::vector<RealItem>& items, size_t flip) {
  Transaction tx(ws.db());
  RunWriter writer(ws, false);
  RunInfo info;
  info.name = name;
  info.harness = "generic";
  writer.begin_run(info);
  for (size_t i = 0; i < items.size(); ++i) {
    const RealItem& it = items[i];
    for (const std::string& id : {std::to_string(i), std::to_string(i) + "-copy"}) {
      const ItemRecord item{"bbh", it.task, id, it.prompt, "", it.target, "{}", "", {}};
      ResponseRecord r;
      r.text = flip > 0 && i % flip == 0 ? it.prediction + "\n\nSo the answer is (Q)." : it.prediction;
      writer.add_item(item, {r});
    }
  }
  tx.commit();
}

std::string diagnosis_json(const DiagnosisInput& in) {
  JsonWriter w(true);
  write_diagnosis_json(w, diagnose(in, DiagnosisOptions{}));
  return w.str();
}

class DiagnosisRunFactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_SHARED_DATA();
    items_ = real_items(60);
    WorkspaceDb ws(path(), true);
    store_run(ws, "base", items_, 0);
    store_run(ws, "cand", items_, 3);
  }
  std::string path() const { return (tmp_.path() / "w.db").string(); }

  testing::TempDir tmp_;
  std::vector<RealItem> items_;
};

TEST_F(DiagnosisRunFactsTest, InternedTagsAreEachItemsOwnTagsAndGiveTheSameDiagnosis) {
  WorkspaceDb ws(path(), WorkspaceAccess::kRead);
  const ItemTagger tagger(TagRuleSet::builtin());
  const std::vector<int64_t> runs = {ws.run_or_throw("base").id, ws.run_or_throw("cand").id};
  const InternedItems interned_items = tag_items_of_runs_interned(ws, runs, tagger);
  const std::vector<InternedItem>& interned = interned_items.items;
  ASSERT_EQ(interned.size(), 2 * items_.size());

  // Every item carries what the tagger gives it on its own (its question, the stored task).
  TextStore texts(ws);
  std::map<int64_t, ItemTextIds> rows;
  for (const ItemTextIds& r : items_of_runs(ws, runs)) rows[r.item_id] = r;
  std::set<const ItemTags*> distinct;
  for (const InternedItem& it : interned) {
    const auto row = rows.find(it.item_id);
    ASSERT_NE(row, rows.end());
    TaggableItem t;
    t.benchmark = it.benchmark;
    t.task = tagging_task(t.benchmark, std::string(it.task));
    t.source_id = it.source_id;
    t.text = question_for_tagging(texts.read(row->second.question_text));
    t.metadata_json = texts.read(row->second.metadata_text);
    t.reference = texts.read(row->second.reference_text);
    ItemTags own = tagger.tag(t);
    own.dims["task"] = std::string(it.task);
    EXPECT_EQ(it.tags->axes, own.axes) << it.key();
    EXPECT_EQ(it.tags->dims, own.dims) << it.key();
    distinct.insert(it.tags.get());
  }
  // The copies share their original's tag set: one set per distinct content.
  std::map<std::string, const ItemTags*> by_key;
  for (const InternedItem& it : interned) by_key[it.key()] = it.tags.get();
  for (size_t i = 0; i < items_.size(); ++i) {
    const std::string key = items_[i].task + ":" + std::to_string(i);
    EXPECT_EQ(by_key.at(key), by_key.at(key + "-copy")) << key;
  }
  EXPECT_LE(distinct.size(), items_.size());

  // The diagnosis reads the same slices from interned tags as from tags copied into each item.
  DiagnosisRequest req;
  req.baseline = "base";
  req.candidate = "cand";
  const DiagnosisInput in = build_diagnosis_input(ws, req, tagger);
  ASSERT_EQ(in.items.size(), interned.size());
  DiagnosisInput per_item = in;
  for (PairedItem& p : per_item.items) {
    ASSERT_TRUE(p.shared_tags);
    p.tags = *p.shared_tags;
    p.shared_tags.reset();
  }
  const Diagnosis d = diagnose(in, DiagnosisOptions{});
  EXPECT_FALSE(d.slices.empty()) << "a third of the candidate's answers were made wrong: slices must differ";
  EXPECT_EQ(diagnosis_json(in), diagnosis_json(per_item));
}

TEST_F(DiagnosisRunFactsTest, CountsWhatTheRunOutcomesCountWhateverTheThreadsAndWhereTheScoresComeFrom) {
  WorkspaceDb ws(path(), WorkspaceAccess::kRead);
  const RunRow cand = ws.run_or_throw("cand");
  std::vector<int64_t> ids;
  std::vector<const RealItem*> item_of;  // by position: the real item stored under that id
  for (const ItemTextIds& row : items_of_runs(ws, {cand.id})) {
    ids.push_back(row.item_id);
    item_of.push_back(&items_[std::stoul(row.source_id)]);
  }
  ASSERT_EQ(ids.size(), 2 * items_.size());
  const TaskRuleOf bbh = [](const std::string&, const std::string&) { return std::string("bbh"); };

  // Nothing is stored (read-only, no scores): scored in memory.
  const DiagnosisRunFacts one = load_diagnosis_run_facts(ws, cand, ids, bbh, true, 1);
  const DiagnosisRunFacts two = load_diagnosis_run_facts(ws, cand, ids, bbh, true, 2);
  const auto outcomes = load_run_outcomes_with(ws, cand, bbh, 1, nullptr);
  // The candidate's text: the real prediction, or it followed by a wrong answer (see store_run).
  const auto text_of = [&](size_t k) {
    const size_t i = static_cast<size_t>(item_of[k] - items_.data());
    return i % 3 == 0 ? item_of[k]->prediction + "\n\nSo the answer is (Q)." : item_of[k]->prediction;
  };
  const ScoringRule& reference = rule_or_throw("bbh");
  const ScoringRule& lenient = rule_or_throw(std::string(lenient_rule_name_for("bbh")));
  const ScoringRule& first = rule_or_throw(std::string(first_answer_rule_name_for("bbh")));
  int64_t wrong = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    const ItemRunFacts& f = one.items[k];
    const ItemRunOutcome& o = outcomes.at(ids[k]);
    EXPECT_EQ(f.samples, o.samples);
    EXPECT_EQ(f.correct, o.correct);
    EXPECT_EQ(f.abnormal, o.abnormal);
    EXPECT_EQ(f.no_answer, o.no_answer);
    EXPECT_EQ(f.ran_on, o.ran_on);
    const std::string text = text_of(k);
    const std::string& target = item_of[k]->target;
    EXPECT_EQ(f.answered, reference.score(text, target).extraction.found ? 1 : 0);
    EXPECT_LE(f.shaped, f.answered);
    EXPECT_EQ(f.lenient_correct, lenient.score(text, target).correct ? 1 : 0);
    EXPECT_EQ(f.first_correct, first.score(text, target).correct ? 1 : 0);
    EXPECT_EQ(f.first_sample, 0);
    wrong += f.samples - f.correct;
    const ItemRunFacts& g = two.items[k];
    EXPECT_EQ(std::tie(f.samples, f.correct, f.answered, f.shaped, f.tolerant_correct, f.lenient_correct,
                       f.first_correct, f.prompt_hash),
              std::tie(g.samples, g.correct, g.answered, g.shaped, g.tolerant_correct, g.lenient_correct,
                       g.first_correct, g.prompt_hash));
    EXPECT_EQ(one.first_answers[k], two.first_answers[k]);
  }
  EXPECT_GT(wrong, static_cast<int64_t>(items_.size() / 3));  // the flipped answers (and the model's own errors)

  // Stored scores (a writable workspace scores and stores first) give the same facts.
  WorkspaceDb writable(path(), false);
  const DiagnosisRunFacts stored = load_diagnosis_run_facts(writable, cand, ids, bbh, true, 2);
  ASSERT_TRUE(stored_rule_version(writable, cand.id, "bbh", "bbh").has_value());
  for (size_t k = 0; k < ids.size(); ++k) {
    const ItemRunFacts& f = one.items[k];
    const ItemRunFacts& s = stored.items[k];
    EXPECT_EQ(std::tie(f.samples, f.correct, f.abnormal, f.no_answer, f.truncated, f.ran_on, f.degenerate_repetition,
                       f.answered, f.shaped, f.tolerant_correct, f.lenient_correct, f.first_correct),
              std::tie(s.samples, s.correct, s.abnormal, s.no_answer, s.truncated, s.ran_on, s.degenerate_repetition,
                       s.answered, s.shaped, s.tolerant_correct, s.lenient_correct, s.first_correct));
  }
}

// Without candidate tiers every fact comes from the reference rule's extraction: with the run's scores stored, they
// are read from the stored scores alone (no text read), and are the facts scoring the texts gives.
TEST_F(DiagnosisRunFactsTest, WithoutCandidateTiersStoredScoresGiveTheFactsTheTextsGive) {
  std::vector<int64_t> ids;
  const TaskRuleOf bbh = [](const std::string&, const std::string&) { return std::string("bbh"); };
  DiagnosisRunFacts from_texts;
  {
    WorkspaceDb ws(path(), WorkspaceAccess::kRead);  // nothing stored: the texts are scored
    for (const ItemTextIds& row : items_of_runs(ws, {ws.run_or_throw("cand").id})) ids.push_back(row.item_id);
    ASSERT_FALSE(stored_rule_version(ws, ws.run_or_throw("cand").id, "bbh", "bbh").has_value());
    from_texts = load_diagnosis_run_facts(ws, ws.run_or_throw("cand"), ids, bbh, false, 2);
  }
  WorkspaceDb writable(path(), false);
  const RunRow cand = writable.run_or_throw("cand");
  load_diagnosis_run_facts(writable, cand, ids, bbh, false, 2);  // scores and stores the run first
  ASSERT_TRUE(stored_rule_version(writable, cand.id, "bbh", "bbh").has_value());
  const DiagnosisRunFacts from_scores = load_diagnosis_run_facts(writable, cand, ids, bbh, false, 2);
  ASSERT_EQ(from_scores.items.size(), from_texts.items.size());
  int64_t answered = 0;
  for (size_t k = 0; k < ids.size(); ++k) {
    const ItemRunFacts& f = from_texts.items[k];
    const ItemRunFacts& s = from_scores.items[k];
    EXPECT_EQ(std::tie(f.samples, f.correct, f.abnormal, f.no_answer, f.truncated, f.ran_on, f.degenerate_repetition,
                       f.answered, f.shaped, f.first_sample, f.reference_text, f.prompt_hash),
              std::tie(s.samples, s.correct, s.abnormal, s.no_answer, s.truncated, s.ran_on, s.degenerate_repetition,
                       s.answered, s.shaped, s.first_sample, s.reference_text, s.prompt_hash))
        << k;
    EXPECT_EQ(from_texts.first_answers[k], from_scores.first_answers[k]) << k;
    answered += s.answered;
  }
  EXPECT_GT(answered, static_cast<int64_t>(ids.size() / 2));
  EXPECT_EQ(from_texts.reference_texts, from_scores.reference_texts);
}

}  // namespace
}  // namespace caploop
