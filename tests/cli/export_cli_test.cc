// caploop export: one row per response, JSONL and CSV (checked with Python's csv module, an independent RFC 4180
// reader), deterministic, atomic --out, and the harness's own metrics beside caploop's verdict.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "io/inspect_logs.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::run_caploop;
using testing::TempDir;

// Free-text answers with a comma, a quote and a line break, scored by the exact rule.
const char* kRun = R"({"id": "q1", "question": "Name two?", "answer": "a, \"b\"", "output": "a, \"b\""})"
                   "\n"
                   R"({"id": "q2", "question": "Two lines?", "answer": "x", "output": "line one\nline two"})"
                   "\n";

std::string ingest_generic(const TempDir& tmp) {
  std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  testing::write_file(in, kRun);
  auto r = run_caploop({"--db", db, "-q", "ingest", "--run", "r", "--format", "generic", "--benchmark", "qa", "--id",
                        "/id", "--input", "/question", "--response", "/output", "--target", "/answer", in});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return db;
}

TEST(ExportCliTest, JsonlHasOneRowPerResponseWithTheVerdict) {
  TempDir tmp;
  std::string db = ingest_generic(tmp);
  auto r = run_caploop({"--db", db, "export", "--run", "r"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(r.out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::element first = parser.parse(lines[0]);
  EXPECT_EQ(std::string_view(first["item"]), "qa:q1");
  EXPECT_EQ(std::string_view(first["rule"]), "exact");
  EXPECT_EQ(std::string_view(first["answer"]), "a, \"b\"");
  EXPECT_TRUE(bool(first["correct"]));
  EXPECT_EQ(int64_t(first["sample_index"]), 0);
  EXPECT_EQ(simdjson::dom::object(first["harness_metrics"]).size(), 0u);
  simdjson::dom::element second = parser.parse(lines[1]);
  EXPECT_FALSE(bool(second["correct"]));
}

TEST(ExportCliTest, CsvIsRfc4180AndOutIsAtomicAndDeterministic) {
  TempDir tmp;
  std::string db = ingest_generic(tmp);
  auto a = run_caploop({"--db", db, "export", "--run", "r", "--format", "csv"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::string out = (tmp / "x.csv").string();
  auto b = run_caploop({"--db", db, "export", "--run", "r", "--format", "csv", "--out", out});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(testing::read_file(out), a.out);  // same bytes to a file as to stdout, run after run
  // Python's csv module reads back the fields exactly.
  auto py = testing::run_command(
      {"python3", "-c",
       "import csv,sys\nrows=list(csv.DictReader(open(sys.argv[1],newline='')))\n"
       "print(len(rows)); print(repr(rows[0]['answer'])); print(repr(rows[1]['answer'])); print(rows[1]['correct'])",
       out});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  EXPECT_EQ(py.out, "2\n'a, \"b\"'\n'line one\\nline two'\nfalse\n");
}

TEST(ExportCliTest, InspectRunCarriesInspectsScoreBesideCaploops) {
  REQUIRE_SHARED_DATA();
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  auto r = run_caploop({"--db", db, "-q", "ingest", "--run", "i", "--format", "inspect",
                        (testing::inspect_logs_dir() / "gsm8k_epochs1_deflate.eval").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto e = run_caploop({"--db", db, "export", "--run", "i", "--format", "csv"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto py = testing::run_command(
      {"python3", "-c",
       "import csv,io,sys\nrows=list(csv.DictReader(io.StringIO(sys.argv[1], newline='')))\n"
       "print(len(rows), sum((r['correct']=='true')==(r['harness:match,none']=='1') for r in rows), rows[0]['item'])",
       e.out});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  EXPECT_EQ(py.out, "50 50 gsm8k:1\n");  // 50 responses, caploop and Inspect agree on all
}

TEST(ExportCliTest, BadArgumentsAndUnknownRuns) {
  TempDir tmp;
  std::string db = ingest_generic(tmp);
  EXPECT_EQ(run_caploop({"--db", db, "export", "--run", "r", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(run_caploop({"--db", db, "export", "--run", "nope"}).exit_code, 4);
  EXPECT_EQ(run_caploop({"--db", db, "export", "--run", "r", "--rule", "nope"}).exit_code, 4);
  auto help = run_caploop({"export", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--format"), std::string::npos);
}

}  // namespace
}  // namespace caploop
