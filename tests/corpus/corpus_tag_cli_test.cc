// `caploop corpus tag` and `caploop corpus stats` end to end on real corpus shards: Dolma attribute rows,
// sharding that does not change merged statistics, resuming after SIGKILL, and malformed input.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "corpus/compressed_writer.h"
#include "io/line_reader.h"
#include "killed_run.h"
#include "test_support.h"

namespace caploop::corpus {
namespace {

namespace fs = std::filesystem;
using caploop::testing::read_file;
using caploop::testing::run_caploop;
using caploop::testing::shared_data_dir;
using caploop::testing::TempDir;
using caploop::testing::write_file;

std::vector<std::string> lines_of(const fs::path& p) {
  LineReader r(p);
  std::vector<std::string> out;
  std::string_view l;
  while (r.next(l)) out.emplace_back(l);
  return out;
}

// All files under a folder, relative path -> bytes.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_file(e.path());
  return out;
}

// Real shards in all three compressions: the Dolma and data-juicer samples, one of them re-written as .zst.
fs::path make_corpus(const TempDir& tmp) {
  fs::path in = tmp / "in";
  fs::create_directories(in / "dolma");
  fs::create_directories(in / "dj");
  for (auto& e : fs::directory_iterator(shared_data_dir() / "corpus/dolma/multiple_files"))
    fs::copy_file(e.path(), in / "dolma" / e.path().filename());
  fs::copy_file(shared_data_dir() / "corpus/dolma/provided/documents/000.json.gz", in / "dolma/000.json.gz");
  for (auto& e : fs::directory_iterator(shared_data_dir() / "corpus/data_juicer"))
    if (e.path().extension() == ".jsonl") fs::copy_file(e.path(), in / "dj" / e.path().filename());
  CompressedWriter w(in / "dj/arxiv_copy.jsonl.zst", in / "dj/arxiv_copy.jsonl.zst");
  w.write(read_file(shared_data_dir() / "corpus/data_juicer/arxiv.jsonl"));
  w.close();
  return in;
}

TEST(CorpusTagCli, WritesDolmaAttributeRowsMirroringInputs) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  fs::path in = make_corpus(tmp);
  auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), "--threads", "2", in.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path mirror = tmp / "out" / in.relative_path();
  for (const char* name :
       {"dolma/000.json.gz", "dolma/cc_en_head-0091.jsonl", "dj/arxiv.jsonl", "dj/arxiv_copy.jsonl.zst"}) {
    auto docs = lines_of(in / name);
    auto attrs = lines_of(mirror / name);  // same compression as the input, readable by the same reader
    ASSERT_EQ(docs.size(), attrs.size()) << name;
    ASSERT_TRUE(fs::exists(mirror / (std::string(name) + ".stats.json"))) << name;
    for (size_t i = 0; i < docs.size(); ++i) EXPECT_EQ(attrs[i].rfind("{\"id\":", 0), 0u) << attrs[i];
  }
  // Dolma ids are carried over; documents without one get their line number.
  auto dolma_attrs = lines_of(mirror / "dolma/000.json.gz");
  EXPECT_EQ(
      dolma_attrs[0].rfind("{\"id\":\"http://advocatesaz.org/tag/antibiotic-resistant-bacteria/\",\"attributes\":{", 0),
      0u)
      << dolma_attrs[0];
  EXPECT_NE(dolma_attrs[0].find("\"source__web\":[[0,"), std::string::npos) << dolma_attrs[0];
  auto arxiv = lines_of(mirror / "dj/arxiv.jsonl");
  EXPECT_EQ(arxiv[0].rfind("{\"id\":\"1\",", 0), 0u);
  EXPECT_NE(arxiv[0].find("\"source__academic\""), std::string::npos);
  EXPECT_NE(arxiv[0].find("\"topic__science_math_technology\""), std::string::npos) << arxiv[0];
  // The .zst copy of arXiv gets the same tags as the plain file.
  EXPECT_EQ(arxiv, lines_of(mirror / "dj/arxiv_copy.jsonl.zst"));

  auto s = run_caploop({"corpus", "stats", (tmp / "out").string(), "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("\n  \"docs\": 186,\n"), std::string::npos) << s.out;  // 20 + 10 + 145 + 11 documents
  EXPECT_NE(s.out.find("\"source__academic\": {\"docs\": 22,"), std::string::npos) << s.out;
  auto table = run_caploop({"corpus", "stats", (tmp / "out").string()});
  EXPECT_NE(table.out.find("source__forum_qa"), std::string::npos) << table.out;
}

