// `caploop plan` end to end on the real tagged test corpus: the plan file, its Markdown, --json, the
// summary, and exit codes for a diagnosis that rules the data out and for bad options.
#include <gtest/gtest.h>

#include "mixture/mixture_plan.h"
#include "plan_fixture.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::run_caploop;
using testing::weak_slice;

std::vector<WeakSlice> counting_slices() {
  return {weak_slice("S1", {"operation=counting.case_enumeration"}, 120, 0.15, 0.4),
          weak_slice("S2", {"output=option_letter"}, 50, 0.1, 0.6)};
}

TEST(PlanCli, WritesThePlanAndItsMarkdown) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const auto diagnosis = tmp / "diagnosis.json";
  testing::write_file(diagnosis, testing::diagnosis_json("data_ruled_in", "", counting_slices()));
  const std::string stats = testing::tagged_corpus_stats_dir().string();
  const std::vector<std::string> args = {"plan",
                                         "--diagnosis",
                                         diagnosis.string(),
                                         "--stats",
                                         stats,
                                         "--budget-tokens",
                                         "400000",
                                         "--out",
                                         (tmp / "plan.json").string(),
                                         "--markdown",
                                         (tmp / "plan.md").string()};
  testing::CommandResult r = run_caploop(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("target:capability__worked_solution&math_subfield__counting_probability"), std::string::npos)
      << r.out;
  const std::string json = read_file(tmp / "plan.json");
  MixturePlan plan = parse_plan(json, "plan.json");
  EXPECT_EQ(plan.options.budget_tokens, 400000);
  EXPECT_EQ(plan.base_tokens + plan.target_tokens, 400000);
  const std::string md = read_file(tmp / "plan.md");
  for (const char* part :
       {"## Chain", "## Streams", "## Hypotheses", "## Notes", "counting-cases", "data_ruled_in", "| S2 |"})
    EXPECT_NE(md.find(part), std::string::npos) << part << "\n" << md;

  // --json prints exactly the file's bytes; a rerun writes the same bytes.
  std::vector<std::string> json_args = args;
  json_args.push_back("--json");
  testing::CommandResult j = run_caploop(json_args);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out, json);
  EXPECT_EQ(read_file(tmp / "plan.json"), json);

  // --weaknesses takes the same kind of input path; --diagnosis and --weaknesses together are a usage error.
  std::vector<std::string> both = args;
  both.insert(both.begin() + 3, {"--weaknesses", diagnosis.string()});
  EXPECT_EQ(run_caploop(both).exit_code, 2);
}

TEST(PlanCli, ExitCodesForWhatItCannotPlan) {
  REQUIRE_SHARED_DATA();
  testing::TempDir tmp;
  const auto diagnosis = tmp / "diagnosis.json";
  testing::write_file(diagnosis, testing::diagnosis_json("data_ruled_out", "termination", counting_slices()));
  const std::string stats = testing::tagged_corpus_stats_dir().string();
  testing::CommandResult r = run_caploop({"plan", "--diagnosis", diagnosis.string(), "--stats", stats,
                                          "--budget-tokens", "1000", "--out", (tmp / "plan.json").string()});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("diagnosis verdict is data_ruled_out (cause termination)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp / "plan.json"));

  testing::write_file(diagnosis, testing::diagnosis_json("data_ruled_in", "", counting_slices()));
  testing::CommandResult bad =
      run_caploop({"plan", "--diagnosis", diagnosis.string(), "--stats", stats, "--budget-tokens", "1000",
                   "--max-category-share", "2", "--out", (tmp / "plan.json").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--max-category-share"), std::string::npos) << bad.err;

  testing::CommandResult huge = run_caploop({"plan", "--diagnosis", diagnosis.string(), "--stats", stats,
                                             "--budget-tokens", "999999999999", "--out", (tmp / "plan.json").string()});
  EXPECT_EQ(huge.exit_code, 3);
  EXPECT_NE(huge.err.find("cannot be filled"), std::string::npos) << huge.err;
}

}  // namespace
}  // namespace caploop
