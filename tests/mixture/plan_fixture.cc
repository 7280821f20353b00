#include "plan_fixture.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <memory>

#include "core/json_writer.h"
#include "corpus/tag_run.h"
#include "io/line_reader.h"
#include "test_support.h"

namespace caploop::testing {

namespace fs = std::filesystem;

namespace {

struct TaggedCorpus {
  TempDir dir;
  fs::path docs, stats;
};

// MATH test problems [first, last) as documents {"id", "text": problem + worked solution}.
void write_math_documents(const fs::path& out, size_t first, size_t last) {
  LineReader reader(shared_data_dir() / "math/math_full_test/test.jsonl");
  simdjson::dom::parser parser;
  std::string text;
  std::string_view line;
  size_t index = 0;
  while (reader.next(line) && index < last) {
    if (index++ < first) continue;
    simdjson::dom::element row = parser.parse(std::string(line));
    JsonWriter w;
    w.begin_object();
    w.field("id", "math-" + std::to_string(index - 1));
    w.field("text", std::string(row["problem"].get_string().value()) + "\n\n" +
                        std::string(row["solution"].get_string().value()));
    w.end_object();
    text += w.str() + "\n";
  }
  write_file(out, text);
}

TaggedCorpus& corpus() {
  static std::unique_ptr<TaggedCorpus> c = [] {
    auto t = std::make_unique<TaggedCorpus>();
    t->docs = t->dir / "docs";
    t->stats = t->dir / "tags";
    fs::create_directories(t->docs / "math");
    fs::create_directories(t->docs / "web");
    write_math_documents(t->docs / "math/solutions_a.jsonl", 0, 700);
    write_math_documents(t->docs / "math/solutions_b.jsonl", 700, 1400);
    for (const char* name :
         {"arxiv.jsonl", "redpajama-cc-2023-06-refined.jsonl", "stack_exchange.jsonl", "redpajama-c4-refined.jsonl"})
      fs::copy_file(shared_data_dir() / "corpus/data_juicer" / name, t->docs / "web" / name);
    corpus::TagRunOptions o;
    o.taxonomy = std::make_shared<const corpus::DataTaxonomy>(corpus::builtin_data_taxonomy());
    o.out_dir = t->stats;
    o.inputs = {t->docs};
    o.threads = 2;
    corpus::run_corpus_tag(o);
    return t;
  }();
  return *c;
}

}  // namespace

const fs::path& tagged_corpus_stats_dir() { return corpus().stats; }
const fs::path& tagged_corpus_docs_dir() { return corpus().docs; }

std::vector<std::string> numbered_items(const std::string& task, int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back(task + ":" + std::to_string(i));
  return out;
}

WeakSlice weak_slice(std::string id, std::vector<std::string> tags, int64_t n, double severity, double accuracy) {
  WeakSlice s;
  s.id = std::move(id);
  s.tags = std::move(tags);
  s.n = n;
  s.severity = severity;
  s.baseline_accuracy = accuracy;
  s.q_value = 0.001;
  s.items = numbered_items(s.id, static_cast<int>(n));
  return s;
}

WeakSliceList diagnosis_slices(std::vector<WeakSlice> slices) {
  WeakSliceList w;
  w.source.file = "diagnosis.json";
  w.source.kind = "diagnosis";
  w.source.verdict = Verdict::kDataRuledIn;
  w.source.baseline = "base-run";
  w.source.candidate = "cand-run";
  w.source.checksum = "0000000000000000";
  w.slices = std::move(slices);
  return w;
}

std::string diagnosis_json(const std::string& verdict, const std::string& cause, const std::vector<WeakSlice>& slices) {
  JsonWriter w(true);
  w.begin_object();
  w.field("baseline", "base-run");
  w.field("candidate", "cand-run");
  w.field("verdict", verdict);
  w.field("cause", cause);
  w.key("slices").begin_array();
  for (const WeakSlice& s : slices) {
    w.begin_object();
    w.key("tags").begin_array();
    for (const auto& t : s.tags) w.value(t);
    w.end_array();
    w.field("n", s.n);
    w.field("base_accuracy", s.baseline_accuracy + s.severity);
    w.field("cand_accuracy", s.baseline_accuracy);
    w.field("delta", -s.severity);
    w.key("ci").begin_array().value(-s.severity - 0.05).value(-s.severity + 0.05).end_array();
    w.field("p_value", 0.0005);
    w.field("q_value", s.q_value);
    w.key("items").begin_array();
    for (const auto& i : s.items) w.value(i);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("evidence").begin_object().end_object();
  w.end_object();
  return w.str() + "\n";
}

}  // namespace caploop::testing
