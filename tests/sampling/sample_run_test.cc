// The sample run on a real tagged corpus (MATH solutions and data-juicer samples): quotas met per stream, whole
// epochs, caps, determinism across seeds, threads and shares, resuming, and clear errors when the corpus, its
// attributes or the tokenizer no longer match the plan. Expectations are computed from the documents and
// attribute rows directly (sampling_corpus.h), not from the sampler's own counts.
#include "sampling/sample_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "cluster/process_group.h"
#include "core/error.h"
#include "io/line_reader.h"
#include "sampling/sample_paths.h"
#include "sampling_corpus.h"

namespace caploop::sampling {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::TempDir;
using caploop::testing::write_file;
using testing::SampledLine;
using testing::sampling_corpus;
using testing::tree;

SampleRunOptions options_for(const testing::SamplingCorpus& c, const fs::path& out, uint64_t seed) {
  SampleRunOptions o;
  o.plan = c.plan;
  o.plan_file = c.plan_file.string();
  o.seed = seed;
  o.out_dir = out;
  o.inputs = {c.inputs};
  o.threads = 2;
  return o;
}

SampleRunReport run(const SampleRunOptions& o) { return run_sample(o, ProcessGroup::current()); }

// Where a stream's documents are in the ground truth: (shard, line) of every member.
std::set<std::pair<std::string, int64_t>> members_of(const testing::SamplingCorpus& c, const PlanStream& s) {
  std::set<std::pair<std::string, int64_t>> out;
  for (const auto& [key, attrs] : c.attributes) {
    bool all = true;
    for (const std::string& t : s.tags) all = all && attrs.count(t);
    if (all) out.insert(key);
  }
  return out;
}

// Per stream, the largest possible miss: half the largest document of the stream in each shard (token_draw.h).
int64_t miss_bound(const testing::SamplingCorpus& c, const PlanStream& s) {
  std::map<std::string, int64_t> largest;
  for (const auto& key : members_of(c, s)) largest[key.first] = std::max(largest[key.first], c.tokens.at(key));
  int64_t bound = 0;
  for (const auto& [shard, t] : largest) bound += (t + 1) / 2;
  return bound;
}

TEST(SampleRun, DrawsEveryStreamToItsQuotaInWholeEpochs) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  SampleRunReport r = run(options_for(c, tmp / "out", 1));
  ASSERT_TRUE(r.wrote_composition);
  EXPECT_TRUE(r.composition.complete);
  EXPECT_EQ(r.shards_sampled.size(), c.plan.corpus.shards.size());

