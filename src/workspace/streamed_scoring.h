// StreamedScoring: ingest scores each response while the importer hands it over, so that the texts need not be
// read back from the workspace and decompressed after the import.
//
// Contract: a ScoringSink sits between an importer and the sink that stores (forward_to(): the next sink, set by
// the thread that imports); it passes every call on unchanged and scores the item's responses with the task's
// default rule (workspace/run_scoring.h), classifying how each ended, on a thread of its own (copies of the texts
// it needs, in batches, at most kScoringBatchesInFlight of them waiting: memory stays bounded); finish() waits for
// it and rethrows what a rule threw. A task whose default rule caploop knows
// from the harness's task name (eval/rule_registry.h) is scored here; any other task (its default depends on the
// metrics the whole run logged) is left to store_streamed_scores(), which scores it from the workspace. Endings
// that infer truncation from the run's longest generation of the task are completed once the run is read
// (eval/ending.h: awaits_run_max_bytes). store_streamed_scores() runs inside the import's transaction, after the
// import: it writes every score row exactly as score_run() would (same rules, versions, answers and endings) and
// returns the same report; scores are matched to stored responses by (benchmark, task, source id, sample index).
// A task scored here is also scored with caploop's own rule for its benchmark where that differs from the
// default (Task::benchmark_rule), and those scores are stored as well, unless some task of the benchmark is not
// scored here (then none are kept for that rule: stored scores of a rule always cover the run's whole benchmark).
// Most rows are written before that, while the import streams: each batch scored by then goes to the writing
// thread through the pipeline and is written there (StreamedScoreRows), so the serial end of an ingest writes only
// the last batches and the endings that waited for the run's longest generation.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "eval/ending.h"
#include "eval/scoring_rule.h"
#include "io/ingest_records.h"
#include "store/run_writer.h"
#include "store/score_table.h"
#include "store/workspace_db.h"
#include "workspace/pipelined_sink.h"
#include "workspace/run_scoring.h"
#include "workspace/run_summary.h"

namespace caploop {

inline constexpr size_t kScoringBatchesInFlight = 64;  // batches of about 512 responses
class ScoringStage;

class ScoringSink : public IngestSink {
 public:
  ScoringSink();
  ~ScoringSink() override;
  ScoringSink(const ScoringSink&) = delete;
  ScoringSink& operator=(const ScoringSink&) = delete;
  void forward_to(IngestSink& next) { next_ = &next; }
  // Scores what is still pending and waits for it; call once the import is done, before tasks() and scored().
  void finish();

  void begin_run(const RunInfo& run) override;
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override;
  void add_owned_item(ItemRecord&& item, std::vector<ResponseRecord> responses) override;

  struct Task;
  struct Scored {
    uint32_t task = 0;         // index into tasks()
    const Task* of = nullptr;  // the same task (tasks() never moves one)
    int64_t sample_index = 0;
    std::string source_id;
    Score score;
    Ending ending;
    size_t text_bytes = 0;
    bool awaits_run_max = false;  // ending completed once the task's longest generation is known
    // Under the task's benchmark_rule, when it has one.
    struct UnderBenchmarkRule {
      Score score;
      Ending ending;
      bool awaits_run_max = false;
    };
    std::optional<UnderBenchmarkRule> benchmark_rule;
  };
  struct Task {
    std::string benchmark;
    std::string task;
    const ScoringRule* rule = nullptr;  // nullptr: left to store_streamed_scores
    // caploop's own rule for the benchmark (eval/rule_registry.h: default_rule_name_for) where it is not `rule`
    // (bbh beside bbh-lm-eval-strict): stored too, so `summary --rule bbh` and the like read it.
    const ScoringRule* benchmark_rule = nullptr;
    size_t longest_bytes = 0;
  };
  const std::deque<Task>& tasks() const { return tasks_; }
  // Whether a task of the run is scored here (its default rule is known from the harness's task name); the rest
  // is left to store_streamed_scores. Safe from another thread once the run has begun (reads only what
  // begin_run set).
  bool scores_while_streaming(const std::string& benchmark, const std::string& task) const;
  // From now on, each scored batch is handed, in order, to `write` on the pipeline's writing thread
  // (PipelineSink::run_on_writer), after the items it scored; call from the importing thread before the first item.
  void write_batches_through(PipelineSink& pipeline, std::function<void(const std::vector<Scored>&)> write);
  std::vector<Scored>& scored() { return scored_; }

