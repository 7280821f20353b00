// Packed score sets (store/score_set.h) give back every field as it went in, in order, and refuse a damaged blob;
// the `scores` view reads them as a row per response and rule; a workspace of schema 3 (a row per score) reads the
// same before and after it is converted, and a read-only open does not write it.
#include "store/score_set.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/score_table.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"

namespace caploop {
namespace {

using testing::TempDir;

std::string describe(const SampleScore& s) {
  return std::to_string(s.response_id) + "|" + std::to_string(s.item_id) + "|" + std::to_string(s.sample_index) + "|" +
         std::to_string(s.found) + std::to_string(s.correct) + std::to_string(s.ran_on) + std::to_string(s.truncated) +
         std::to_string(s.repetitive) + "|" + std::string(ending_name(s.ending)) + "|" +
         std::string(evidence_name(s.evidence)) + "|" + s.answer;
}

std::vector<SampleScore> random_samples(std::mt19937_64& rng, size_t n) {
  std::vector<SampleScore> out(n);
  std::uniform_int_distribution<int64_t> id(-5, int64_t{1} << 40);
  for (SampleScore& s : out) {
    s.response_id = id(rng);  // not ordered: sets keep the item order, whatever the response ids
    s.item_id = id(rng);
    s.sample_index = static_cast<int64_t>(rng() % 300);
    s.found = rng() & 1;
    s.correct = rng() & 1;
    s.ran_on = rng() & 1;
    s.truncated = rng() & 1;
    s.repetitive = rng() & 1;
    s.ending = static_cast<EndingKind>(rng() % 5);
    s.evidence = static_cast<EndingEvidence>(rng() % 3);
    size_t len = rng() % 4 == 0 ? 200 + rng() % 300 : rng() % 12;
    for (size_t i = 0; i < len; ++i) s.answer.push_back(static_cast<char>(rng() % 256));
  }
  return out;
}

TEST(ScoreSetTest, EverySampleComesBackAsItWentIn) {
  std::mt19937_64 rng(7);
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{513}, size_t{5000}}) {
    std::vector<SampleScore> in = random_samples(rng, n);
    std::string blob = encode_score_set(in);
    std::vector<SampleScore> out;
    decode_score_set(blob, out, "test");
    ASSERT_EQ(out.size(), in.size());
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(describe(out[i]), describe(in[i])) << "sample " << i;
  }
}

TEST(ScoreSetTest, DecodingAppends) {
  std::mt19937_64 rng(8);
  std::vector<SampleScore> a = random_samples(rng, 3), b = random_samples(rng, 4);
  std::vector<SampleScore> out;
  decode_score_set(encode_score_set(a), out, "a");
  decode_score_set(encode_score_set(b), out, "b");
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(describe(out[3]), describe(b[0]));
}

TEST(ScoreSetTest, ADamagedBlobIsRefusedNamingWhere) {
  std::mt19937_64 rng(9);
  std::string blob = encode_score_set(random_samples(rng, 20));
  auto refused = [](std::string_view bytes) {
    std::vector<SampleScore> out;
    try {
      decode_score_set(bytes, out, "set of run 3");
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kStore);
      EXPECT_NE(std::string(e.what()).find("set of run 3"), std::string::npos) << e.what();
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(std::string(1, '\x02') + blob.substr(1)));  // another format version
  size_t cut_short = 0;
  for (size_t len = 2; len < blob.size(); ++len) cut_short += refused(blob.substr(0, len)) ? 1 : 0;
  // A cut at a sample boundary is a shorter valid set; every other cut is refused.
  EXPECT_GE(cut_short, blob.size() - 2 - 20);
  std::string bad_ending = encode_score_set({SampleScore{}});
  bad_ending[bad_ending.size() - 2] = '\x07';  // ending kind 7
  EXPECT_TRUE(refused(bad_ending));
}

