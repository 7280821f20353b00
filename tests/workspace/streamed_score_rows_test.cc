// StreamedScoreRows: the score rows ingest writes while the import streams. Each batch of scores is matched, in
// order, with the responses the RunWriter wrote (its log), skipping tasks that are not scored while streaming;
// rows whose ending waits for the task's longest generation are left for later; a batch that does not match stops
// it (store_streamed_scores then writes every row itself).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "eval/ending.h"
#include "eval/rule_registry.h"
#include "store/run_writer.h"
#include "store/sqlite.h"
#include "store/workspace_db.h"
#include "test_support.h"
#include "workspace/streamed_scoring.h"

namespace caploop {
namespace {

// An answer, then the start of a next question, cut mid-sentence.
constexpr const char* kRanOn = "So the answer is (A).\n\nQ: Which of the following is the next";

struct NullSink : IngestSink {
  void begin_run(const RunInfo&) override {}
  void add_item(const ItemRecord&, std::vector<ResponseRecord>) override {}
};

ItemRecord item(const std::string& benchmark, const std::string& task, const std::string& id) {
  ItemRecord it;
  it.benchmark = benchmark;
  it.task = task;
  it.source_id = id;
  it.prompt = "Q: which way? " + id;
  it.reference = "(A)";
  return it;
}

std::vector<ResponseRecord> one_response(const std::string& text) {
  ResponseRecord r;
  r.text = text;
  return {r};
}

// (response id, rule, answer, correct) of every stored score row.
std::vector<std::string> rows_of(WorkspaceDb& ws) {
  Statement st(ws.db(), "SELECT response_id, rule, answer, correct FROM scores ORDER BY response_id");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.str(0) + "|" + st.str(1) + "|" + st.str(2) + "|" + st.str(3));
  return out;
}

class StreamedScoreRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_ = std::make_unique<WorkspaceDb>((dir_ / "ws.db").string(), true);
    tx_ = std::make_unique<Transaction>(ws_->db());
    writer_ = std::make_unique<RunWriter>(*ws_, false);
    writer_->keep_written_responses();
    RunInfo run;
    run.name = "r";
    run.harness = "lm-eval";
    writer_->begin_run(run);
    sink_.forward_to(null_);
    sink_.begin_run(run);
    task_.benchmark = "bbh";
    task_.task = "navigate";
    task_.rule = &rule_or_throw("bbh-lm-eval-strict");
    // bbh items 0..3, and between them an item of a task caploop has no rule for (not scored while streaming)
    writer_->add_item(item("bbh", "navigate", "0"), one_response("So the answer is (A)."));
    writer_->add_item(item("bbh", "navigate", "1"), one_response("So the answer is (B)."));
    writer_->add_item(item("custom", "custom", "0"), one_response("whatever"));
    writer_->add_item(item("bbh", "navigate", "2"), one_response("So the answer is (A)."));
    writer_->add_item(item("bbh", "navigate", "3"), one_response(kRanOn));
  }

  ScoringSink::Scored scored(const std::string& id, const std::string& text) const {
    ScoringSink::Scored s;
    s.of = &task_;
    s.source_id = id;
    s.score = task_.rule->score(text, "(A)");
    EndingInput in;
    in.text = text;
    s.ending = classify_ending(in, s.score.extraction);
    s.awaits_run_max = awaits_run_max_bytes(in, s.score.extraction, s.ending);
    s.text_bytes = text.size();
    return s;
  }

  caploop::testing::TempDir dir_;
  std::unique_ptr<WorkspaceDb> ws_;
  std::unique_ptr<Transaction> tx_;
  std::unique_ptr<RunWriter> writer_;
  NullSink null_;
  ScoringSink sink_;
  ScoringSink::Task task_;
};

