// Benchmark: the planted-weakness protocol of EvalTree (Zeng et al. 2025) on the 5,000 MATH test problems, and
// the time and memory of mining one million responses.
//
// Accuracy mode: tags every problem with the built-in rules, plants weak sets (by subject, by subject and
// level, by problem content), draws one outcome per item with P(correct) = 0.7 * d^h (h = planted sets the
// item is in) for d in {0.2, 0.4, 0.5} over several seeds, mines weaknesses (orders <= 3, min support 20,
// BH at 0.05) and prints instance-level precision, recall and F1 of the union of reported items against the
// union of planted sets, averaged over seeds, with the mean mining time. The same for `diagnose` on paired
// runs (a baseline at 0.7, a candidate that loses right answers of planted items at d^h, 5% symmetric noise):
// F1 of the reported slices' items against the planted items. One set list has a content-defined set that no
// tag aligns with ("common fraction" answers).
// Timing mode: 100,000 items whose tags are resampled from the MATH items, 10 samples each (one million
// responses), planted sets as above with d = 0.5; prints seconds and peak RSS.
// Usage: bench_planted_weakness [--seeds N] [--timing-only | --accuracy-only] [--show] [--data FILE]
// (--show lists the slices reported for the first seed of each d).
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench_support.h"
#include "core/json_writer.h"
#include "diagnose/verdict.h"
#include "slices/planted_outcomes.h"
#include "slices/weakness_miner.h"
#include "stats/random.h"
#include "taxonomy/tag_rules.h"

using namespace caploop;
using bench::peak_rss_mb;
using bench::seconds_since;

