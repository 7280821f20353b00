// `caploop sample` end to end: the binary gives the library's bytes and prints the composition; a run killed
// with SIGKILL and rerun gives the same bytes; `--shard I/N` and `mpirun -np 2` give the sample of one process;
// a changed corpus is refused with exit code 5.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cluster/process_group.h"
#include "killed_run.h"
#include "sampling/sample_paths.h"
#include "sampling/sample_run.h"
#include "sampling_corpus.h"

namespace caploop::sampling {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::run_caploop;
using caploop::testing::TempDir;
using caploop::testing::write_file;
using testing::sampling_corpus;
using testing::tree;

std::vector<std::string> sample_args(const testing::SamplingCorpus& c, const fs::path& out, const std::string& seed) {
  return {"-q",         "sample",    "--plan", c.plan_file.string(), "--seed", seed, "--out",
          out.string(), "--threads", "2",      c.inputs.string()};
}

TEST(SampleCli, DrawsThePlanLikeTheLibraryAndPrintsTheComposition) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  auto r = run_caploop(sample_args(c, tmp / "cli", "21"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("done: 12 of 12 shards (complete)"), std::string::npos) << r.out;
  for (const PlanStream& s : c.plan.streams) EXPECT_NE(r.out.find(s.name), std::string::npos) << s.name;

  // The plan as read back from its file draws the same bytes in-process.
  SampleRunOptions o;
  o.plan = read_plan(c.plan_file.string());
  o.seed = 21;
  o.out_dir = tmp / "lib";
  o.inputs = {c.inputs};
  run_sample(o, ProcessGroup::current());
  EXPECT_TRUE(tree(tmp / "cli") == tree(tmp / "lib"));

  // A rerun resumes every shard and prints the same composition as JSON.
  std::vector<std::string> args = sample_args(c, tmp / "cli", "21");
  args.push_back("--json");
  auto again = run_caploop(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, read_file(tmp / "cli/composition.json"));
  EXPECT_NE(again.out.find("\"complete\": true"), std::string::npos);
}

TEST(SampleCli, RunKilledMidwayResumesToIdenticalBytes) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  auto clean = run_caploop(sample_args(c, tmp / "clean", "8"));
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  // Shards are drawn in path order: the data-juicer files first, the MATH parts last.
  const fs::path first = sample_paths(tmp / "killed", c.plan.corpus.shards.front().path).done_mark;
  const fs::path last = sample_paths(tmp / "killed", c.plan.corpus.shards.back().path).done_mark;
  std::vector<std::string> args = sample_args(c, tmp / "killed", "8");
  args[args.size() - 2] = "1";  // one thread: shards one after another
  // Killed right after the first shard is done.
  bool killed = caploop::testing::run_caploop_killed_at(args, "sample:shard-done:1", last);
  ASSERT_TRUE(killed) << "the run was not killed at the fault point";
  EXPECT_TRUE(fs::exists(first));
  EXPECT_FALSE(fs::exists(tmp / "killed/composition.json"));
  auto resumed = run_caploop(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.out.find("resumed: 0;"), std::string::npos) << resumed.out;
  EXPECT_TRUE(tree(tmp / "clean") == tree(tmp / "killed")) << "outputs differ after resume";
}

TEST(SampleCli, ShardFlagsTogetherGiveTheSampleOfOneProcess) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  ASSERT_EQ(run_caploop(sample_args(c, tmp / "one", "2")).exit_code, 0);
  for (int n : {2, 3}) {
    const fs::path out = tmp / ("of" + std::to_string(n));
    for (int i = 1; i <= n; ++i) {
      std::vector<std::string> args = sample_args(c, out, "2");
      args.insert(args.end() - 1, {"--shard", std::to_string(i) + "/" + std::to_string(n)});
      auto r = run_caploop(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find(i == n ? "(complete)" : "(incomplete)"), std::string::npos) << r.out;
    }
    EXPECT_TRUE(tree(tmp / "one") == tree(out)) << "--shard I/" << n;
  }
}

TEST(SampleCli, MpirunTwoRanksGiveTheSampleOfOneProcess) {
  REQUIRE_SHARED_DATA();
  if (!caploop::testing::have_mpirun()) GTEST_SKIP() << "mpirun is not installed";
  const auto& c = sampling_corpus();
  TempDir tmp;
  ASSERT_EQ(run_caploop(sample_args(c, tmp / "one", "6")).exit_code, 0);
  std::vector<std::string> program = {CAPLOOP_BINARY};
  for (const std::string& a : sample_args(c, tmp / "mpi", "6")) program.push_back(a);
  const caploop::testing::CommandResult r = caploop::testing::run_mpirun(2, program);
  const std::string log = r.out + r.err;
  if (log.find("built without MPI support") != std::string::npos)
    GTEST_SKIP() << "this caploop was built without MPI (CMake found no MPI)";
  ASSERT_EQ(r.exit_code, 0) << log;
  EXPECT_NE(log.find("done: 12 of 12 shards (complete)"), std::string::npos) << log;
  EXPECT_TRUE(tree(tmp / "one") == tree(tmp / "mpi")) << "mpirun -np 2 differs from one process";
}

TEST(SampleCli, ChangedCorpusAndBadArgumentsGiveClearExitCodes) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  // The plan's statistics, copied and one of them re-written: exit 5 naming the file.
  fs::copy(c.tags, tmp / "tags", fs::copy_options::recursive);
  MixturePlan plan = c.plan;
  for (PlanShard& s : plan.corpus.shards) s.stats_file = (tmp / "tags" / fs::relative(s.stats_file, c.tags)).string();
  const std::string altered = plan.corpus.shards.back().stats_file;
  write_file(altered, read_file(altered) + "\n");
  write_file(tmp / "plan.json", plan_to_json(plan));
  auto r = run_caploop({"-q", "sample", "--plan", (tmp / "plan.json").string(), "--seed", "1", "--out",
                        (tmp / "out").string(), c.inputs.string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("corpus statistics changed since the plan: " + altered), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "out"));
  // No seed: a usage error.
  auto u = run_caploop({"sample", "--plan", c.plan_file.string(), "--out", (tmp / "o").string(), c.inputs.string()});
  EXPECT_EQ(u.exit_code, 2) << u.err;
  auto s = run_caploop({"sample", "--plan", c.plan_file.string(), "--seed", "1", "--shard", "3/2", "--out",
                        (tmp / "o").string(), c.inputs.string()});
  EXPECT_EQ(s.exit_code, 2) << s.err;
}

}  // namespace
}  // namespace caploop::sampling
