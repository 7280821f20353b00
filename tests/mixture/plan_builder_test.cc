// The planner on a real tagged corpus (MATH worked solutions and data-juicer samples, tagged with the built-in
// data taxonomy): quotas sum to the budget, caps hold, the counting-and-probability stream is raised above its
// natural share while the base keeps the corpus's proportions, the plan is deterministic, and every request it
// cannot honour is refused with a clear error.
#include "mixture/plan_builder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "core/error.h"
#include "corpus/corpus_stats.h"
#include "mapping/mapping_rules.h"
#include "mixture/mixture_plan.h"
#include "mixture/plan_markdown.h"
#include "plan_fixture.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::diagnosis_json;
using testing::diagnosis_slices;
using testing::expect_error;
using testing::tagged_corpus_stats_dir;
using testing::weak_slice;

const char* kCountingStream = "target:capability__worked_solution&math_subfield__counting_probability";

CorpusShards real_corpus() { return read_corpus_shards({tagged_corpus_stats_dir().string()}); }

WeakSliceList counting_weakness() {
  return diagnosis_slices({weak_slice("S1", {"operation=counting.case_enumeration"}, 120, 0.15, 0.4),
                           weak_slice("S2", {"output=option_letter"}, 50, 0.1, 0.6),
                           weak_slice("S3", {"operation=algebra"}, 60, 0.05, 0.7)});
}

PlanOptions options_for(const CorpusShards& corpus) {
  PlanOptions o;
  o.budget_tokens = static_cast<int64_t>(corpus.merged.total.tokens);  // one pass over the corpus
  return o;
}

MixturePlan counting_plan(const CorpusShards& corpus, const PlanOptions& o) {
  const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
  return build_plan(counting_weakness(), builtin_mapping_rules(), corpus, &taxonomy, o);
}