namespace {

struct MathProblem {
  std::string type, level, problem, name;
};

std::vector<MathProblem> load_math(const std::string& path) {
  simdjson::padded_string text = simdjson::padded_string::load(path).value();
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream docs = parser.iterate_many(text).value();
  std::vector<MathProblem> out;
  for (auto doc : docs) {
    simdjson::ondemand::object row = doc.get_object().value();
    MathProblem p;
    p.problem = std::string(row["problem"].get_string().value());
    p.level = std::string(row["level"].get_string().value());
    p.type = std::string(row["type"].get_string().value());
    p.name = "math:" + std::to_string(row["idx"].get_int64().value());
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ItemTags> tag_all(const std::vector<MathProblem>& problems) {
  const TagRuleSet& rules = TagRuleSet::builtin();
  std::vector<ItemTags> tags;
  for (const MathProblem& p : problems) {
    TaggableItem item;
    item.benchmark = "math";
    item.task = "math";
    item.source_id = p.name.substr(5);
    item.text = p.problem;
    JsonWriter meta;
    meta.begin_object().field("type", p.type).field("level", p.level).end_object();
    item.metadata_json = meta.str();
    tags.push_back(rules.apply(item));
  }
  return tags;
}

bool mentions(const std::string& text, const std::string& word) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find(word) != std::string::npos;
}

struct PlantedSet {
  std::string name;
  std::function<bool(const MathProblem&)> contains;
};

std::vector<int> plant(const std::vector<MathProblem>& problems, const std::vector<PlantedSet>& sets) {
  std::vector<int> hits(problems.size(), 0);
  for (size_t i = 0; i < problems.size(); ++i) {
    for (const PlantedSet& s : sets) hits[i] += s.contains(problems[i]) ? 1 : 0;
  }
  return hits;
}

void accuracy_table(const std::vector<MathProblem>& problems, const std::vector<ItemTags>& tags,
                    const std::vector<std::string>& names, const std::string& title,
                    const std::vector<PlantedSet>& sets, int seeds, bool show) {
  const std::vector<int> hits = plant(problems, sets);
  int64_t planted = 0;
  for (int h : hits) planted += h > 0 ? 1 : 0;
  fmt::print("\n{} ({} planted items)\n", title, planted);
  fmt::print("{:>5} {:>10} {:>8} {:>6} {:>9} {:>9}\n", "d", "precision", "recall", "F1", "reported", "seconds");
  for (double d : {0.2, 0.4, 0.5}) {
    double precision = 0, recall = 0, f1 = 0, seconds = 0, reported = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const std::vector<std::vector<ItemOutcome>> runs = {
          draw_planted_outcomes(hits, 0.7, d, 1, static_cast<uint64_t>(seed) * 7919 + 17)};
      const auto t0 = std::chrono::steady_clock::now();
      const MiningResult result = mine_weaknesses(tags, names, runs, MinerOptions{});
      seconds += seconds_since(t0);
      const InstanceScores s = score_reported_items(result, hits);
      if (show && seed == 1) {
        for (const Weakness& w : result.weaknesses) {
          int64_t right = 0;
          for (uint32_t i : w.item_indices) right += hits[i] > 0 ? 1 : 0;
          fmt::print("    d={:.1f} {:<60} n={:<4} planted={:<4} acc={:.3f} vs {:.3f} q={:.2g}\n", d, w.key.to_string(),
                     w.n, right, w.accuracy, w.complement_accuracy, w.q_value);
        }
      }
      precision += s.precision;
      recall += s.recall;
      f1 += s.f1;
      reported += static_cast<double>(result.weaknesses.size());
    }
    fmt::print("{:>5.1f} {:>10.3f} {:>8.3f} {:>6.3f} {:>9.1f} {:>9.3f}\n", d, precision / seeds, recall / seeds,
               f1 / seeds, reported / seeds, seconds / seeds);
  }
}

// The same protocol for `diagnose`: a baseline drawn with P(correct) = 0.7 everywhere, and a candidate that
// keeps each right answer of a planted item with probability d^h (so its accuracy there is 0.7 * d^h) while
// every item is redrawn at P = 0.7 with probability 0.05 (symmetric noise between the two checkpoints).
// Instance-level precision, recall and F1 of the union of the reported slices' items against the planted items.
void diagnose_table(const std::vector<MathProblem>& problems, const std::vector<ItemTags>& tags,
                    const std::string& title, const std::vector<PlantedSet>& sets, int seeds, bool show) {
  const std::vector<int> hits = plant(problems, sets);
  int64_t planted = 0;
  for (int h : hits) planted += h > 0 ? 1 : 0;
  fmt::print("\ndiagnose: {} ({} planted items)\n", title, planted);
  fmt::print("{:>5} {:>10} {:>8} {:>6} {:>9} {:>9}\n", "d", "precision", "recall", "F1", "reported", "seconds");
  for (double d : {0.2, 0.4, 0.5}) {
    double precision = 0, recall = 0, f1 = 0, seconds = 0, reported = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      Xoshiro256StarStar random(static_cast<uint64_t>(seed) * 104729 + 3);
      DiagnosisInput input;
      input.baseline.name = "base";
      input.candidate.name = "cand";
      input.baseline.scoring_rule = input.candidate.scoring_rule = "math";
      for (size_t i = 0; i < problems.size(); ++i) {
        PairedItem item;
        item.key = problems[i].name;
        item.tags = tags[i];
        item.base_correct = random.uniform() < 0.7 ? 1 : 0;
        item.cand_correct = item.base_correct;
        if (item.cand_correct == 1 && hits[i] > 0 && random.uniform() >= std::pow(d, hits[i])) item.cand_correct = 0;
        if (random.uniform() < 0.05) item.cand_correct = random.uniform() < 0.7 ? 1 : 0;
        item.cand_correct_lenient = item.cand_correct_first = item.cand_correct;
        item.base_prompt_hash = item.cand_prompt_hash = problems[i].name;
        input.items.push_back(std::move(item));
      }
      const auto t0 = std::chrono::steady_clock::now();
      const Diagnosis result = diagnose(input, DiagnosisOptions{});
      seconds += seconds_since(t0);
      std::vector<char> predicted(problems.size(), 0);
      std::map<std::string, size_t> index_of;
      for (size_t i = 0; i < problems.size(); ++i) index_of[problems[i].name] = i;
      for (const DiagnosisSlice& slice : result.slices) {
        for (const std::string& key : slice.items) predicted[index_of.at(key)] = 1;
        if (show && seed == 1) {
          int64_t right = 0;
          for (const std::string& key : slice.items) right += hits[index_of.at(key)] > 0 ? 1 : 0;
          fmt::print("    d={:.1f} {:<60} n={:<4} planted={:<4} delta={:+.3f} residual q={:.2g} explains {}\n", d,
                     fmt::format("{}", fmt::join(slice.tags, " & ")), slice.n, right, slice.delta,
                     slice.residual.q_value, slice.explains.size());
        }
      }
      int64_t tp = 0, predicted_n = 0;
      for (size_t i = 0; i < problems.size(); ++i) {
        predicted_n += predicted[i];
        tp += predicted[i] && hits[i] > 0 ? 1 : 0;
      }
      const double p = predicted_n > 0 ? static_cast<double>(tp) / static_cast<double>(predicted_n) : 0.0;
      const double r = static_cast<double>(tp) / static_cast<double>(planted);
      precision += p;
      recall += r;
      f1 += p + r > 0 ? 2 * p * r / (p + r) : 0.0;
      reported += static_cast<double>(result.slices.size());
    }
    fmt::print("{:>5.1f} {:>10.3f} {:>8.3f} {:>6.3f} {:>9.1f} {:>9.3f}\n", d, precision / seeds, recall / seeds,
               f1 / seeds, reported / seeds, seconds / seeds);
  }
}