// A workspace with one run of three items (one sample each), scored under "exact" and "gsm8k".
void make_scored_workspace(const std::string& path) {
  WorkspaceDb ws(path, WorkspaceAccess::kCreate);
  Transaction tx(ws.db());
  ws.db().exec(
      "INSERT INTO runs(id, name) VALUES(1, 'a');"
      "INSERT INTO texts(id, digest, body) VALUES(1, x'00', 'q'), (2, x'01', '4');"
      "INSERT INTO stored_items(id, benchmark, task, source_id, question_text, metadata_text) VALUES"
      " (1, 'gsm8k', 'gsm8k', '0', 1, 1), (2, 'gsm8k', 'gsm8k', '1', 1, 1), (3, 'gsm8k', 'other', '2', 1, 1);"
      "INSERT INTO stored_run_items(run_id, item_id, prompt_text, reference_text) VALUES (1, 1, 1, 2), (1, 2, 1, 2),"
      " (1, 3, 1, 2);"
      "INSERT INTO stored_responses(id, run_id, item_id, sample_index, body) VALUES (10, 1, 1, 0, 'The answer is 4.'),"
      " (11, 1, 2, 0, 'It is 5'), (12, 1, 3, 0, '');");
  ScoreWriter writer(ws);
  for (const char* rule : {"exact", "gsm8k"}) {
    int64_t item = 1;
    for (int64_t response : {10, 11, 12}) {
      Score score;
      score.correct = response == 10;
      score.extraction.found = response != 12;
      score.extraction.answer = response == 10 ? "4" : response == 11 ? "5" : "";
      Ending ending;
      ending.kind = response == 12 ? EndingKind::kNoAnswer : EndingKind::kStopped;
      ending.evidence = EndingEvidence::kInferred;
      writer.put({1, "gsm8k", item == 3 ? "other" : "gsm8k", response, item, 0}, rule, 2, score, ending);
      ++item;
    }
  }
  writer.flush();
  tx.commit();
}

std::vector<std::string> score_rows(WorkspaceDb& ws) {
  Statement st(ws.db(),
               "SELECT response_id, rule, rule_version, found, answer, correct, ending, ending_evidence, ran_on, "
               "truncated, repetitive FROM scores ORDER BY rule, response_id");
  std::vector<std::string> out;
  while (st.step()) {
    std::string row;
    for (int c = 0; c < 11; ++c) row += st.str(c) + "|";
    out.push_back(row);
  }
  return out;
}

TEST(ScoreSetTest, TheScoresViewReadsTheSetsAsARowPerScore) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_scored_workspace(path);
  WorkspaceDb ws(path, WorkspaceAccess::kRead);
  EXPECT_EQ(score_rows(ws),
            (std::vector<std::string>{
                "10|exact|2|1|4|1|stopped|inferred|0|0|0|", "11|exact|2|1|5|0|stopped|inferred|0|0|0|",
                "12|exact|2|0||0|no_answer|inferred|0|0|0|", "10|gsm8k|2|1|4|1|stopped|inferred|0|0|0|",
                "11|gsm8k|2|1|5|0|stopped|inferred|0|0|0|", "12|gsm8k|2|0||0|no_answer|inferred|0|0|0|"}));
  Statement sets(ws.db(), "SELECT count(*), sum(n_scores) FROM score_sets");
  ASSERT_TRUE(sets.step());
  EXPECT_EQ(sets.int64(0), 4);  // (rule, task): 2 x 2
  EXPECT_EQ(sets.int64(1), 6);
  TaskSampleScores samples = read_sample_scores(ws, 1, "gsm8k", "gsm8k");
  ASSERT_EQ(samples.size(), 2u);
  ASSERT_EQ(samples["gsm8k"].size(), 2u);
  EXPECT_EQ(samples["gsm8k"][1].answer, "5");
  EXPECT_EQ(stored_rule_version(ws, 1, "exact", std::nullopt), 2);
  EXPECT_FALSE(stored_rule_version(ws, 1, "bbh", std::nullopt).has_value());
}

// Turns a current workspace into schema 3's layout: a row per score in a `scores` table.
void rewrite_as_schema_3(const std::string& path) {
  std::vector<std::string> rows;
  {
    WorkspaceDb ws(path, WorkspaceAccess::kWrite);
    ws.db().exec(
        "BEGIN; CREATE TABLE scores_v3(response_id INTEGER NOT NULL, rule TEXT NOT NULL, rule_version INTEGER NOT "
        "NULL, found INTEGER NOT NULL, answer TEXT NOT NULL, correct INTEGER NOT NULL, ending TEXT NOT NULL, "
        "ending_evidence TEXT NOT NULL, ran_on INTEGER NOT NULL, truncated INTEGER NOT NULL, repetitive INTEGER NOT "
        "NULL, PRIMARY KEY(rule, response_id)) WITHOUT ROWID;"
        "INSERT INTO scores_v3 SELECT * FROM scores; DROP VIEW scores; DROP TABLE score_sets;"
        "ALTER TABLE scores_v3 RENAME TO scores; UPDATE meta SET value = '3' WHERE key = 'schema_version'; COMMIT;");
  }
}

