// `caploop corpus tag` under `mpirun`: the ranks divide the shards, rank 0 reduces the statistics and alone
// prints the summary, and the outputs are the same bytes as a one-process run's, also for a job array of
// mpirun jobs (--shard I/N with ranks) whose jobs run with different rank counts. A failure on any rank makes
// the command fail. (One-process runs with --shard 1/1, 1/2, 2/2, 1/3.. are compared in corpus_tag_cli_test.cc.)
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.h"
#include "corpus/compressed_writer.h"
#include "corpus/corpus_stats.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

namespace fs = std::filesystem;
using caploop::testing::CommandResult;
using caploop::testing::read_file;
using caploop::testing::run_caploop;
using caploop::testing::shared_data_dir;
using caploop::testing::TempDir;
using caploop::testing::write_file;

// Runs `caploop <args>` as `ranks` ranks under mpirun.
CommandResult run_mpi(int ranks, const std::vector<std::string>& args) {
  std::vector<std::string> program = {CAPLOOP_BINARY};
  program.insert(program.end(), args.begin(), args.end());
  return testing::run_mpirun(ranks, program);
}

// All files under a folder, relative path -> bytes.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_file(e.path());
  return out;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Real shards: the eight data-juicer samples (RedPajama, Pile, arXiv, StackExchange) and the MATH-500
// solutions split into three shards, one plain, one .gz, one .zst: eleven inputs, 645 documents.
class CorpusTagMpi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!caploop::testing::have_shared_data()) return;
    tmp_ = new TempDir();
    const fs::path in = *tmp_ / "in";
    fs::create_directories(in / "dj");
    fs::create_directories(in / "math");
    for (auto& e : fs::directory_iterator(shared_data_dir() / "corpus/data_juicer"))
      if (e.path().extension() == ".jsonl") fs::copy_file(e.path(), in / "dj" / e.path().filename());
    std::istringstream math(read_file(shared_data_dir() / "math/math500/test.jsonl"));
    std::string parts[3], line;
    simdjson::dom::parser parser;
    for (int n = 0; std::getline(math, line); ++n) {
      // {"problem", "solution", ..., "unique_id"}: the solution is the document, the unique id its id.
      simdjson::dom::element doc = parser.parse(line);
      const std::string_view id = doc["unique_id"], text = doc["solution"];
      parts[n % 3] += "{\"id\": " + json_string_literal(id) + ", \"text\": " + json_string_literal(text) + "}\n";
    }
    const char* names[3] = {"solutions-0.jsonl", "solutions-1.jsonl.gz", "solutions-2.jsonl.zst"};
    for (int k = 0; k < 3; ++k) {
      CompressedWriter w(in / "math" / names[k], in / "math" / names[k]);
      w.write(parts[k]);
      w.close();
    }
    // The reference: one process, no sharing.
    one_ = new CommandResult(run_caploop({"-q", "corpus", "tag", "--threads", "2", "--batch-mb", "0.05", "--out",
                                          (*tmp_ / "one").string(), in.string()}));
  }
  static void TearDownTestSuite() {
    delete one_;
    delete tmp_;
    one_ = nullptr;
    tmp_ = nullptr;
  }
  void SetUp() override {
    REQUIRE_SHARED_DATA();
    if (!testing::have_mpirun()) GTEST_SKIP() << "mpirun is not installed";
    ASSERT_EQ(one_->exit_code, 0) << one_->err;
  }
  static fs::path in() { return *tmp_ / "in"; }
  static fs::path dir(const std::string& name) { return *tmp_ / name; }
  static std::vector<std::string> tag_args(const std::string& out, const std::string& shard) {
    return {"-q",      "corpus", "tag",   "--threads",       "1",          "--batch-mb", "0.05",
            "--shard", shard,    "--out", dir(out).string(), in().string()};
  }
  static CommandResult stats_json(const std::vector<std::string>& dirs) {
    std::vector<std::string> args = {"corpus", "stats", "--json"};
    for (const auto& d : dirs) args.push_back(dir(d).string());
    return run_caploop(args);
  }

  static TempDir* tmp_;
  static CommandResult* one_;
};
TempDir* CorpusTagMpi::tmp_ = nullptr;
CommandResult* CorpusTagMpi::one_ = nullptr;