  std::vector<SampledLine> lines = testing::sampled_lines(c, tmp / "out");
  std::map<std::string, int64_t> drawn;  // ground-truth tokens per stream
  std::map<std::string, std::map<std::pair<std::string, int64_t>, std::set<int64_t>>> epochs;
  for (const SampledLine& l : lines) {
    const auto key = std::make_pair(l.row.shard, l.row.line);
    ASSERT_TRUE(c.lines.count(key)) << l.row.shard << ":" << l.row.line;
    EXPECT_EQ(l.text, c.lines.at(key));               // the document verbatim
    if (l.text.find("\"id\":") != std::string::npos)  // the document's id, else its line number
      EXPECT_NE(l.text.find("\"id\":" + l.row.id_json), std::string::npos)
          << l.text.substr(0, 80) << " vs " << l.row.id_json;
    else
      EXPECT_EQ(l.row.id_json, "\"" + std::to_string(l.row.line) + "\"");
    drawn[l.row.stream] += c.tokens.at(key);
    EXPECT_TRUE(epochs[l.row.stream][key].insert(l.row.epoch).second) << "drawn twice in one epoch";
  }
  int64_t all_drawn = 0;
  for (size_t k = 0; k < c.plan.streams.size(); ++k) {
    const PlanStream& s = c.plan.streams[k];
    const StreamComposition& sc = r.composition.streams[k];
    SCOPED_TRACE(s.name);
    EXPECT_EQ(sc.drawn_tokens, drawn[s.name]);  // the composition counts what the outputs hold
    all_drawn += drawn[s.name];
    const int64_t miss = std::llabs(drawn[s.name] - s.quota_tokens);
    EXPECT_LE(miss, miss_bound(c, s)) << "drawn " << drawn[s.name] << " of quota " << s.quota_tokens;
    // Whole epochs: every member in epochs 1..F, some in F+1, nothing else; non-members never.
    const auto members = members_of(c, s);
    int64_t remainder_docs = 0;
    for (const auto& [key, es] : epochs[s.name]) {
      EXPECT_TRUE(members.count(key)) << key.first << ":" << key.second << " is not in the stream";
      EXPECT_LE(static_cast<int64_t>(es.size()), s.full_epochs + 1);
      EXPECT_EQ(*es.rbegin(), static_cast<int64_t>(es.size()));  // epochs 1..n without gaps
      remainder_docs += static_cast<int64_t>(es.size()) > s.full_epochs;
    }
    if (s.full_epochs > 0) {
      EXPECT_EQ(epochs[s.name].size(), members.size());
    }
    EXPECT_EQ(remainder_docs, sc.remainder_docs);
  }
  // The streams with many documents are within 1% of their quota; so is the whole budget.
  for (const std::string& name : {testing::kMathBaseStream, testing::kCountingStream}) {
    auto it = std::find_if(c.plan.streams.begin(), c.plan.streams.end(), [&](auto& s) { return s.name == name; });
    ASSERT_NE(it, c.plan.streams.end());
    EXPECT_LE(std::abs(static_cast<double>(drawn[name] - it->quota_tokens)),
              0.01 * static_cast<double>(it->quota_tokens))
        << name;
  }
  EXPECT_GE(c.plan.streams.back().available_docs, 100);
  EXPECT_LE(std::abs(static_cast<double>(all_drawn - c.plan.options.budget_tokens)),
            0.01 * static_cast<double>(c.plan.options.budget_tokens))
      << composition_to_json(r.composition);
  // The counting stream needs more than two epochs of its documents.
  auto counting = std::find_if(c.plan.streams.begin(), c.plan.streams.end(),
                               [](auto& s) { return s.name == testing::kCountingStream; });
  EXPECT_EQ(counting->full_epochs, 2);
}

TEST(SampleRun, CapsOfThePlanHoldInTheSample) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  SampleRunReport r = run(options_for(c, tmp / "out", 5));
  std::vector<SampledLine> lines = testing::sampled_lines(c, tmp / "out");
  std::map<std::pair<std::string, int64_t>, int64_t> base_draws;  // document -> draws in base streams
  for (const SampledLine& l : lines)
    if (l.row.stream.rfind("base:", 0) == 0) ++base_draws[{l.row.shard, l.row.line}];
  for (const PlanStream& s : c.plan.streams) {
    if (s.kind != StreamKind::kTarget) continue;
    SCOPED_TRACE(s.name);
    // Epochs of the stream's documents, target and base draws together, stay within max_epochs.
    int64_t tokens = 0;
    for (const SampledLine& l : lines)
      if (l.row.stream == s.name) tokens += c.tokens.at({l.row.shard, l.row.line});
    for (const auto& key : members_of(c, s))
      if (auto it = base_draws.find(key); it != base_draws.end()) tokens += it->second * c.tokens.at(key);
    EXPECT_LE(static_cast<double>(tokens) / static_cast<double>(s.available_tokens), c.plan.options.max_epochs);
    // And the stream's share of the sample stays within the category cap (1% tolerance of the draw).
    int64_t stream_tokens = 0;
    for (const SampledLine& l : lines)
      if (l.row.stream == s.name) stream_tokens += c.tokens.at({l.row.shard, l.row.line});
    EXPECT_LE(static_cast<double>(stream_tokens) / static_cast<double>(r.composition.drawn_tokens),
              c.plan.options.max_category_share * 1.01);
  }
}