TEST(ScoreSetTest, SchemaThreeReadsTheSameBeforeAndAfterItIsConverted) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_scored_workspace(path);
  std::vector<std::string> expected;
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);
    expected = score_rows(ws);
  }
  rewrite_as_schema_3(path);
  std::string before = testing::read_file(path);
  {
    WorkspaceDb ws(path, WorkspaceAccess::kRead);  // packed into a TEMP copy: the file is not written
    EXPECT_EQ(score_rows(ws), expected);
    EXPECT_EQ(read_sample_scores(ws, 1, "exact", "gsm8k").size(), 2u);
    EXPECT_EQ(stored_rule_version(ws, 1, "gsm8k", "gsm8k"), 2);
  }
  EXPECT_EQ(testing::read_file(path), before);
  {
    WorkspaceDb ws(path, WorkspaceAccess::kWrite);  // converted
    EXPECT_EQ(score_rows(ws), expected);
  }
  Database db(path, OpenMode::kReadOnly);
  Statement kind(db, "SELECT type FROM sqlite_master WHERE name = 'scores'");
  ASSERT_TRUE(kind.step());
  EXPECT_EQ(kind.str(0), "view");
  Statement version(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.str(0), std::to_string(kWorkspaceSchemaVersion));
}

int64_t stored_count(WorkspaceDb& ws, const std::string& where) {
  Statement st(ws.db(), ("SELECT coalesce(sum(n_scores), 0) FROM score_sets WHERE " + where).c_str());
  st.step();
  return st.int64(0);
}

// clear() also drops scores put and not yet flushed, and can clear one task; a task's scores are stored by
// themselves each time kScoreSetChunk of them wait, numbered after the chunks already stored.
TEST(ScoreSetTest, TheWriterClearsWhatItHoldsAndStoresLargeTasksInChunks) {
  TempDir tmp;
  std::string path = (tmp / "w.db").string();
  make_scored_workspace(path);
  WorkspaceDb ws(path, WorkspaceAccess::kWrite);
  Transaction tx(ws.db());
  ScoreWriter writer(ws);
  Score score;
  score.correct = true;
  writer.put({1, "gsm8k", "gsm8k", 10, 1, 0}, "bbh", 1, score, Ending{});  // put, then cleared before any flush
  writer.clear(1, "bbh", std::nullopt);
  writer.put({1, "gsm8k", "gsm8k", 11, 2, 0}, "bbh", 1, score, Ending{});
  writer.flush();
  EXPECT_EQ(stored_count(ws, "rule = 'bbh'"), 1);

  writer.clear(1, "gsm8k", "gsm8k", "other");  // one task of the benchmark: the other keeps its scores
  EXPECT_EQ(stored_count(ws, "rule = 'gsm8k' AND task = 'other'"), 0);
  EXPECT_EQ(stored_count(ws, "rule = 'gsm8k' AND task = 'gsm8k'"), 2);

  for (size_t i = 0; i < kScoreSetChunk + 5; ++i) {
    writer.put({1, "gsm8k", "big", static_cast<int64_t>(100 + i), static_cast<int64_t>(100 + i), 0}, "exact", 2, score,
               Ending{});
  }
  EXPECT_EQ(stored_count(ws, "task = 'big'"), static_cast<int64_t>(kScoreSetChunk));  // stored before any flush
  writer.flush();
  EXPECT_EQ(stored_count(ws, "task = 'big'"), static_cast<int64_t>(kScoreSetChunk + 5));
  Statement chunks(ws.db(),
                   "SELECT group_concat(chunk) FROM (SELECT chunk FROM score_sets WHERE task = 'big' ORDER BY chunk)");
  ASSERT_TRUE(chunks.step());
  EXPECT_EQ(chunks.str(0), "0,1");
  tx.commit();
}

}  // namespace
}  // namespace caploop
