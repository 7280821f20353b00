// Drawing a plan's control arm (sampling/sample_arm.h, mixture/control_arm.h) on the real tagged corpus of the
// sampling tests: the control sample hits its quotas as the targeted one does, is byte-identical for a seed
// whatever the threads or --shard division (mpirun: sample_cli_test), and holds no target stream. Ground truth
// comes from the documents and attribute rows (sampling_corpus.h), not from the sampler.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "cluster/process_group.h"
#include "core/error.h"
#include "mixture/control_arm.h"
#include "sampling/sample_arm.h"
#include "sampling/sample_run.h"
#include "sampling_corpus.h"

namespace caploop::sampling {
namespace {

namespace fs = std::filesystem;
using caploop::testing::TempDir;
using caploop::testing::write_file;
using testing::SampledLine;
using testing::sampling_corpus;
using testing::tree;

MixturePlan plan_with_control(const testing::SamplingCorpus& c) {
  MixturePlan plan = c.plan;
  plan.control = plan_control_arm(plan, nullptr);
  return plan;
}

SampleRunOptions options_for(const testing::SamplingCorpus& c, const MixturePlan& plan, const fs::path& out,
                             uint64_t seed) {
  SampleRunOptions o;
  o.plan = plan;
  o.plan_file = c.plan_file.string();
  o.seed = seed;
  o.out_dir = out;
  o.inputs = {c.inputs};
  o.threads = 2;
  return o;
}

SampleRunReport run(const SampleRunOptions& o) { return run_sample(o, ProcessGroup::current()); }

// The documents of a stream (all its tags) and half the largest one per shard: how far whole documents can miss.
int64_t miss_bound(const testing::SamplingCorpus& c, const PlanStream& s) {
  std::map<std::string, int64_t> largest;
  for (const auto& [key, attrs] : c.attributes) {
    bool all = true;
    for (const std::string& t : s.tags) all = all && attrs.count(t);
    if (all) largest[key.first] = std::max(largest[key.first], c.tokens.at(key));
  }
  int64_t bound = 0;
  for (const auto& [shard, t] : largest) bound += (t + 1) / 2;
  return bound;
}

TEST(ControlArmPlan, KeepsTheBudgetInTheCorpusProportionsWithoutTargetStreams) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  const PlanControl control = plan_control_arm(c.plan, nullptr);
  EXPECT_EQ(control.mixture, "natural");
  EXPECT_EQ(control.budget_tokens, c.plan.options.budget_tokens);
  int64_t sum = 0, bases = 0;
  for (const PlanStream& s : c.plan.streams) bases += s.kind == StreamKind::kBase;
  ASSERT_EQ(static_cast<int64_t>(control.streams.size()), bases);
  for (const PlanStream& s : control.streams) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(s.kind, StreamKind::kBase);
    sum += s.quota_tokens;
    // the corpus's own proportion, to the token
    const double want = static_cast<double>(c.plan.options.budget_tokens) * static_cast<double>(s.available_tokens) /
                        static_cast<double>(c.plan.corpus.tokens);
    EXPECT_LE(std::fabs(static_cast<double>(s.quota_tokens) - want), 1.0);
    EXPECT_EQ(s.quota_tokens, s.full_epochs * s.available_tokens + s.remainder_tokens);
  }
  EXPECT_EQ(sum, c.plan.options.budget_tokens);
  // one expectation per plan hypothesis: targets bounded, the guard kept
  ASSERT_EQ(control.expectations.size(), c.plan.hypotheses.size());
  // the plan file round-trips with its control arm
  MixturePlan with = plan_with_control(c);
  EXPECT_EQ(plan_to_json(parse_plan(plan_to_json(with), "p.json")), plan_to_json(with));
}

TEST(ControlArmPlan, AMixtureFileSetsTheSharesAndBadFilesAreNamed) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  std::vector<const PlanStream*> bases;
  for (const PlanStream& s : c.plan.streams)
    if (s.kind == StreamKind::kBase && s.available_tokens > 0) bases.push_back(&s);
  ASSERT_GE(bases.size(), 2u);
  const std::string a = bases[0]->tags[0], b = bases[1]->tags[0];
  const fs::path file = tmp / "mixture.toml";
  write_file(file, a + " = 0.25\n" + b + " = 0.75\n");
  const BaseMixture m = read_base_mixture(file.string(), c.plan);
  MixturePlan plan = c.plan;
  plan.options.max_epochs = 1e9;  // this test is about shares, not caps
  const PlanControl control = plan_control_arm(plan, &m);
  EXPECT_EQ(control.mixture, file.string());
  EXPECT_EQ(control.mixture_checksum.size(), 16u);
  for (const PlanStream& s : control.streams) {
    const double want = s.name == bases[0]->name ? 0.25 : s.name == bases[1]->name ? 0.75 : 0.0;
    EXPECT_NEAR(s.share, want, 1.0 / static_cast<double>(plan.options.budget_tokens)) << s.name;
  }
  write_file(file, a + " = 0.25\nsource__nowhere = 0.75\n");
  Error e = caploop::testing::expect_error([&] { read_base_mixture(file.string(), c.plan); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.where().field, "source__nowhere");
  write_file(file, a + " = 0.5\n");
  EXPECT_EQ(caploop::testing::expect_error([&] { read_base_mixture(file.string(), c.plan); }).kind(),
            ErrorKind::kInput);
  // a share that would need more epochs of a stream than max_epochs is refused, naming the stream
  write_file(file, a + " = 0.0\n" + b + " = 1.0\n");
  plan.options.max_epochs = 0.5;
  const BaseMixture one = read_base_mixture(file.string(), plan);
  Error caps = caploop::testing::expect_error([&] { plan_control_arm(plan, &one); });
  EXPECT_NE(caps.message().find(bases[1]->name), std::string::npos) << caps.message();
}

