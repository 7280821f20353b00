// A workspace of schema 2 (the layout before the compact store) is refused by read commands with the command
// that converts it, converted by `caploop migrate` (or any writing command) in one transaction, and then gives
// the same summary, show and export output as a workspace ingested by this caploop.
#include <gtest/gtest.h>

#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "store/workspace_migration.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::run_caploop;
using testing::TempDir;

// Writes `v2` with schema 2 and the content of the current workspace `v3`, table by table as schema 2 held it.
void copy_as_schema_2(const std::string& v3, const std::string& v2) {
  {
    Database old(v2, OpenMode::kCreate);
    old.exec(legacy_schema_v2_sql());
  }
  WorkspaceDb ws(v3, WorkspaceAccess::kWrite);
  Statement attach(ws.db(), "ATTACH DATABASE ? AS old");
  attach.bind(1, std::string_view(v2)).run();
  ws.db().exec(
      "BEGIN;"
      "INSERT INTO old.runs SELECT * FROM main.runs;"
      "INSERT INTO old.items SELECT id, benchmark, task, source_id, question, metadata_json, content_hash FROM items;"
      "INSERT INTO old.run_items SELECT run_id, item_id, prompt, reference FROM run_items;"
      "INSERT INTO old.responses SELECT id, run_id, item_id, sample_index, text, n_bytes, n_tokens, finish_reason "
      "FROM responses;"
      "INSERT INTO old.filtered_values SELECT * FROM main.filtered_values;"
      "INSERT INTO old.scores SELECT * FROM main.scores;"
      "INSERT INTO old.harness_metrics SELECT * FROM main.harness_metrics;"
      "INSERT INTO old.harness_aggregates SELECT * FROM main.harness_aggregates;"
      "COMMIT; DETACH DATABASE old;");
}

TEST(MigrateCliTest, SchemaTwoWorkspaceIsRefusedByReadersThenMigratesToIdenticalOutput) {
  TempDir tmp;
  std::string v3 = (tmp / "v3.db").string(), v2 = (tmp / "v2.db").string();
  auto in = run_caploop({"--db", v3, "-q", "ingest", "--run", "r", "--format", "lm-eval", "examples/lm_eval"});
  ASSERT_EQ(in.exit_code, 0) << in.err;
  copy_as_schema_2(v3, v2);

  auto refused = run_caploop({"--db", v2, "summary", "--run", "r", "--json"});
  EXPECT_EQ(refused.exit_code, 7);
  EXPECT_NE(refused.err.find("schema version 2"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("caploop --db " + v2 + " migrate"), std::string::npos) << refused.err;

  auto migrated = run_caploop({"--db", v2, "migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_NE(migrated.out.find("converted from schema version 2 to 3"), std::string::npos) << migrated.out;
  {
    Database db(v2, OpenMode::kReadOnly);
    Statement st(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('items', 'run_items', 'responses')");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.int64(0), 0);  // the old tables are gone
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"summary", "--run", "r", "--json"},
        std::vector<std::string>{"summary", "--run", "r", "--rule", "bbh", "--json"},
        std::vector<std::string>{"export", "--run", "r", "--format", "jsonl"},
        std::vector<std::string>{"show", "bbh/navigate:3", "--full", "--json"}}) {
    std::vector<std::string> a2 = {"--db", v2}, a3 = {"--db", v3};
    a2.insert(a2.end(), args.begin(), args.end());
    a3.insert(a3.end(), args.begin(), args.end());
    auto from_v2 = run_caploop(a2), from_v3 = run_caploop(a3);
    ASSERT_EQ(from_v3.exit_code, 0) << args[0] << ": " << from_v3.err;
    EXPECT_EQ(from_v2.exit_code, 0) << from_v2.err;
    EXPECT_FALSE(from_v3.out.empty());
    std::string out2 = from_v2.out, out3 = from_v3.out;
    for (std::string* s : {&out2, &out3}) {  // the workspace path appears in some outputs
      for (size_t at; (at = s->find(s == &out2 ? v2 : v3)) != std::string::npos;) s->replace(at, v2.size(), "W");
    }
    EXPECT_EQ(out2, out3) << args[0];
  }
}

}  // namespace
}  // namespace caploop
