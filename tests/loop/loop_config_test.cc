// The loop configuration: the bundled example parses to what it says, paths resolve against the config's folder,
// and every mistake is refused before anything runs, naming the file, the line and the key.
#include "loop/loop_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {
namespace fs = std::filesystem;
using testing::run_caploop;
using testing::TempDir;
using testing::write_file;

// A valid config (one run, one comparison) in a temp folder with the file it names; `extra` is appended.
struct ConfigFixture {
  TempDir tmp;
  fs::path file;

  explicit ConfigFixture(const std::string& text) {
    write_file(tmp / "runs" / "a.jsonl", "{\"q\":\"1+1\",\"o\":\"2\",\"t\":\"2\"}\n");
    file = tmp / "loop.toml";
    write_file(file, text);
  }
};

const char* kValid = R"([loop]
out = "results"
seed = 7

[[runs]]
name = "a"
paths = ["runs/*.jsonl"]
benchmark = "gsm8k"
input = "/q"
response = "/o"
target = "/t"

[[runs]]
name = "b"
paths = ["runs/a.jsonl"]
benchmark = "gsm8k"
input = "/q"
response = "/o"
target = "/t"
rule = "gsm8k"

[[comparisons]]
name = "ab"
baseline = "a"
candidate = "b"
)";

Error parse_error(const std::string& text) {
  ConfigFixture f(text);
  Error e = testing::expect_error([&] { load_loop_config(f.file); }, "input:\n" + text);
  EXPECT_EQ(e.where().file, f.file.string());
  return e;
}

TEST(LoopConfigTest, BundledExampleDeclaresTheTwoComparisons) {
  const LoopConfig c = load_loop_config(testing::source_dir() / "examples" / "loop.toml");
  ASSERT_EQ(c.comparisons.size(), 2u);
  EXPECT_EQ(c.comparisons[0].name, "runaway");
  EXPECT_FALSE(c.comparisons[0].after.has_value());
  EXPECT_EQ(c.comparisons[1].name, "counting");
  EXPECT_EQ(c.comparisons[1].after.value_or(""), "qwen-math-after");
  EXPECT_EQ(c.runs.size(), 5u);
  EXPECT_EQ(c.find_run("davinci-cot")->paths.size(), 27u) << "one file per BBH task, eval metrics excluded";
  ASSERT_TRUE(c.corpus);
  EXPECT_GT(c.plan.budget_tokens, 0);
  EXPECT_EQ(c.diagnose.min_support, 4);
  EXPECT_EQ(c.out, (testing::source_dir() / "out" / "example").lexically_normal());
  EXPECT_EQ(c.workspace, c.out / "caploop.db");
}

TEST(LoopConfigTest, PathsResolveAgainstTheConfigFolder) {
  ConfigFixture f(kValid);
  const LoopConfig c = load_loop_config(f.file);
  EXPECT_EQ(c.out, (f.tmp.path() / "results").lexically_normal());
  EXPECT_EQ(c.seed, 7u);
  ASSERT_EQ(c.runs.size(), 2u);
  ASSERT_EQ(c.runs[0].paths.size(), 1u);
  EXPECT_EQ(c.runs[0].paths[0], (f.tmp.path() / "runs" / "a.jsonl").lexically_normal());
  EXPECT_FALSE(c.runs[0].rule);
  EXPECT_EQ(c.runs[1].rule.value_or(""), "gsm8k");
  EXPECT_FALSE(c.corpus);
  EXPECT_EQ(c.plan.budget_tokens, 0);
}

TEST(LoopConfigTest, UnknownKeyNamesLineAndKey) {
  std::string text = kValid;
  text.replace(text.find("seed = 7"), 8, "seeds = 7");
  const Error e = parse_error(text);
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "loop.seeds");
}

TEST(LoopConfigTest, ComparisonOfAnUnknownRunIsRefused) {
  std::string text = kValid;
  text.replace(text.find("candidate = \"b\""), 15, "candidate = \"c\"");
  const Error e = parse_error(text);
  EXPECT_EQ(e.where().line, 25);
  EXPECT_EQ(e.where().field, "comparisons[1].candidate");
  EXPECT_NE(e.message().find("'c'"), std::string::npos);
}