TEST_F(CorpusTagMpi, TwoRanksWriteTheSameBytesAndPrintOneSummary) {
  CommandResult mpi = run_mpi(2, tag_args("mpi", "1/1"));
  ASSERT_EQ(mpi.exit_code, 0) << mpi.out << mpi.err;
  // Rank 0 alone prints the summary of both ranks, the same line as the one-process run's.
  EXPECT_EQ(count_of(mpi.out, "shards tagged:"), 1u) << mpi.out;
  EXPECT_EQ(mpi.out, one_->out);
  EXPECT_EQ(one_->out.rfind("shards tagged: 11, resumed: 0, failed: 0; documents: 645, ", 0), 0u) << one_->out;
  EXPECT_EQ(tree(dir("mpi")), tree(dir("one")));  // 11 attribute files and 11 statistics files
  EXPECT_EQ(tree(dir("one")).size(), 22u);

  CommandResult a = stats_json({"one"}), b = stats_json({"mpi"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out.find("\n  \"shards\": 11,\n"), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("\n  \"docs\": 645,\n"), std::string::npos) << a.out;

  // A rerun under mpirun resumes everything and still reports the whole.
  CommandResult again = run_mpi(2, tag_args("mpi", "1/1"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.rfind("shards tagged: 0, resumed: 11, failed: 0; documents: 645, ", 0), 0u) << again.out;
}

TEST_F(CorpusTagMpi, JobArrayOfJobsWithDifferentRankCountsCoversEveryShardOnce) {
  // Job 1 of 3 on 2 ranks, job 2 of 3 in a plain process, job 3 of 3 on 3 ranks, each into its own folder.
  CommandResult j1 = run_mpi(2, tag_args("job1", "1/3"));
  CommandResult j2 = run_caploop(tag_args("job2", "2/3"));
  CommandResult j3 = run_mpi(3, tag_args("job3", "3/3"));
  for (const auto* r : {&j1, &j2, &j3}) {
    ASSERT_EQ(r->exit_code, 0) << r->out << r->err;
    EXPECT_EQ(count_of(r->out, "shards tagged:"), 1u) << r->out;
  }
  // Each job took what a plain --shard I/3 run takes: 4, 4 and 3 of the 11 shards.
  EXPECT_EQ(j1.out.rfind("shards tagged: 4,", 0), 0u) << j1.out;
  EXPECT_EQ(j2.out.rfind("shards tagged: 4,", 0), 0u) << j2.out;
  EXPECT_EQ(j3.out.rfind("shards tagged: 3,", 0), 0u) << j3.out;
  std::map<std::string, std::string> pieces;
  for (const char* d : {"job1", "job2", "job3"})
    for (auto& [k, v] : tree(dir(d))) EXPECT_TRUE(pieces.emplace(k, v).second) << k << " written twice";
  EXPECT_EQ(pieces, tree(dir("one")));
  CommandResult merged = stats_json({"job1", "job2", "job3"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(merged.out, stats_json({"one"}).out);
}

TEST_F(CorpusTagMpi, FailureOnOneRankFailsTheCommand) {
  // Two shards: rank 0 takes the good one, rank 1 the one with a malformed line 3.
  const fs::path bad_in = dir("bad_in");
  fs::create_directories(bad_in);
  fs::copy_file(in() / "dj/arxiv.jsonl", bad_in / "a.jsonl");
  write_file(bad_in / "b.jsonl", "{\"text\": \"fine\"}\n{\"text\": \"also fine\"}\n{\"text\": unquoted}\n");
  CommandResult r =
      run_mpi(2, {"-q", "corpus", "tag", "--threads", "1", "--out", dir("bad_out").string(), bad_in.string()});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;  // rank 0 exits with the failing rank's input-error code
  EXPECT_EQ(r.out.find("shards tagged:"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("error: 1 of 2 ranks failed; rank 1: " + (bad_in / "b.jsonl").string() + ":3"),
            std::string::npos)
      << r.err;
  // Rank 0's shard is complete and marked done; rank 1's is not, so a rerun retries just that one.
  const fs::path mirror = dir("bad_out") / bad_in.relative_path();
  EXPECT_TRUE(fs::exists(mirror / "a.jsonl.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "b.jsonl.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "b.jsonl"));

  // With --on-error skip the same corpus tags; the skipped line is reported once, by rank 0.
  CommandResult skip = run_mpi(2, {"-q", "corpus", "tag", "--threads", "1", "--on-error", "skip", "--out",
                                   dir("bad_out").string(), bad_in.string()});
  ASSERT_EQ(skip.exit_code, 0) << skip.out << skip.err;
  EXPECT_EQ(skip.out.rfind("shards tagged: 1, resumed: 1, failed: 0; documents: 13, ", 0), 0u) << skip.out;
  EXPECT_EQ(count_of(skip.err, "skipped: " + (bad_in / "b.jsonl").string() + ":3: "), 1u) << skip.err;
}

}  // namespace
}  // namespace caploop::corpus