TEST(SampleRun, SameSeedSameBytesWhateverTheThreadsDifferentSeedDifferentSample) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  SampleRunOptions one = options_for(c, tmp / "a", 11);
  one.threads = 1;
  run(one);
  SampleRunOptions three = options_for(c, tmp / "b", 11);
  three.threads = 3;
  run(three);
  const auto a = tree(tmp / "a");
  EXPECT_EQ(a.size(), 3 * c.plan.corpus.shards.size() + 1);  // output, manifest, done mark per shard + composition
  EXPECT_TRUE(a == tree(tmp / "b")) << "same seed, different bytes";

  run(options_for(c, tmp / "c", 12));
  auto draws = [&](const fs::path& out) {
    std::set<std::tuple<std::string, int64_t, std::string>> s;
    for (const SampledLine& l : testing::sampled_lines(c, out)) s.insert({l.row.shard, l.row.line, l.row.stream});
    return s;
  };
  const auto d11 = draws(tmp / "a"), d12 = draws(tmp / "c");
  EXPECT_NE(d11, d12);
  // Not a shifted copy either: a good part of the remainder draws differ.
  std::vector<std::tuple<std::string, int64_t, std::string>> only11;
  std::set_difference(d11.begin(), d11.end(), d12.begin(), d12.end(), std::back_inserter(only11));
  EXPECT_GT(only11.size(), d11.size() / 10);
}

TEST(SampleRun, SharesTogetherGiveTheBytesOfOneProcess) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  run(options_for(c, tmp / "whole", 3));
  for (int n : {2, 3}) {
    const fs::path out = tmp / ("shares" + std::to_string(n));
    for (int i = 0; i < n; ++i) {
      SampleRunOptions o = options_for(c, out, 3);
      o.share = {i, n};
      SampleRunReport r = run(o);
      EXPECT_EQ(r.composition.complete, i == n - 1);
    }
    EXPECT_TRUE(tree(tmp / "whole") == tree(out)) << n << " shares";
  }
}

TEST(SampleRun, ResumesDoneShardsAndRedrawsTheRest) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  run(options_for(c, tmp / "clean", 4));
  const auto clean = tree(tmp / "clean");
  run(options_for(c, tmp / "out", 4));
  // Shard 0 lost its done mark mid-write; shard 1's output was cut short after its mark was written by another seed.
  const SamplePaths p0 = sample_paths(tmp / "out", c.plan.corpus.shards[0].path);
  const SamplePaths p1 = sample_paths(tmp / "out", c.plan.corpus.shards[1].path);
  fs::remove(p0.done_mark);
  write_file(p0.output, "partial");
  std::string mark = read_file(p1.done_mark);
  mark.replace(mark.find("\"seed\": 4"), 9, "\"seed\": 5");
  write_file(p1.done_mark, mark);
  SampleRunReport r = run(options_for(c, tmp / "out", 4));
  EXPECT_EQ(r.shards_sampled, (std::vector<std::string>{c.plan.corpus.shards[0].path, c.plan.corpus.shards[1].path}));
  EXPECT_EQ(r.shards_resumed.size(), c.plan.corpus.shards.size() - 2);
  EXPECT_TRUE(clean == tree(tmp / "out"));
}

// Expects `f` to throw an Error of `kind` whose text contains every one of `words`.
template <typename F>
void expect_error(F f, ErrorKind kind, const std::vector<std::string>& words) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const auto& w : words)
      EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << w << " not in: " << e.what();
  }
}

bool folder_is_empty(const fs::path& p) { return !fs::exists(p) || fs::is_empty(p); }