TEST(LoopConfigTest, MissingPathIsNotFoundAtItsLine) {
  std::string text = kValid;
  text.replace(text.find("runs/a.jsonl\"]"), 12, "runs/zz.jsonl");
  const Error e = parse_error(text);
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(e.where().line, 15);
  EXPECT_EQ(e.where().field, "runs[2].paths");
}

TEST(LoopConfigTest, WrongTypeMissingKeyDuplicateAndBadValues) {
  std::string wrong_type = kValid;
  wrong_type.replace(wrong_type.find("seed = 7"), 8, "seed = \"7\"");
  EXPECT_EQ(parse_error(wrong_type).where().field, "loop.seed");

  std::string no_target = kValid;
  no_target.replace(no_target.find("target = \"/t\"\n\n[[runs]]"), 14, "");
  const Error e = parse_error(no_target);
  EXPECT_EQ(e.where().field, "runs[1]");
  EXPECT_EQ(e.where().line, 5);

  std::string duplicate = kValid;
  duplicate.replace(duplicate.find("name = \"b\""), 10, "name = \"a\"");
  EXPECT_EQ(parse_error(duplicate).where().field, "runs[2].name");

  EXPECT_EQ(parse_error(std::string(kValid) + "\n[plan]\nbudget_tokens = -5\n").where().field, "plan.budget_tokens");
  EXPECT_EQ(parse_error(std::string(kValid) + "\n[diagnose]\nmin_suport = 4\n").where().line, 28);
  EXPECT_EQ(parse_error(std::string(kValid) + "\n[extra]\nx = 1\n").where().field, "extra");

  std::string bad_name = kValid;
  bad_name.replace(bad_name.find("name = \"ab\""), 11, "name = \"../x\"");
  EXPECT_EQ(parse_error(bad_name).where().field, "comparisons[1].name");
}

TEST(LoopConfigTest, CommandReportsConfigErrorsWithFileAndLine) {
  std::string text = kValid;
  text.replace(text.find("seed = 7"), 8, "seeds = 7");
  ConfigFixture f(text);
  const auto r = run_caploop({"loop", f.file.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(f.file.string() + ":3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("loop.seeds"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace caploop

namespace caploop {
namespace {

TEST(LoopConfigTest, RulesPerBenchmarkOrTask) {
  std::string text = kValid;
  text.replace(text.find("rule = \"gsm8k\""), 14,
               "rule = \"gsm8k\"\nrules = [\"gsm8k/*=gsm8k-lenient\", \"math=math-minerva\"]");
  ConfigFixture f(text);
  LoopConfig config = load_loop_config(f.file);
  const LoopRun* b = config.find_run("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->task_rules.size(), 2u);
  EXPECT_EQ(b->task_rules[0].pattern, "gsm8k/*");
  EXPECT_EQ(b->task_rules[0].rule, "gsm8k-lenient");
  EXPECT_TRUE(task_rule_matches(b->task_rules[1], "math", "algebra"));
  EXPECT_FALSE(task_rule_matches(b->task_rules[1], "gsm8k", "gsm8k"));
  // a malformed choice or an unknown rule is an input error at the key
  text.replace(text.find("math=math-minerva"), 17, "math=no-such-rule");
  const Error e = parse_error(text);
  EXPECT_EQ(e.where().field, "runs[2].rules");
  EXPECT_NE(e.message().find("no-such-rule"), std::string::npos);
}

TEST(LoopConfigTest, ComparisonNamedLikeALoopOutputIsRefusedUpFront) {
  for (const char* taken : {"report.html", "caploop.db", "ingested.json", "corpus", "loop-outputs.txt"}) {
    std::string text = kValid;
    text.replace(text.find("name = \"ab\""), 11, std::string("name = \"") + taken + "\"");
    const Error e = parse_error(text);
    EXPECT_EQ(e.where().field, "comparisons[1].name") << taken;
    EXPECT_NE(e.message().find("the loop itself writes"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace caploop