TEST_F(StreamedScoreRowsTest, BatchesMatchTheWrittenResponsesInOrder) {
  StreamedScoreRows rows(*ws_, *writer_, sink_);
  rows.write({scored("0", "So the answer is (A)."), scored("1", "So the answer is (B).")});
  EXPECT_EQ(rows.written_prefix(), 2u);
  rows.write({scored("2", "So the answer is (A)."), scored("3", kRanOn)});
  EXPECT_EQ(rows.written_prefix(), 4u);
  // Response ids 1, 2, 4 (3 is the custom task's); 5 ran on past its answer and was cut mid-sentence, so whether
  // it was truncated waits for the task's longest generation: not written yet.
  ASSERT_TRUE(scored("3", kRanOn).awaits_run_max);
  EXPECT_EQ(rows.rows_written(), 3);
  EXPECT_EQ(rows_of(*ws_), (std::vector<std::string>{"1|bbh-lm-eval-strict|(A)|1", "2|bbh-lm-eval-strict|(B)|0",
                                                     "4|bbh-lm-eval-strict|(A)|1"}));
}

TEST_F(StreamedScoreRowsTest, ABatchOutOfOrderStopsIt) {
  StreamedScoreRows rows(*ws_, *writer_, sink_);
  rows.write({scored("0", "So the answer is (A).")});
  EXPECT_EQ(rows.written_prefix(), 1u);
  rows.write({scored("2", "So the answer is (A).")});  // "1" was written next
  EXPECT_EQ(rows.written_prefix(), 0u);                // nothing may be taken as written: all rows are rewritten
  rows.write({scored("1", "So the answer is (B).")});  // and it stays stopped
  EXPECT_EQ(rows.written_prefix(), 0u);
  EXPECT_EQ(rows_of(*ws_), (std::vector<std::string>{"1|bbh-lm-eval-strict|(A)|1"}));
}

TEST_F(StreamedScoreRowsTest, MoreScoresThanWrittenResponsesStopIt) {
  StreamedScoreRows rows(*ws_, *writer_, sink_);
  rows.write({scored("0", "x"), scored("1", "x"), scored("2", "x"), scored("3", "x"), scored("4", "x")});
  EXPECT_EQ(rows.written_prefix(), 0u);
}

// When the rows written while streaming stop out of order, store_streamed_scores deletes them and writes every
// score once: no response is stored twice (packed score sets have no INSERT OR REPLACE to hide a second write).
TEST_F(StreamedScoreRowsTest, AStoppedStreamsRowsAreReplacedNotDuplicated) {
  // The sink scores the items the writer wrote, in the same order.
  sink_.add_item(item("bbh", "navigate", "0"), one_response("So the answer is (A)."));
  sink_.add_item(item("bbh", "navigate", "1"), one_response("So the answer is (B)."));
  sink_.add_item(item("custom", "custom", "0"), one_response("whatever"));
  sink_.add_item(item("bbh", "navigate", "2"), one_response("So the answer is (A)."));
  sink_.add_item(item("bbh", "navigate", "3"), one_response(kRanOn));
  const ScoringSink::Task& navigate = sink_.tasks().front();
  ASSERT_NE(navigate.rule, nullptr);
  auto as_sink_scores = [&](const std::string& id, const std::string& text) {
    ScoringSink::Scored s = scored(id, text);
    s.of = &navigate;
    s.score = navigate.rule->score(text, "(A)");
    return s;
  };
  StreamedScoreRows rows(*ws_, *writer_, sink_);
  rows.write({as_sink_scores("0", "So the answer is (A).")});
  rows.write({as_sink_scores("2", "So the answer is (A).")});  // "1" was written next: stops
  ASSERT_EQ(rows.written_prefix(), 0u);
  ASSERT_TRUE(rows.matched_any());
  const RunRow run = ws_->run_or_throw("r");
  store_streamed_scores(*ws_, run, sink_, 1, *writer_, nullptr, nullptr, &rows);
  Statement st(ws_->db(), "SELECT response_id, rule, count(*) FROM scores GROUP BY response_id, rule ORDER BY 1, 2");
  std::vector<std::string> got;
  while (st.step()) got.push_back(st.str(0) + "|" + st.str(1) + "|" + st.str(2));
  const std::string rule(navigate.rule->name());
  EXPECT_EQ(got, (std::vector<std::string>{"1|" + rule + "|1", "2|" + rule + "|1", "3|exact|1", "4|" + rule + "|1",
                                           "5|" + rule + "|1"}));
}

}  // namespace
}  // namespace caploop