TEST(SampleRun, ChangedStatisticsAreAConflictNamingTheFile) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  // A copy of the tag output whose statistics file of one shard is re-written (one byte more).
  fs::copy(c.tags, tmp / "tags", fs::copy_options::recursive);
  SampleRunOptions o = options_for(c, tmp / "out", 1);
  for (PlanShard& s : o.plan.corpus.shards) s.stats_file = (tmp / "tags" / fs::relative(s.stats_file, c.tags)).string();
  EXPECT_NO_THROW(sample_shards(o));
  const std::string altered = o.plan.corpus.shards[2].stats_file;
  write_file(altered, read_file(altered) + " ");
  o.out_dir = tmp / "out2";
  expect_error([&] { run(o); }, ErrorKind::kConflict, {"corpus statistics changed since the plan", altered});
  EXPECT_TRUE(folder_is_empty(tmp / "out2"));
  fs::remove(altered);
  expect_error([&] { run(o); }, ErrorKind::kNotFound, {altered});
}

TEST(SampleRun, InputsOutsideThePlanAreAConflict) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  write_file(tmp / "extra.jsonl", "{\"id\":\"x\",\"text\":\"not planned\"}\n");
  SampleRunOptions o = options_for(c, tmp / "out", 1);
  o.inputs.push_back(tmp / "extra.jsonl");
  expect_error([&] { run(o); }, ErrorKind::kConflict, {"shard not in plan", "extra.jsonl"});
  EXPECT_TRUE(folder_is_empty(tmp / "out"));
}

TEST(SampleRun, MissingOrMisalignedAttributesAreNamed) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  SampleRunOptions o = options_for(c, tmp / "out", 1);
  o.threads = 1;
  o.attributes_dir = tmp / "nothing";
  expect_error([&] { run(o); }, ErrorKind::kNotFound, {"attribute file of the shard is missing", "nothing"});

  // Rows 1 and 2 of the arXiv attribute file swapped: the ids no longer follow the documents.
  fs::copy(c.tags, tmp / "tags", fs::copy_options::recursive);
  const PlanShard& arxiv = *std::find_if(c.plan.corpus.shards.begin(), c.plan.corpus.shards.end(),
                                         [](const PlanShard& s) { return s.path.ends_with("dj/arxiv.jsonl"); });
  const fs::path attr = tmp / "tags" / arxiv.path;
  std::vector<std::string> rows = testing::lines_of(attr);
  std::swap(rows[0], rows[1]);
  std::string text;
  for (const auto& r : rows) text += r + "\n";
  write_file(attr, text);
  o.attributes_dir = tmp / "tags";
  expect_error([&] { run(o); }, ErrorKind::kInput, {attr.string() + ":1", "not aligned", "\"2\"", "\"1\""});
  // The last row missing: the attribute file ends before the documents.
  std::swap(rows[0], rows[1]);
  rows.pop_back();
  text.clear();
  for (const auto& r : rows) text += r + "\n";
  write_file(attr, text);
  expect_error([&] { run(o); }, ErrorKind::kInput,
               {attr.string() + ":" + std::to_string(rows.size() + 1), "attribute file ends after"});
}

TEST(SampleRun, DocumentsThatDisagreeWithThePlanAreAConflict) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  // The plan counted one line more than the shard has.
  SampleRunOptions o = options_for(c, tmp / "out", 1);
  o.threads = 1;
  o.plan.corpus.shards[0].lines += 1;
  expect_error([&] { run(o); }, ErrorKind::kConflict,
               {"lines but the plan counted", "the corpus changed since the plan"});
  // Tokens counted from another field than the tag run's text.
  o = options_for(c, tmp / "out", 1);
  o.inputs = {c.inputs / "math"};  // documents that all have a string id
  o.text_field = "id";
  expect_error([&] { run(o); }, ErrorKind::kConflict, {"tokens but the plan counted", "--text-field"});
  // Statistics counted by a tokenizer the run is not given.
  o = options_for(c, tmp / "out", 1);
  o.plan.corpus.tokenizer = "sentencepiece:m.model@0123456789abcdef";
  expect_error([&] { run(o); }, ErrorKind::kConflict, {"sentencepiece:m.model", "--tokenizer"});
}

}  // namespace
}  // namespace caploop::sampling
