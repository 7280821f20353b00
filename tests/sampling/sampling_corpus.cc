#include "sampling_corpus.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "core/json_writer.h"
#include "corpus/compressed_writer.h"
#include "corpus/data_taxonomy.h"
#include "corpus/tag_run.h"
#include "io/line_reader.h"
#include "mixture/corpus_shards.h"
#include "sampling/sample_paths.h"

namespace caploop::sampling::testing {

namespace fs = std::filesystem;
using caploop::testing::shared_data_dir;
using caploop::testing::TempDir;

namespace {

// Writes the MATH test solutions as {"id","text"} documents into four shards, two of them zstd-compressed.
void write_math_shards(const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::string> docs;
  LineReader reader(shared_data_dir() / "math/math_full_test/test.jsonl");
  simdjson::dom::parser parser;
  std::string_view line;
  while (reader.next(line)) {
    simdjson::dom::element record = parser.parse(std::string(line));
    std::string doc = "{\"id\":";
    append_json_string(doc, "math-" + std::to_string(int64_t(record["idx"])));
    doc += ",\"text\":";
    append_json_string(doc, std::string_view(record["solution"]));
    doc += "}\n";
    docs.push_back(std::move(doc));
  }
  const size_t parts = 4;
  for (size_t p = 0; p < parts; ++p) {
    const fs::path file = dir / ("part-" + std::to_string(p) + (p < 2 ? ".jsonl" : ".jsonl.zst"));
    corpus::CompressedWriter w(file, file);
    for (size_t i = p * docs.size() / parts; i < (p + 1) * docs.size() / parts; ++i) w.write(docs[i]);
    w.close();
  }
}

int64_t pair_tokens(const corpus::CorpusStats& s, const std::vector<std::string>& tags) {
  if (tags.size() == 1) {
    auto it = s.tags.find(tags[0]);
    return it == s.tags.end() ? 0 : static_cast<int64_t>(it->second.tokens);
  }
  for (const std::string& key : {tags[0] + "|" + tags[1], tags[1] + "|" + tags[0]}) {
    auto it = s.cooccurrence.find(key);
    if (it != s.cooccurrence.end()) return static_cast<int64_t>(it->second.tokens);
  }
  return 0;
}

int64_t pair_docs(const corpus::CorpusStats& s, const std::vector<std::string>& tags) {
  if (tags.size() == 1) {
    auto it = s.tags.find(tags[0]);
    return it == s.tags.end() ? 0 : static_cast<int64_t>(it->second.docs);
  }
  for (const std::string& key : {tags[0] + "|" + tags[1], tags[1] + "|" + tags[0]}) {
    auto it = s.cooccurrence.find(key);
    if (it != s.cooccurrence.end()) return static_cast<int64_t>(it->second.docs);
  }
  return 0;
}

// A plan made by hand (as `caploop plan` would lay it out): quota = factor x available tokens per stream.
MixturePlan make_plan(const CorpusShards& shards) {
  struct Spec {
    std::string name;
    StreamKind kind;
    std::vector<std::string> tags;
    double factor;
  };
  std::vector<Spec> specs;
  for (const auto& [tag, counts] : shards.merged.tags)
    if (tag.rfind("source__", 0) == 0) specs.push_back({"base:" + tag, StreamKind::kBase, {tag}, 0.3});
  specs.push_back({kCountingStream, StreamKind::kTarget, {"math_subfield__counting_probability"}, 2.5});
  specs.push_back({kWorkedProbabilityStream,
                   StreamKind::kTarget,
                   {"capability__worked_solution", "math_operation__probability_computation"},
                   0.6});

  MixturePlan plan;
  plan.options.max_epochs = 4.0;
  plan.options.max_category_share = 0.4;
  plan.options.min_base_share = 0.5;
  plan.corpus.stats_dirs = shards.stats_dirs;
  plan.corpus.taxonomy = shards.merged.taxonomy;
  plan.corpus.tokenizer = shards.merged.tokenizer;
  plan.corpus.docs = static_cast<int64_t>(shards.merged.total.docs);
  plan.corpus.tokens = static_cast<int64_t>(shards.merged.total.tokens);
  for (const ShardStatistics& s : shards.shards) {
    PlanShard ps;
    ps.path = s.path;
    ps.stats_file = s.stats_file;
    ps.checksum = s.checksum;
    ps.lines = static_cast<int64_t>(s.stats.lines);
    ps.docs = static_cast<int64_t>(s.stats.total.docs);
    ps.tokens = static_cast<int64_t>(s.stats.total.tokens);
    for (const Spec& spec : specs)
      if (int64_t t = pair_tokens(s.stats, spec.tags); t > 0) ps.stream_tokens[spec.name] = t;
    plan.corpus.shards.push_back(std::move(ps));
  }
  for (const Spec& spec : specs) {
    PlanStream st;
    st.name = spec.name;
    st.kind = spec.kind;
    st.tags = spec.tags;
    st.available_tokens = pair_tokens(shards.merged, spec.tags);
    st.available_docs = pair_docs(shards.merged, spec.tags);
    st.quota_tokens = std::llround(spec.factor * static_cast<double>(st.available_tokens));
    st.full_epochs = st.quota_tokens / st.available_tokens;
    st.remainder_tokens = st.quota_tokens % st.available_tokens;
    (spec.kind == StreamKind::kBase ? plan.base_tokens : plan.target_tokens) += st.quota_tokens;
    plan.streams.push_back(std::move(st));
  }
  plan.options.budget_tokens = plan.base_tokens + plan.target_tokens;
  for (PlanStream& st : plan.streams) {
    st.share = static_cast<double>(st.quota_tokens) / static_cast<double>(plan.options.budget_tokens);
    st.epochs = static_cast<double>(st.quota_tokens) / static_cast<double>(st.available_tokens);
  }
  return plan;
}

void read_ground_truth(SamplingCorpus& c) {
  simdjson::dom::parser parser;
  for (const fs::path& input : corpus::list_corpus_inputs({c.inputs})) {
    const std::string shard = corpus::mirrored_path(input).string();
    LineReader docs(input), attrs(c.tags / shard);
    std::string_view doc, row;
    while (docs.next(doc)) {
      if (!attrs.next(row)) throw std::runtime_error("attribute file shorter than " + input.string());
      const auto key = std::make_pair(shard, docs.line_number());
      c.lines[key] = std::string(doc);
      simdjson::dom::element d = parser.parse(std::string(doc));
      c.tokens[key] = static_cast<int64_t>((std::string_view(d["text"]).size() + 3) / 4);
      simdjson::dom::element a = parser.parse(std::string(row));
      for (auto [name, value] : simdjson::dom::object(a["attributes"])) c.attributes[key].insert(std::string(name));
    }
  }
}

}  // namespace

const SamplingCorpus& sampling_corpus() {
  static TempDir dir;  // removed when the test program exits
  static const SamplingCorpus corpus = [] {
    SamplingCorpus c;
    c.root = dir.path();
    c.inputs = c.root / "in";
    c.tags = c.root / "tags";
    write_math_shards(c.inputs / "math");
    fs::create_directories(c.inputs / "dj");
    for (auto& e : fs::directory_iterator(shared_data_dir() / "corpus/data_juicer"))
      if (e.path().extension() == ".jsonl") fs::copy_file(e.path(), c.inputs / "dj" / e.path().filename());
    corpus::TagRunOptions o;
    o.taxonomy = std::make_shared<const corpus::DataTaxonomy>(corpus::builtin_data_taxonomy());
    o.out_dir = c.tags;
    o.inputs = {c.inputs};
    o.threads = 2;
    corpus::run_corpus_tag(o);
    c.plan = make_plan(read_corpus_shards({c.tags.string()}));
    c.plan_file = c.root / "plan.json";
    caploop::testing::write_file(c.plan_file, plan_to_json(c.plan));
    read_ground_truth(c);
    return c;
  }();
  return corpus;
}

std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = caploop::testing::read_file(e.path());
  return out;
}

