// The BBH rules against real data: re-scoring code-davinci-002's released outputs with the "bbh" rule
// reproduces the published per-task accuracies (BIG-Bench-Hard repository, _eval_metrics.jsonl).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "eval/rule_registry.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;

struct Output {
  std::string prediction;
  std::string target;
};

std::vector<Output> load_outputs(const fs::path& path) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path.string());
  simdjson::ondemand::document doc = parser.iterate(json);
  std::vector<Output> out;
  for (simdjson::ondemand::object o : doc["outputs"].get_array()) {
    Output x;
    x.prediction = std::string(std::string_view(o["prediction"]));
    x.target = std::string(std::string_view(o["target"]));
    out.push_back(std::move(x));
  }
  return out;
}

double published_accuracy(const fs::path& path) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path.string());
  simdjson::ondemand::document doc = parser.iterate(json);
  return double(doc["accuracy"]);
}

double accuracy_percent(const ScoringRule& rule, const std::vector<Output>& outputs) {
  size_t correct = 0;
  for (const Output& o : outputs) correct += rule.score(o.prediction, o.target).correct ? 1 : 0;
  return 100.0 * static_cast<double>(correct) / static_cast<double>(outputs.size());
}

struct TaskFile {
  std::string mode;  // cot or direct
  fs::path outputs;
  fs::path metrics;
};

std::vector<TaskFile> task_files() {
  std::vector<TaskFile> files;
  const fs::path root = testing::shared_data_dir() / "bbh" / "code-davinci-002-outputs";
  for (std::string mode : {"cot", "direct"}) {
    fs::path dir = root / ("code-davinci-002-" + mode);
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir)) paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) {
      std::string name = p.filename().string();
      const std::string suffix = "_eval_metrics.jsonl";
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      fs::path outputs = dir / (name.substr(0, name.size() - suffix.size()) + ".json");
      files.push_back({mode, outputs, p});
    }
  }
  return files;
}

TEST(BbhRuleDataTest, ReproducesAllPublishedAccuracies) {
  REQUIRE_SHARED_DATA();
  const ScoringRule& rule = rule_or_throw("bbh");
  std::vector<TaskFile> files = task_files();
  ASSERT_EQ(files.size(), 54u) << "27 tasks x {cot, direct}";
  int matched = 0;
  for (const TaskFile& f : files) {
    std::vector<Output> outputs = load_outputs(f.outputs);
    ASSERT_FALSE(outputs.empty()) << f.outputs;
    double ours = accuracy_percent(rule, outputs);
    double published = published_accuracy(f.metrics);
    EXPECT_NEAR(ours, published, 0.05) << f.mode << " " << f.outputs.filename();
    if (std::abs(ours - published) <= 0.05) ++matched;
  }
  EXPECT_EQ(matched, 54);
}

TEST(BbhRuleDataTest, FirstAndLmEvalVariantsAreNoHigherThanReferenceOnCot) {
  REQUIRE_SHARED_DATA();
  // On the CoT outputs every prediction ends with a single "So the answer is X." statement, so the
  // first-statement rule agrees with the reference rule exactly, and lm-eval's strict regex (which keeps
  // the rest of the line minus its final character) agrees wherever the statement ends with ".".
  const ScoringRule& bbh = rule_or_throw("bbh");
  const ScoringRule& first = rule_or_throw("bbh-first");
  const ScoringRule& strict = rule_or_throw("bbh-lm-eval-strict");
  const fs::path dir = testing::shared_data_dir() / "bbh" / "code-davinci-002-outputs" / "code-davinci-002-cot";
  std::vector<Output> outputs = load_outputs(dir / "date_understanding_few_shot_template_0-255000.json");
  size_t same_first = 0, same_strict = 0;
  for (const Output& o : outputs) {
    bool ref = bbh.score(o.prediction, o.target).correct;
    same_first += first.score(o.prediction, o.target).correct == ref;
    same_strict += strict.score(o.prediction, o.target).correct == ref;
  }
  EXPECT_EQ(same_first, outputs.size());
  EXPECT_GE(static_cast<double>(same_strict), 0.99 * static_cast<double>(outputs.size()));
}

}  // namespace
}  // namespace caploop
