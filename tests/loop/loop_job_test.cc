// The whole loop on the bundled example (examples/loop.toml, real BBH and MATH outputs with derived candidates,
// real corpus documents; no ../shared needed): the runaway candidate rules data out with no plan; the candidate
// weak on counting and probability gets a plan that raises counting and probability mathematics, a sample that
// matches the plan's target quotas, and a confirmed verification; a rerun gives byte-identical files.
#include "loop/loop_job.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/line_reader.h"
#include "loop/loop_config.h"
#include "mixture/mixture_plan.h"
#include "test_support.h"

namespace caploop {
namespace {
namespace fs = std::filesystem;
using testing::read_file;
using testing::source_dir;
using testing::TempDir;
using testing::write_file;

const fs::path& example_config() {
  static const fs::path p = source_dir() / "examples" / "loop.toml";
  return p;
}

// Every output file except the SQLite workspace, relative path -> bytes.
std::map<std::string, std::string> snapshot(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), out).generic_string();
    if (rel.starts_with("caploop.db")) continue;
    files[rel] = read_file(e.path());
  }
  return files;
}

// The ids ("math:<idx>") of the items whose responses differ between two Qwen output files.
std::set<std::string> changed_math_items(const fs::path& a, const fs::path& b) {
  auto read = [](const fs::path& p) {
    std::map<std::string, std::string> responses;
    LineReader reader(p);
    simdjson::dom::parser parser;
    std::string_view line;
    while (reader.next(line)) {
      simdjson::dom::element doc = parser.parse(line.data(), line.size());
      std::string all;
      for (simdjson::dom::element r : doc["code"].get_array()) all += std::string(r.get_string().value()) + "\x1e";
      responses["math:" + std::to_string(int64_t(doc["idx"]))] = all;
    }
    return responses;
  };
  const auto ra = read(a), rb = read(b);
  std::set<std::string> changed;
  for (const auto& [id, text] : ra)
    if (rb.at(id) != text) changed.insert(id);
  return changed;
}

// One loop run shared by the checks below (a test process runs the loop once, then once more for the rerun).
struct ExampleLoop {
  TempDir tmp;
  LoopConfig config;
  LoopOutcome outcome;

  ExampleLoop() : config(load_loop_config(example_config())) {
    config.out = tmp.path() / "out";
    config.workspace = config.out / "caploop.db";
    outcome = run_loop(config);
  }
  fs::path out() const { return config.out; }
  const LoopComparisonOutcome& comparison(const std::string& name) const {
    for (const auto& c : outcome.comparisons)
      if (c.comparison.name == name) return c;
    throw std::runtime_error("no comparison " + name);
  }
};

void check_runaway_rules_data_out_without_plan(const ExampleLoop& loop) {
  const auto& c = loop.comparison("runaway");
  EXPECT_EQ(c.diagnosis.verdict, Verdict::kDataRuledOut);
  EXPECT_EQ(c.diagnosis.cause, Cause::kTermination);
  simdjson::dom::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load((loop.out() / "runaway/diagnosis.json").string());
  simdjson::dom::element d = parser.parse(json);
  EXPECT_EQ(std::string_view(d["verdict"]), "data_ruled_out");
  EXPECT_EQ(std::string_view(d["cause"]), "termination");
  EXPECT_TRUE(fs::exists(loop.out() / "runaway/diagnosis.md"));
  for (const char* f : {"plan.json", "mapping.json", "sample", "verify.json"})
    EXPECT_FALSE(fs::exists(loop.out() / "runaway" / f)) << f;
}

void check_counting_plan_raises_counting_probability(const ExampleLoop& loop) {
  const auto& c = loop.comparison("counting");
  ASSERT_EQ(c.diagnosis.verdict, Verdict::kDataRuledIn) << c.diagnosis.reason;
  ASSERT_TRUE(c.plan) << c.plan_refused;
  const MixturePlan plan = read_plan((loop.out() / "counting/plan.json").string());
  // The weak slices the plan targets hold only items the derivation made wrong (read from the data files).
  const fs::path data = source_dir() / "examples/data/math";
  const std::set<std::string> changed = changed_math_items(data / "qwen25math-cot/math_cot_100.jsonl.zst",
                                                           data / "qwen25math-cot-cp-weak/math_cot_100.jsonl.zst");
  EXPECT_EQ(changed.size(), 9u);
  int targets = 0;
  for (const PlanHypothesis& h : plan.hypotheses) {
    if (h.kind != "target") continue;
    ++targets;
    ASSERT_FALSE(h.items.empty());
    for (const std::string& item : h.items) EXPECT_TRUE(changed.contains(item)) << item;
  }
  EXPECT_GE(targets, 1);
  // The counting and probability stream gets a larger share of the budget than of the corpus.
  const PlanStream* cp = nullptr;
  for (const PlanStream& s : plan.streams)
    if (s.kind == StreamKind::kTarget && s.name.find("math_subfield__counting_probability") != std::string::npos)
      cp = &s;
  ASSERT_NE(cp, nullptr);
  const double quota_share = static_cast<double>(cp->quota_tokens) / static_cast<double>(plan.options.budget_tokens);
  const double natural_share = static_cast<double>(cp->available_tokens) / static_cast<double>(plan.corpus.tokens);
  std::printf("[ figures  ] counting_probability stream: quota share %.3f, natural share %.3f\n", quota_share,
              natural_share);
  EXPECT_GT(quota_share, natural_share);
  ASSERT_FALSE(cp->links.empty());
  EXPECT_TRUE(cp->links[0].matched_tag.starts_with("operation=counting"));
  int64_t sum = 0;
  for (const PlanStream& s : plan.streams) sum += s.quota_tokens;
  EXPECT_EQ(sum, plan.options.budget_tokens);
  EXPECT_TRUE(fs::exists(loop.out() / "counting/plan.md"));
  EXPECT_TRUE(fs::exists(loop.out() / "counting/mapping.json"));
}

