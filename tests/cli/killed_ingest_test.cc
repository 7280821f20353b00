// A command is one unit: `ingest` killed between reading the run and scoring it (fault point ingest:imported,
// so the kill lands there every time) leaves the workspace without the run, and the identical command run again
// stores the run scored.
#include <gtest/gtest.h>

#include <string>

#include "store/score_table.h"
#include "store/workspace_db.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::run_caploop;
using testing::run_command;
using testing::TempDir;
using testing::write_file;

const char* kRecords = R"({"id": "a1", "question": "2+2?", "answer": "4", "output": "2+2 is 4. The answer is 4."})"
                       "\n"
                       R"({"id": "a2", "question": "3+3?", "answer": "6", "output": "The answer is 7."})"
                       "\n";

TEST(KilledIngestTest, KillBetweenImportAndScoringLeavesNothingAndTheRerunCompletes) {
  TempDir tmp;
  std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  write_file(in, kRecords);
  std::vector<std::string> ingest = {"--db",     db,          "-q",          "ingest",  "--run",    "r1",
                                     "--format", "generic",   "--benchmark", "gsm8k",   "--id",     "/id",
                                     "--input",  "/question", "--response",  "/output", "--target", "/answer",
                                     in};
  ASSERT_EQ(run_caploop({"--db", db, "init"}).exit_code, 0);
  std::vector<std::string> argv = {CAPLOOP_BINARY};
  argv.insert(argv.end(), ingest.begin(), ingest.end());
  auto killed = run_command(argv, {{"CAPLOOP_FAULT_AT", "ingest:imported"}});
  ASSERT_EQ(killed.exit_code, 128 + 9) << "not killed at the fault point: " << killed.err;

  auto runs = run_caploop({"--db", db, "runs", "--json"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(runs.out.find("\"r1\""), std::string::npos) << "an unscored run was left behind: " << runs.out;

  auto again = run_caploop(ingest);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  WorkspaceDb ws(db, WorkspaceAccess::kRead);
  RunRow run = ws.run_or_throw("r1");
  EXPECT_EQ(run.n_responses, 2);
  EXPECT_TRUE(stored_rule_version(ws, run.id, "gsm8k", "gsm8k").has_value()) << "the run was stored unscored";
}

}  // namespace
}  // namespace caploop