std::vector<std::string> lines_of(const fs::path& file) {
  LineReader r(file);
  std::vector<std::string> out;
  std::string_view l;
  while (r.next(l)) out.emplace_back(l);
  return out;
}

std::vector<ManifestRow> read_manifest(const fs::path& file) {
  simdjson::dom::parser parser;
  std::vector<ManifestRow> rows;
  for (const std::string& line : lines_of(file)) {
    simdjson::dom::element e = parser.parse(line);
    ManifestRow r;
    r.id_json = simdjson::minify(e["id"]);
    r.shard = std::string(std::string_view(e["shard"]));
    r.line = int64_t(e["line"]);
    r.stream = std::string(std::string_view(e["stream"]));
    r.epoch = int64_t(e["epoch"]);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<SampledLine> sampled_lines(const SamplingCorpus& corpus, const fs::path& out_dir) {
  std::vector<SampledLine> out;
  for (const PlanShard& shard : corpus.plan.corpus.shards) {
    const SamplePaths paths = sample_paths(out_dir, shard.path);
    if (!fs::exists(paths.output)) continue;
    std::vector<std::string> text = lines_of(paths.output);
    std::vector<ManifestRow> rows = read_manifest(paths.manifest);
    EXPECT_EQ(text.size(), rows.size()) << "output and manifest of " << shard.path << " differ in length";
    for (size_t i = 0; i < std::min(text.size(), rows.size()); ++i) out.push_back({text[i], rows[i]});
  }
  return out;
}

}  // namespace caploop::sampling::testing