void check_sample_matches_target_quotas(const ExampleLoop& loop) {
  const auto& c = loop.comparison("counting");
  ASSERT_TRUE(c.sample);
  EXPECT_TRUE(c.sample->complete);
  simdjson::dom::parser parser;
  simdjson::padded_string json =
      simdjson::padded_string::load((loop.out() / "counting/sample/composition.json").string());
  simdjson::dom::element comp = parser.parse(json);
  int64_t drawn = 0, quota = 0;
  for (simdjson::dom::element s : comp["streams"].get_array()) {
    const int64_t q = int64_t(s["quota_tokens"]), d = int64_t(s["drawn_tokens"]);
    drawn += d;
    quota += q;
    if (std::string_view(s["kind"]) == "target") {
      EXPECT_LE(std::abs(static_cast<double>(d - q)), 0.01 * static_cast<double>(q)) << std::string_view(s["name"]);
    }
  }
  EXPECT_EQ(quota, c.plan->options.budget_tokens);
  EXPECT_LE(std::abs(static_cast<double>(drawn - quota)), 0.01 * static_cast<double>(quota));
}

// Ground truth the taggers never saw: MATH's own `type` field of the documents drawn. Counting & Probability
// solutions are 2.8% of the corpus bytes; the plan gives the two counting streams over 40% of the budget, so
// even with imperfect tagging the sample must hold several times the corpus share.
void check_sample_is_rich_in_counting_math_and_decontaminated(const ExampleLoop& loop) {
  std::set<std::string> evaluated;
  {
    LineReader reader(source_dir() / "examples/data/math/qwen25math-cot/math_cot_100.jsonl.zst");
    simdjson::dom::parser parser;
    std::string_view line;
    while (reader.next(line))
      evaluated.insert(std::string(parser.parse(line.data(), line.size())["question"].get_string().value()));
  }
  ASSERT_EQ(evaluated.size(), 100u);
  auto share = [&](const fs::path& dir, bool check_decontamination) {
    int64_t cp = 0, total = 0;
    simdjson::dom::parser parser;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || !name.ends_with(".jsonl.zst")) continue;
      LineReader reader(e.path());
      std::string_view line;
      while (reader.next(line)) {
        simdjson::dom::element doc = parser.parse(line.data(), line.size());
        const std::string_view text = doc["text"].get_string().value();
        total += static_cast<int64_t>(text.size());
        std::string_view type;
        if (doc["type"].get(type) == simdjson::SUCCESS && type == "Counting & Probability")
          cp += static_cast<int64_t>(text.size());
        if (check_decontamination) {
          for (const std::string& q : evaluated) EXPECT_FALSE(text.starts_with(q)) << "evaluated problem in the sample";
        }
      }
    }
    return static_cast<double>(cp) / static_cast<double>(total);
  };
  const double corpus_share = share(source_dir() / "examples/data/corpus", false);
  const double sample_share = share(loop.out() / "counting/sample", true);
  std::printf("[ figures  ] MATH Counting & Probability bytes: corpus %.3f, sample %.3f\n", corpus_share, sample_share);
  EXPECT_GT(sample_share, 3.0 * corpus_share);
}

void check_verification_confirmed(const ExampleLoop& loop) {
  const auto& c = loop.comparison("counting");
  ASSERT_TRUE(c.verification);
  simdjson::dom::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load((loop.out() / "counting/verify.json").string());
  simdjson::dom::element v = parser.parse(json);
  EXPECT_EQ(std::string_view(v["verdict"]), "confirmed");
  EXPECT_EQ(std::string_view(v["baseline"]), "qwen-math-cp-weak");
  EXPECT_EQ(std::string_view(v["candidate"]), "qwen-math-after");
}