const PlanStream& stream_named(const MixturePlan& plan, const std::string& name) {
  for (const PlanStream& s : plan.streams)
    if (s.name == name) return s;
  throw std::runtime_error("no stream " + name);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PlanBuilder, RaisesTheWeakCategoryWithinCapsOnARealCorpus) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  ASSERT_EQ(corpus.shards.size(), 6u);
  const PlanOptions o = options_for(corpus);
  const MixturePlan plan = counting_plan(corpus, o);
  const double M = static_cast<double>(plan.corpus.tokens);
  const double B = static_cast<double>(o.budget_tokens);

  // Quotas are integers that sum to the budget exactly; base and target totals agree with the streams.
  int64_t base = 0, target = 0;
  for (const PlanStream& s : plan.streams) (s.kind == StreamKind::kBase ? base : target) += s.quota_tokens;
  EXPECT_EQ(base, plan.base_tokens);
  EXPECT_EQ(target, plan.target_tokens);
  EXPECT_EQ(base + target, o.budget_tokens);

  // Caps: the base keeps at least min_base_share; no target above max_category_share or max_epochs.
  EXPECT_GE(static_cast<double>(plan.base_tokens), o.min_base_share * B);
  const double base_rate = static_cast<double>(plan.base_tokens) / M;
  for (const PlanStream& s : plan.streams) {
    ASSERT_GT(s.available_tokens, 0) << s.name;
    EXPECT_EQ(s.full_epochs * s.available_tokens + s.remainder_tokens, s.quota_tokens) << s.name;
    EXPECT_LT(s.remainder_tokens, s.available_tokens) << s.name;
    EXPECT_LE(s.epochs, o.max_epochs + 1e-12) << s.name;
    if (s.kind != StreamKind::kTarget) continue;
    EXPECT_LE(static_cast<double>(s.quota_tokens), o.max_category_share * B) << s.name;
    EXPECT_NEAR(s.epochs, static_cast<double>(s.quota_tokens) / static_cast<double>(s.available_tokens) + base_rate,
                1e-12);
  }

  // The counting-and-probability stream is there, fed by S1, and raised well above its natural share: its
  // documents make up available/M of the corpus, but of the sample (quota + their base draws)/B.
  const PlanStream& counting = stream_named(plan, kCountingStream);
  ASSERT_FALSE(counting.links.empty());
  EXPECT_EQ(counting.links[0].slice_id, "S1");
  EXPECT_EQ(counting.links[0].rule_id, "counting-cases");
  EXPECT_DOUBLE_EQ(counting.links[0].demand, 1.0 * 120 * 0.15);
  const double natural = static_cast<double>(counting.available_tokens) / M;
  const double planned = (static_cast<double>(counting.quota_tokens) + base_rate * counting.available_tokens) / B;
  EXPECT_GT(planned, 1.5 * natural) << "natural " << natural << " planned " << planned;
  // S1 carries more demand than S3 (120 x 0.15 vs 60 x 0.05), so its stream gets more unless capped.
  const PlanStream& algebra = stream_named(plan, "target:capability__worked_solution&math_subfield__algebra");
  EXPECT_GT(counting.demand, algebra.demand);
  if (counting.capped_by == QuotaCap::kNone) {
    EXPECT_GT(counting.quota_tokens, algebra.quota_tokens);
  }

  // Base streams keep the corpus's own proportions within rounding (largest remainder: under one token).
  for (const PlanStream& s : plan.streams) {
    if (s.kind != StreamKind::kBase) continue;
    const double exact = static_cast<double>(plan.base_tokens) * static_cast<double>(s.available_tokens) / M;
    EXPECT_LT(std::fabs(static_cast<double>(s.quota_tokens) - exact), 1.0) << s.name;
  }

  // The chain is recorded: slice statuses, the output slice as a gap, hypotheses per mapped slice + guard.
  ASSERT_EQ(plan.slices.size(), 3u);
  EXPECT_EQ(plan.slices[0].status, SliceStatus::kMapped);
  EXPECT_EQ(plan.slices[1].status, SliceStatus::kNotData);
  EXPECT_TRUE(std::any_of(plan.notes.begin(), plan.notes.end(), [](const auto& n) { return contains(n, "S2"); }));
  ASSERT_EQ(plan.hypotheses.size(), 3u);
  EXPECT_EQ(plan.hypotheses[0].kind, "target");
  EXPECT_EQ(plan.hypotheses[0].items, counting_weakness().slices[0].items);
  EXPECT_TRUE(std::find(plan.hypotheses[0].streams.begin(), plan.hypotheses[0].streams.end(), kCountingStream) !=
              plan.hypotheses[0].streams.end());
  EXPECT_GT(plan.hypotheses[0].min_effect, 0.0);
  EXPECT_LT(plan.hypotheses[0].min_effect, 0.6);
  EXPECT_EQ(plan.hypotheses[2].kind, "guard");
  EXPECT_EQ(plan.hypotheses[2].slice_tags, std::vector<std::string>{"rest"});
  EXPECT_TRUE(plan.hypotheses[2].items.empty());
}

TEST(PlanBuilder, ShardFiguresAddUpToTheCorpus) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  const MixturePlan plan = counting_plan(corpus, options_for(corpus));
  ASSERT_EQ(plan.corpus.shards.size(), corpus.shards.size());
  int64_t tokens = 0, docs = 0;
  std::map<std::string, int64_t> per_stream;
  for (const PlanShard& shard : plan.corpus.shards) {
    tokens += shard.tokens;
    docs += shard.docs;
    EXPECT_EQ(shard.checksum.size(), 16u);
    EXPECT_TRUE(shard.stats_file.ends_with(shard.path + ".stats.json")) << shard.stats_file;
    for (const auto& [name, t] : shard.stream_tokens) per_stream[name] += t;
  }
  EXPECT_EQ(tokens, plan.corpus.tokens);
  EXPECT_EQ(docs, plan.corpus.docs);
  for (const PlanStream& s : plan.streams) EXPECT_EQ(per_stream[s.name], s.available_tokens) << s.name;
  EXPECT_TRUE(std::is_sorted(plan.corpus.shards.begin(), plan.corpus.shards.end(),
                             [](const auto& a, const auto& b) { return a.path < b.path; }));
  // The MATH solutions carry the counting stream; the web samples (almost) do not.
  int64_t in_math = 0;
  for (const PlanShard& shard : plan.corpus.shards)
    if (contains(shard.path, "/math/") && shard.stream_tokens.count(kCountingStream))
      in_math += shard.stream_tokens.at(kCountingStream);
  EXPECT_GT(in_math, stream_named(plan, kCountingStream).available_tokens / 2);
}