TEST(CorpusTagCli, ShardingOneTwoAndThreeWaysGivesIdenticalStatistics) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  fs::path in = make_corpus(tmp);
  auto tag = [&](const std::string& shard, const std::string& out) {
    auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / out).string(), "--shard", shard, "--threads", "2",
                          "--batch-mb", "0.01", in.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  tag("1/1", "one");
  tag("1/2", "two_a");
  tag("2/2", "two_b");
  tag("1/3", "three_a");
  tag("2/3", "three_b");
  tag("3/3", "three_c");
  auto one = run_caploop({"corpus", "stats", (tmp / "one").string(), "--json"});
  auto two = run_caploop({"corpus", "stats", (tmp / "two_a").string(), (tmp / "two_b").string(), "--json"});
  auto three = run_caploop({"corpus", "stats", (tmp / "three_a").string(), (tmp / "three_b").string(),
                            (tmp / "three_c").string(), "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.out, three.out);
  // The shares are disjoint and together are the whole: the attribute files are the same bytes.
  auto whole = tree(tmp / "one");
  std::map<std::string, std::string> pieces;
  for (const char* d : {"three_a", "three_b", "three_c"})
    for (auto& [k, v] : tree(tmp / d)) EXPECT_TRUE(pieces.emplace(k, v).second) << k;
  EXPECT_EQ(whole, pieces);
  EXPECT_EQ(whole.size(), 2u * 12);  // an attribute file and a statistics file per shard
}

TEST(CorpusTagCli, RunKilledMidShardResumesToIdenticalOutputs) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  // Four shards of ~1.5 MB of MATH records (the solution is the text).
  std::string math = read_file(shared_data_dir() / "math/math_full_test/test.jsonl");
  fs::create_directories(tmp / "in");
  for (int shard = 0; shard < 4; ++shard) {
    std::string body;
    size_t cut = math.find('\n', size_t{3} << 19);
    body = math.substr(0, cut + 1);
    write_file(tmp / "in" / ("part-" + std::to_string(shard) + ".jsonl"), body);
  }
  std::vector<std::string> common = {"-q",  "corpus",    "tag", "--text-field", "solution", "--id-field",
                                     "idx", "--threads", "1",   "--batch-mb",   "0.25",     (tmp / "in").string()};
  auto with_out = [&](const std::string& out) {
    std::vector<std::string> a = common;
    a.insert(a.begin() + 3, {"--out", (tmp / out).string()});
    return a;
  };
  auto clean = run_caploop(with_out("clean"));
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  fs::path mirror = (tmp / "killed") / (tmp / "in").relative_path();
  // Six batches of 0.25 MB make a shard: the 9th batch written is in the middle of the second shard.
  bool killed = caploop::testing::run_caploop_killed_at(with_out("killed"), "corpus-tag:batch-written:9",
                                                        mirror / "part-3.jsonl.stats.json");
  ASSERT_TRUE(killed) << "the run finished before it could be killed";
  EXPECT_TRUE(fs::exists(mirror / "part-0.jsonl.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "part-1.jsonl.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "part-3.jsonl.stats.json"));
  auto resumed = run_caploop(with_out("killed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resumed: "), std::string::npos);
  EXPECT_EQ(resumed.out.find("resumed: 0,"), std::string::npos) << resumed.out;
  auto a = tree(tmp / "clean"), b = tree(tmp / "killed");
  EXPECT_EQ(a.size(), 8u);
  EXPECT_TRUE(a == b) << "outputs differ after resume";
}

std::string malformed_shard() {
  return "{\"id\":\"a\",\"text\":\"The first good document.\"}\n"
         "this is not json\n"
         "{\"id\":\"c\"}\n"
         "{\"id\":\"d\",\"text\":5}\n"
         "{\"id\":\"e\",\"text\":\"bad \xff bytes\"}\n"
         "[1,2,3]\n"
         "\n"
         "{\"id\":\"h\",\"text\":\"The last good document.\"}\n";
}

TEST(CorpusTagCli, MalformedLinesFailNamingFileLineAndReason) {
  TempDir tmp;
  write_file(tmp / "bad.jsonl", malformed_shard());
  auto r = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out").string(), (tmp / "bad.jsonl").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.jsonl:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;
  // Nothing is marked done.
  std::vector<std::string> stats;
  if (fs::exists(tmp / "out"))
    for (auto& e : fs::recursive_directory_iterator(tmp / "out")) stats.push_back(e.path().string());
  for (auto& s : stats) EXPECT_EQ(s.find(".stats.json"), std::string::npos) << s;
}