void timing(const std::vector<MathProblem>& problems, const std::vector<ItemTags>& tags,
            const std::vector<PlantedSet>& sets) {
  constexpr size_t kItems = 100000;
  constexpr int64_t kSamples = 10;
  Xoshiro256StarStar random(2025);
  std::vector<ItemTags> big_tags;
  std::vector<std::string> big_names;
  std::vector<MathProblem> big_problems;
  big_tags.reserve(kItems);
  for (size_t i = 0; i < kItems; ++i) {
    const size_t source = static_cast<size_t>(random.uniform() * static_cast<double>(problems.size()));
    big_tags.push_back(tags[source]);
    big_problems.push_back(problems[source]);
    big_names.push_back("math_resampled:" + std::to_string(i));
  }
  const std::vector<int> hits = plant(big_problems, sets);
  const std::vector<std::vector<ItemOutcome>> runs = {draw_planted_outcomes(hits, 0.7, 0.5, kSamples, 99)};
  fmt::print("\nTiming: {} items x {} samples = {} responses, orders <= 3, min support 20\n", kItems, kSamples,
             kItems * kSamples);
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<Slice> slices = enumerate_slices(big_tags, LatticeOptions{});
  const double enumerate_seconds = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const MiningResult result = mine_weaknesses(big_tags, big_names, runs, MinerOptions{});
  const double mine_seconds = seconds_since(t1);
  const InstanceScores s = score_reported_items(result, hits);
  fmt::print("enumerate only: {} slices in {:.2f} s\n", slices.size(), enumerate_seconds);
  fmt::print("mine (enumerate + test + FDR + refine): {:.2f} s, {} slices tested, {} reported, F1 {:.3f}\n",
             mine_seconds, result.slices_tested, result.weaknesses.size(), s.f1);
  fmt::print("peak RSS: {} MB\n", peak_rss_mb());
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 10;
  bool run_accuracy = true, run_timing = true, show = false;
  std::string data = "../shared/data/math/math_full_test/test.jsonl";
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--seeds" && a + 1 < argc) {
      seeds = std::max(1, std::stoi(argv[++a]));
    } else if (arg == "--timing-only") {
      run_accuracy = false;
    } else if (arg == "--show") {
      show = true;
    } else if (arg == "--accuracy-only") {
      run_timing = false;
    } else if (arg == "--data" && a + 1 < argc) {
      data = argv[++a];
    } else {
      fmt::print(
          stderr,
          "usage: bench_planted_weakness [--seeds N] [--timing-only | --accuracy-only] [--show] [--data FILE]\n");
      return 2;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<MathProblem> problems = load_math(data);
  const std::vector<ItemTags> tags = tag_all(problems);
  std::vector<std::string> names;
  for (const MathProblem& p : problems) names.push_back(p.name);
  fmt::print("MATH test: {} problems tagged in {:.2f} s\n", problems.size(), seconds_since(t0));

  const std::vector<PlantedSet> subject_level_content = {
      {"type = Counting & Probability", [](const MathProblem& p) { return p.type == "Counting & Probability"; }},
      {"Geometry, Level 5", [](const MathProblem& p) { return p.type == "Geometry" && p.level == "Level 5"; }},
      {"problem mentions 'remainder'", [](const MathProblem& p) { return mentions(p.problem, "remainder"); }},
  };
  // EvalTree's protocol asks for at least one planted set defined by content rather than by tags: the problems
  // that ask for the answer "as a common fraction" (193, every subject and level; no tagging rule reads it).
  const PlantedSet common_fraction{"answer asked as a common fraction",
                                   [](const MathProblem& p) { return mentions(p.problem, "common fraction"); }};
  const std::vector<PlantedSet> with_content = {subject_level_content[0], subject_level_content[1], common_fraction};
  if (run_accuracy) {
    fmt::print("Planted weaknesses, P(correct) = 0.7 * d^h, {} seeds, orders <= 3, min support 20, BH q <= 0.05\n",
               seeds);
    accuracy_table(problems, tags, names, "Sets: C&P subject; Geometry level 5; 'remainder' in the problem",
                   subject_level_content, seeds, show);
    accuracy_table(problems, tags, names, "Sets: C&P subject; Geometry level 5",
                   {subject_level_content[0], subject_level_content[1]}, seeds, show);
    accuracy_table(problems, tags, names, "Sets: C&P subject; Geometry level 5; content: 'common fraction' answers",
                   with_content, seeds, show);
    diagnose_table(problems, tags, "Sets: C&P subject; Geometry level 5; 'remainder' in the problem",
                   subject_level_content, seeds, show);
    diagnose_table(problems, tags, "Sets: C&P subject; Geometry level 5; content: 'common fraction' answers",
                   with_content, seeds, show);
  }
  if (run_timing) timing(problems, tags, subject_level_content);
  return 0;
}