TEST(PlanBuilder, SameInputsGiveTheSameBytes) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const std::string diagnosis = (tmp / "diagnosis.json").string();
  testing::write_file(diagnosis, diagnosis_json("data_ruled_in", "", counting_weakness().slices));
  PlanRequest r;
  r.weakness_file = diagnosis;
  r.stats_dirs = {tagged_corpus_stats_dir().string()};
  r.options = options_for(real_corpus());
  const MixturePlan first = make_plan(r);
  const MixturePlan second = make_plan(r);
  EXPECT_EQ(plan_to_json(first), plan_to_json(second));
  EXPECT_EQ(plan_markdown(first), plan_markdown(second));
  // Read from the file: the diagnosis' checksum and runs are recorded.
  EXPECT_EQ(first.weakness_kind, "diagnosis");
  EXPECT_EQ(first.baseline, "base-run");
  EXPECT_EQ(first.weakness_checksum.size(), 16u);
  EXPECT_EQ(first.mapping_source, "<built-in>");
  // And the plan file round-trips.
  EXPECT_EQ(plan_to_json(parse_plan(plan_to_json(first), "p.json")), plan_to_json(first));
}

TEST(PlanBuilder, AcceptsAWeaknessListToo) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const std::string file = (tmp / "weaknesses.json").string();
  // The shape of `caploop weaknesses --json`: severity is the deficit, the baseline the slice's accuracy.
  testing::write_file(file, R"({"weaknesses": [{"tags": ["operation=probability"], "n": 90, "accuracy": 0.35,
    "ci": [0.25, 0.45], "q_value": 0.001, "p_value": 0.0001, "deficit": 0.2, "complement_accuracy": 0.55,
    "items": ["math:7", "math:9"]}], "mining": {}})");
  PlanRequest r;
  r.weakness_file = file;
  r.stats_dirs = {tagged_corpus_stats_dir().string()};
  r.options = options_for(real_corpus());
  const MixturePlan plan = make_plan(r);
  EXPECT_EQ(plan.weakness_kind, "weaknesses");
  EXPECT_FALSE(plan.verdict.has_value());
  ASSERT_EQ(plan.slices.size(), 1u);
  EXPECT_DOUBLE_EQ(plan.slices[0].severity, 0.2);
  const PlanStream& counting = stream_named(plan, kCountingStream);
  ASSERT_EQ(counting.links.size(), 1u);
  EXPECT_DOUBLE_EQ(counting.links[0].demand, 1.0 * 90 * 0.2);
  EXPECT_GT(counting.quota_tokens, 0);
  EXPECT_EQ(plan.hypotheses[0].items, (std::vector<std::string>{"math:7", "math:9"}));
}

TEST(PlanBuilder, TightCapsBindAndTheRestGoesToBase) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  PlanOptions o = options_for(corpus);
  o.max_category_share = 0.02;
  const MixturePlan share_capped = counting_plan(corpus, o);
  const PlanStream& counting = stream_named(share_capped, kCountingStream);
  EXPECT_EQ(counting.capped_by, QuotaCap::kMaxCategoryShare);
  EXPECT_EQ(counting.quota_tokens, static_cast<int64_t>(std::floor(0.02 * static_cast<double>(o.budget_tokens))));
  EXPECT_LT(share_capped.target_tokens, o.budget_tokens / 2);
  EXPECT_TRUE(std::any_of(share_capped.notes.begin(), share_capped.notes.end(),
                          [](const auto& n) { return contains(n, "go to the base mixture"); }));

  // Epochs: one pass of the corpus as budget with max_epochs 1.1 leaves 0.1 epochs to raise a category
  // beyond its base draws (with the base taking nearly all of the budget).
  o = options_for(corpus);
  o.max_epochs = 1.1;
  o.min_base_share = 0.0;
  o.max_category_share = 1.0;
  const MixturePlan epoch_capped = counting_plan(corpus, o);
  const PlanStream& c2 = stream_named(epoch_capped, kCountingStream);
  EXPECT_EQ(c2.capped_by, QuotaCap::kMaxEpochs);
  EXPECT_LE(c2.epochs, 1.1 + 1e-12);
  EXPECT_GT(c2.epochs, 1.09);
  int64_t sum = 0;
  for (const PlanStream& s : epoch_capped.streams) sum += s.quota_tokens;
  EXPECT_EQ(sum, o.budget_tokens);
}