TEST(CorpusTagCli, MalformedLinesAreSkippedCountedAndKeptAligned) {
  TempDir tmp;
  write_file(tmp / "bad.jsonl", malformed_shard());
  auto r = run_caploop(
      {"-q", "corpus", "tag", "--on-error", "skip", "--out", (tmp / "out").string(), (tmp / "bad.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* expect : {"bad.jsonl:2: not valid JSON", "bad.jsonl:3: missing text field 'text'",
                             "bad.jsonl:4: field 'text' is not a string", "bad.jsonl:5: invalid UTF-8",
                             "bad.jsonl:6: not a JSON object", "bad.jsonl:7: empty line"})
    EXPECT_NE(r.err.find(expect), std::string::npos) << expect << "\n" << r.err;
  EXPECT_NE(r.out.find("skipped lines: 6"), std::string::npos) << r.out;
  fs::path mirror = tmp / "out" / (tmp / "bad.jsonl").relative_path();
  auto rows = lines_of(mirror);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0].rfind("{\"id\":\"a\"", 0), 0u);
  EXPECT_EQ(rows[1].rfind("{\"id\":null,\"attributes\":{},\"error\":\"not valid JSON", 0), 0u) << rows[1];
  EXPECT_EQ(rows[7].rfind("{\"id\":\"h\"", 0), 0u);
  std::string stats = read_file(mirror.string() + ".stats.json");
  EXPECT_NE(stats.find("\"skipped\": 6,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("\"docs\": 2,"), std::string::npos) << stats;
}

TEST(CorpusTagCli, CorruptCompressedShardFailsWithoutBeingMarkedDone) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  fs::create_directories(tmp / "in");
  std::string gz = read_file(shared_data_dir() / "corpus/dolma/provided/documents/000.json.gz");
  write_file(tmp / "in/truncated.jsonl.gz", gz.substr(0, gz.size() / 2));
  fs::copy_file(shared_data_dir() / "corpus/data_juicer/arxiv.jsonl", tmp / "in/arxiv.jsonl");
  auto r = run_caploop(
      {"-q", "corpus", "tag", "--on-error", "skip", "--out", (tmp / "out").string(), (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("truncated.jsonl.gz"), std::string::npos) << r.err;
  fs::path mirror = tmp / "out" / (tmp / "in").relative_path();
  EXPECT_TRUE(fs::exists(mirror / "arxiv.jsonl.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "truncated.jsonl.gz.stats.json"));
  EXPECT_FALSE(fs::exists(mirror / "truncated.jsonl.gz"));
  auto fail = run_caploop({"-q", "corpus", "tag", "--out", (tmp / "out2").string(), (tmp / "in").string()});
  EXPECT_EQ(fail.exit_code, 3);
  EXPECT_NE(fail.err.find("truncated.jsonl.gz"), std::string::npos) << fail.err;
}

TEST(CorpusTagCli, StatisticsOfDifferentTaxonomiesAreNotMerged) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  fs::path arxiv = shared_data_dir() / "corpus/data_juicer/arxiv.jsonl";
  std::string other = read_file(caploop::testing::source_dir() / "data/taxonomy/data_taxonomy.toml");
  other.replace(other.find("name = \"caploop-data\""), 21, "name = \"edited-copy\"");
  write_file(tmp / "edited.toml", other);
  ASSERT_EQ(run_caploop({"-q", "corpus", "tag", "--out", (tmp / "a").string(), arxiv.string()}).exit_code, 0);
  auto b = run_caploop({"-q", "corpus", "tag", "--taxonomy", (tmp / "edited.toml").string(), "--out",
                        (tmp / "b").string(), arxiv.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto s = run_caploop({"corpus", "stats", (tmp / "a").string(), (tmp / "b").string(), "--json"});
  EXPECT_EQ(s.exit_code, 5) << s.err;
  EXPECT_NE(s.err.find("different taxonomies"), std::string::npos) << s.err;
  // The same folder tagged again with the edited taxonomy is re-tagged, not skipped as done.
  auto again = run_caploop({"-q", "corpus", "tag", "--taxonomy", (tmp / "edited.toml").string(), "--out",
                            (tmp / "a").string(), arxiv.string()});
  EXPECT_NE(again.out.find("shards tagged: 1, resumed: 0"), std::string::npos) << again.out;
}

TEST(CorpusTagCli, BadArgumentsAreUsageErrors) {
  TempDir tmp;
  auto r = run_caploop({"corpus", "tag", "--out", (tmp / "o").string(), "--shard", "3/2", (tmp / "x").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  auto m = run_caploop({"corpus", "tag", "--out", (tmp / "o").string(), (tmp / "missing.jsonl").string()});
  EXPECT_EQ(m.exit_code, 4) << m.err;
  auto s = run_caploop({"corpus", "stats", (tmp / "nothing").string()});
  EXPECT_EQ(s.exit_code, 4) << s.err;
}

}  // namespace
}  // namespace caploop::corpus