TEST(ControlArmSample, HitsItsQuotasWithNoTargetStream) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  const MixturePlan control = plan_for_arm(plan_with_control(c), "control", "p.json");
  TempDir tmp;
  SampleRunReport r = run(options_for(c, control, tmp / "control", 1));
  ASSERT_TRUE(r.wrote_composition);
  EXPECT_TRUE(r.composition.complete);
  std::map<std::string, int64_t> drawn;
  for (const SampledLine& l : testing::sampled_lines(c, tmp / "control")) {
    EXPECT_EQ(l.row.stream.rfind("base:", 0), 0u) << l.row.stream;  // no target stream
    drawn[l.row.stream] += c.tokens.at({l.row.shard, l.row.line});
  }
  int64_t all = 0;
  for (const PlanStream& s : control.streams) {
    SCOPED_TRACE(s.name);
    all += drawn[s.name];
    EXPECT_LE(std::llabs(drawn[s.name] - s.quota_tokens), miss_bound(c, s));
  }
  EXPECT_LE(std::abs(static_cast<double>(all - c.plan.options.budget_tokens)),
            0.01 * static_cast<double>(c.plan.options.budget_tokens));
}

TEST(ControlArmSample, SameSeedSameBytesWhateverTheDivision) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  const MixturePlan both = plan_with_control(c);
  const MixturePlan control = plan_for_arm(both, "control", "p.json");
  TempDir tmp;
  SampleRunOptions one = options_for(c, control, tmp / "one", 7);
  one.threads = 1;
  run(one);
  SampleRunOptions three = options_for(c, control, tmp / "three", 7);
  three.threads = 3;
  run(three);
  EXPECT_TRUE(tree(tmp / "one") == tree(tmp / "three")) << "same seed, different bytes";
  for (int i = 0; i < 2; ++i) {
    SampleRunOptions o = options_for(c, control, tmp / "shares", 7);
    o.share = {i, 2};
    run(o);
  }
  EXPECT_TRUE(tree(tmp / "one") == tree(tmp / "shares")) << "--shard I/2 differs from one process";
}

TEST(ControlArmSample, TheCliDrawsTheControlArmAsTheLibraryDoesAlsoUnderMpirun) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  TempDir tmp;
  const fs::path plan_file = tmp / "plan.json";
  write_file(plan_file, plan_to_json(plan_with_control(c)));
  SampleRunOptions lib =
      options_for(c, plan_for_arm(plan_with_control(c), "control", plan_file.string()), tmp / "lib", 9);
  lib.plan_file = plan_file.string();
  run(lib);
  const std::vector<std::string> args = {
      "-q", "sample", "--plan", plan_file.string(), "--arm", "control", "--seed", "9", "--threads", "2", "--out"};
  std::vector<std::string> cli = args;
  cli.insert(cli.end(), {(tmp / "cli").string(), c.inputs.string()});
  auto r = caploop::testing::run_caploop(cli);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(tree(tmp / "lib") == tree(tmp / "cli")) << "the CLI's control arm differs from the library's";
  // the targeted plan has no control arm: a conflict (exit 5); an unknown arm is a usage error (exit 2)
  std::vector<std::string> none = {"-q",     "sample", "--plan", c.plan_file.string(), "--arm",          "control",
                                   "--seed", "1",      "--out",  (tmp / "x").string(), c.inputs.string()};
  EXPECT_EQ(caploop::testing::run_caploop(none).exit_code, 5);
  std::vector<std::string> bad = cli;
  bad[5] = "both";
  EXPECT_EQ(caploop::testing::run_caploop(bad).exit_code, 2);
  if (!caploop::testing::have_mpirun()) GTEST_SKIP() << "mpirun is not installed";
  std::vector<std::string> program = {CAPLOOP_BINARY};
  program.insert(program.end(), args.begin(), args.end());
  program.insert(program.end(), {(tmp / "mpi").string(), c.inputs.string()});
  const caploop::testing::CommandResult m = caploop::testing::run_mpirun(2, program);
  const std::string log = m.out + m.err;
  if (log.find("built without MPI support") != std::string::npos) GTEST_SKIP() << "built without MPI";
  ASSERT_EQ(m.exit_code, 0) << log;
  EXPECT_TRUE(tree(tmp / "lib") == tree(tmp / "mpi")) << "mpirun -np 2 differs from one process";
}

TEST(ControlArmSample, ArmsAreCheckedByName) {
  REQUIRE_SHARED_DATA();
  const auto& c = sampling_corpus();
  EXPECT_EQ(caploop::testing::expect_error([&] { plan_for_arm(c.plan, "control", "p.json"); }).kind(),
            ErrorKind::kConflict);
  EXPECT_EQ(caploop::testing::expect_error([&] { plan_for_arm(plan_with_control(c), "both", "p.json"); }).kind(),
            ErrorKind::kUsage);
  EXPECT_EQ(plan_to_json(plan_for_arm(c.plan, "targeted", "p.json")), plan_to_json(c.plan));
}

}  // namespace
}  // namespace caploop::sampling