TEST(PlanBuilder, RefusesADiagnosisThatRulesTheDataOut) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const std::string diagnosis = (tmp / "diagnosis.json").string();
  testing::write_file(diagnosis, diagnosis_json("data_ruled_out", "termination", counting_weakness().slices));
  PlanRequest r;
  r.weakness_file = diagnosis;
  r.stats_dirs = {tagged_corpus_stats_dir().string()};
  r.options.budget_tokens = 1000;
  Error e = expect_error([&] { make_plan(r); });
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  EXPECT_TRUE(contains(e.message(),
                       "diagnosis verdict is data_ruled_out (cause termination): the data is not the "
                       "problem; no plan"))
      << e.message();
  EXPECT_EQ(e.where().file, diagnosis);
}

TEST(PlanBuilder, RefusesWhenNoSliceMapsToData) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  WeakSliceList w = diagnosis_slices({weak_slice("S1", {"output=option_letter"}, 50, 0.1, 0.6),
                                      weak_slice("S2", {"made_up_axis=thing"}, 30, 0.2, 0.5)});
  Error e = expect_error([&] { build_plan(w, builtin_mapping_rules(), corpus, nullptr, options_for(corpus)); });
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  EXPECT_TRUE(contains(e.message(), "no weak slice maps to data")) << e.message();
  EXPECT_TRUE(contains(e.message(), "S1 [output=option_letter] is not a data problem")) << e.message();
  EXPECT_TRUE(contains(e.message(), "S2 [made_up_axis=thing] matches no mapping rule")) << e.message();
}

MappingRules one_rule(const std::string& target) {
  return parse_mapping_rules(
      "[mapping]\nname = \"test\"\nversion = 1\n\n[[rules]]\nid = \"odd-rule\"\n"
      "when = \"operation=counting\"\ntarget = [" +
          target +
          "]\nweight = 1.0\n"
          "reason = \"for the test\"\n",
      "rules.toml");
}

TEST(PlanBuilder, RefusesARuleTagTheTaxonomyLacks) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
  Error e = expect_error([&] {
    build_plan(counting_weakness(), one_rule("\"math_subfield.astrology\""), corpus, &taxonomy, options_for(corpus));
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_TRUE(contains(e.message(), "mapping rule 'odd-rule' targets data tag 'math_subfield.astrology'"))
      << e.message();
  EXPECT_EQ(e.where().file, "rules.toml");
  EXPECT_EQ(e.where().line, 5);
}

// A tag the taxonomy declares but the corpus does not carry (found from the statistics, not assumed).
std::string tag_absent_from(const CorpusShards& corpus, const corpus::DataTaxonomy& taxonomy) {
  for (const auto& axis : taxonomy.axes)
    for (const auto& tag : axis.tags)
      if (!corpus.merged.tags.count(axis.name + "__" + tag)) return axis.name + "." + tag;
  return "";
}

TEST(PlanBuilder, RefusesWhenEveryTargetCategoryIsEmpty) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
  const std::string absent = tag_absent_from(corpus, taxonomy);
  ASSERT_FALSE(absent.empty()) << "every tag of the taxonomy occurs in the test corpus";
  Error e = expect_error(
      [&] { build_plan(counting_weakness(), one_rule("\"" + absent + "\""), corpus, &taxonomy, options_for(corpus)); });
  EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  EXPECT_TRUE(contains(e.message(), "'odd-rule'")) << e.message();
  EXPECT_TRUE(contains(e.message(), "no document of the corpus carries " + absent)) << e.message();
}