void check_report_walks_from_verdict_to_tokens(const ExampleLoop& loop) {
  const std::string html = read_file(loop.out() / "report.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("data_ruled_out (cause: termination)"), std::string::npos);
  EXPECT_NE(html.find("operation=counting.case_enumeration"), std::string::npos);
  EXPECT_NE(html.find("math_subfield__counting_probability"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("href=\"counting/plan.json\""), std::string::npos);
}

void check_rerun_is_byte_identical(const ExampleLoop& loop) {
  const auto before = snapshot(loop.out());
  ASSERT_GT(before.size(), 20u);
  const LoopOutcome again = run_loop(loop.config);
  for (const auto& r : again.runs) EXPECT_FALSE(r.ingested) << r.name;
  ASSERT_TRUE(again.corpus);
  EXPECT_EQ(again.corpus->shards_tagged, 0);
  const auto after = snapshot(loop.out());
  ASSERT_EQ(before.size(), after.size());
  for (const auto& [file, bytes] : before) {
    auto it = after.find(file);
    ASSERT_NE(it, after.end()) << file;
    EXPECT_TRUE(it->second == bytes) << file << " changed on rerun";
  }
}

// A user's files beside the loop's outputs, named like them or inside the sample folder, survive a rerun: the
// loop removes only the files it recorded in loop-outputs.txt.
void check_planted_files_survive_a_rerun(const ExampleLoop& loop) {
  const std::vector<fs::path> planted = {loop.out() / "runaway/plan.json", loop.out() / "runaway/sample/mine.txt",
                                         loop.out() / "counting/sample/notes.md", loop.out() / "counting/notes.md"};
  for (const fs::path& f : planted) write_file(f, "the user's");
  run_loop(loop.config);
  for (const fs::path& f : planted) {
    ASSERT_TRUE(fs::exists(f)) << f << " was removed";
    EXPECT_EQ(read_file(f), "the user's") << f;
  }
  EXPECT_TRUE(fs::exists(loop.out() / "counting/sample/composition.json"));
}

TEST(LoopOnExample, BundledExampleOutcomesAndByteIdenticalRerun) {
  const ExampleLoop loop;
  check_runaway_rules_data_out_without_plan(loop);
  check_counting_plan_raises_counting_probability(loop);
  check_sample_matches_target_quotas(loop);
  check_sample_is_rich_in_counting_math_and_decontaminated(loop);
  check_verification_confirmed(loop);
  check_report_walks_from_verdict_to_tokens(loop);
  check_rerun_is_byte_identical(loop);
  check_planted_files_survive_a_rerun(loop);
}

// Data ruled in but nothing to plan from: the loop maps the slices, says why there is no plan, and goes on.
TEST(LoopWithoutCorpus, MapsTheWeakSlicesAndRecordsWhyThereIsNoPlan) {
  TempDir tmp;
  const fs::path math = source_dir() / "examples/data/math";
  std::string runs;
  for (const char* name : {"qwen25math-cot", "qwen25math-cot-cp-weak"}) {
    runs +=
        std::string("[[runs]]\nname = \"") + name + "\"\npaths = [\"" +
        (math / name / "math_cot_100.jsonl.zst").string() +
        "\"]\nbenchmark = \"math\"\nid = \"/idx\"\ninput = \"/question\"\nresponses = \"/code\"\ntarget = \"/gt\"\n\n";
  }
  testing::write_file(tmp / "loop.toml", "[loop]\nout = \"out\"\n\n" + runs +
                                             "[[comparisons]]\nname = \"counting\"\nbaseline = \"qwen25math-cot\"\n"
                                             "candidate = \"qwen25math-cot-cp-weak\"\n\n[diagnose]\nmin_support = 4\n");
  const LoopConfig config = load_loop_config(tmp / "loop.toml");
  const LoopOutcome outcome = run_loop(config);
  ASSERT_EQ(outcome.comparisons.size(), 1u);
  const LoopComparisonOutcome& c = outcome.comparisons[0];
  EXPECT_EQ(c.diagnosis.verdict, Verdict::kDataRuledIn);
  EXPECT_FALSE(c.plan);
  EXPECT_NE(c.plan_refused.find("[corpus]"), std::string::npos) << c.plan_refused;
  EXPECT_TRUE(fs::exists(tmp / "out/counting/mapping.json"));
  EXPECT_FALSE(fs::exists(tmp / "out/counting/plan.json"));
  const std::string html = read_file(tmp / "out/report.html");
  EXPECT_NE(html.find("No plan: no [corpus]"), std::string::npos);
}

}  // namespace
}  // namespace caploop