 private:
  struct Job;
  uint32_t task_index(const std::string& benchmark, const std::string& task);
  void queue(const ItemRecord& item, const std::vector<ResponseRecord>& responses);
  void submit();

  IngestSink* next_ = nullptr;
  std::optional<int64_t> max_new_tokens_;
  std::map<std::string, std::string> harness_tasks_;
  std::deque<Task> tasks_;  // a deque: Scored::of stays valid while tasks are added
  std::map<std::pair<std::string, std::string>, uint32_t> task_ids_;
  std::pair<std::string, std::string> last_key_;
  uint32_t last_task_ = 0;
  bool have_last_ = false;
  std::vector<Scored> scored_;
  std::unique_ptr<Job> job_;                     // being filled by the importer's thread
  std::vector<std::unique_ptr<Job>> submitted_;  // in order
  size_t handed_to_writer_ = 0;                  // submitted_ jobs whose scores went to write_
  PipelineSink* pipeline_ = nullptr;
  std::function<void(const std::vector<Scored>&)> write_;
  void hand_scored_to_writer();
  std::unique_ptr<ScoringStage> stage_;
};

// The score rows of the streamed tasks written while the import streams, on the writing thread inside the
// import's transaction: each batch ScoringSink hands over (write_batches_through) is matched, in order, with the
// responses the RunWriter wrote (its log of written responses, which it must keep), and each score whose ending
// is final is written. Endings that wait for the task's longest generation are left to store_streamed_scores.
// A batch that does not match the writer's log in order (never seen: the writer keeps the importer's order) stops
// this; store_streamed_scores then deletes what it wrote and writes every score itself.
class StreamedScoreRows {
 public:
  StreamedScoreRows(WorkspaceDb& ws, const RunWriter& writer, const ScoringSink& scoring);
  ~StreamedScoreRows();
  void write(const std::vector<ScoringSink::Scored>& batch);
  size_t written_prefix() const { return broken_ ? 0 : matched_; }  // scored responses handled, in order
  bool matched_any() const { return matched_ > 0; }  // whether anything may have been written (also when stopped)
  int64_t rows_written() const { return rows_written_; }

 private:
  bool streamed(uint32_t written_task);
  const RunWriter& writer_;
  const ScoringSink& scoring_;
  std::unique_ptr<ScoreWriter> rows_;
  size_t cursor_ = 0;   // into the writer's log
  size_t matched_ = 0;  // scored responses matched so far
  int64_t rows_written_ = 0;
  bool broken_ = false;
  std::vector<int8_t> streamed_;  // by the writer's task index: -1 unknown, 0 no, 1 yes
};

// Completes the endings, writes the score rows of the streamed tasks, scores the others from the workspace, and
// reports every task as score_run() does. Call inside the import's transaction. With `samples`, the streamed
// tasks' scores are also moved there (for summarize_run_with), as summarize_run would read them back. The stored
// responses are known from `writer`, which must have kept them from the start (RunWriter::keep_written_responses).
// With `early`, the rows it wrote while the import streamed are not written again.
ScoringReport store_streamed_scores(WorkspaceDb& ws, const RunRow& run, ScoringSink& scoring, unsigned threads,
                                    const RunWriter& writer, Progress* progress, KnownTaskSamples* samples = nullptr,
                                    const StreamedScoreRows* early = nullptr);

}  // namespace caploop