TEST(PlanBuilder, DropsAnEmptyCategoryWithANoteAndKeepsTheOthers) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
  const std::string absent = tag_absent_from(corpus, taxonomy);
  ASSERT_FALSE(absent.empty());
  const MappingRules rules = parse_mapping_rules(
      "[mapping]\nname = \"test\"\nversion = 1\n\n"
      "[[rules]]\nid = \"empty-rule\"\nwhen = \"operation=counting\"\ntarget = [\"" +
          absent +
          "\"]\n"
          "reason = \"for the test\"\n\n"
          "[[rules]]\nid = \"full-rule\"\nwhen = \"operation=counting\"\n"
          "target = [\"math_subfield.counting_probability\"]\nreason = \"for the test\"\n\n"
          "[[rules]]\nid = \"algebra-empty\"\nwhen = \"operation=algebra\"\ntarget = [\"" +
          absent +
          "\"]\n"
          "reason = \"for the test\"\n",
      "rules.toml");
  const MixturePlan plan = build_plan(counting_weakness(), rules, corpus, &taxonomy, options_for(corpus));
  std::vector<std::string> targets;
  for (const PlanStream& s : plan.streams)
    if (s.kind == StreamKind::kTarget) targets.push_back(s.name);
  EXPECT_EQ(targets, std::vector<std::string>{"target:math_subfield__counting_probability"});
  EXPECT_EQ(plan.slices[0].status, SliceStatus::kMapped);       // S1 keeps its non-empty category
  EXPECT_EQ(plan.slices[2].status, SliceStatus::kNoDocuments);  // S3's only category is empty
  bool noted = false;
  for (const std::string& n : plan.notes) noted = noted || contains(n, "no document of the corpus carries " + absent);
  EXPECT_TRUE(noted);
  for (const PlanHypothesis& h : plan.hypotheses) EXPECT_NE(h.items, counting_weakness().slices[2].items);
}

TEST(PlanBuilder, RefusesABudgetTheCorpusCannotFill) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  PlanOptions o = options_for(corpus);
  const int64_t M = static_cast<int64_t>(corpus.merged.total.tokens);
  o.max_epochs = 2;
  o.budget_tokens = 2 * M + 1;
  Error e = expect_error([&] { counting_plan(corpus, o); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_TRUE(contains(e.message(), fmt::format("budget {} tokens cannot be filled: corpus has {} tokens, max_epochs 2 "
                                                "allows at most {}",
                                                2 * M + 1, M, 2 * M)))
      << e.message();
  o.budget_tokens = 2 * M;  // exactly max_epochs passes is allowed
  EXPECT_NO_THROW(counting_plan(corpus, o));
}

TEST(PlanBuilder, RefusesBadOptions) {
  REQUIRE_SHARED_DATA();
  const CorpusShards corpus = real_corpus();
  auto usage = [&](const std::function<void(PlanOptions&)>& change, const std::string& option) {
    PlanOptions o = options_for(corpus);
    change(o);
    Error e = expect_error([&] { counting_plan(corpus, o); });
    EXPECT_EQ(e.kind(), ErrorKind::kUsage) << option;
    EXPECT_TRUE(contains(e.message(), option)) << e.message();
  };
  usage([](PlanOptions& o) { o.budget_tokens = 0; }, "--budget-tokens");
  usage([](PlanOptions& o) { o.max_epochs = 0; }, "--max-epochs");
  usage([](PlanOptions& o) { o.max_category_share = 1.5; }, "--max-category-share");
  usage([](PlanOptions& o) { o.min_base_share = -0.1; }, "--min-base-share");
  usage([](PlanOptions& o) { o.power = 0.3; }, "power");
  usage([](PlanOptions& o) { o.base_axis = "topic"; }, "--base-axis");  // exclusive but no default tag
  usage([](PlanOptions& o) { o.base_axis = "no_such_axis"; }, "--base-axis");
}

}  // namespace
}  // namespace caploop
