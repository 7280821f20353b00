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
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "eval/ending.h"
#include "eval/scoring_rule.h"
#include "io/ingest_records.h"
#include "store/run_writer.h"
#include "store/workspace_db.h"
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

  struct Scored {
    uint32_t task = 0;  // index into tasks()
    int64_t sample_index = 0;
    std::string source_id;
    Score score;
    Ending ending;
    size_t text_bytes = 0;
    bool awaits_run_max = false;  // ending completed once the task's longest generation is known
  };
  struct Task {
    std::string benchmark;
    std::string task;
    const ScoringRule* rule = nullptr;  // nullptr: left to store_streamed_scores
    size_t longest_bytes = 0;
  };
  const std::vector<Task>& tasks() const { return tasks_; }
  std::vector<Scored>& scored() { return scored_; }

 private:
  struct Job;
  uint32_t task_index(const std::string& benchmark, const std::string& task);
  void queue(const ItemRecord& item, const std::vector<ResponseRecord>& responses);
  void submit();

  IngestSink* next_ = nullptr;
  std::optional<int64_t> max_new_tokens_;
  std::map<std::string, std::string> harness_tasks_;
  std::vector<Task> tasks_;
  std::map<std::pair<std::string, std::string>, uint32_t> task_ids_;
  std::pair<std::string, std::string> last_key_;
  uint32_t last_task_ = 0;
  bool have_last_ = false;
  std::vector<Scored> scored_;
  std::unique_ptr<Job> job_;                     // being filled by the importer's thread
  std::vector<std::unique_ptr<Job>> submitted_;  // in order
  std::unique_ptr<ScoringStage> stage_;
};

// Completes the endings, writes the score rows of the streamed tasks, scores the others from the workspace, and
// reports every task as score_run() does. Call inside the import's transaction. With `samples`, the streamed
// tasks' scores are also moved there (for summarize_run_with), as summarize_run would read them back. The stored
// responses are known from `writer`, which must have kept them from the start (RunWriter::keep_written_responses).
ScoringReport store_streamed_scores(WorkspaceDb& ws, const RunRow& run, ScoringSink& scoring, unsigned threads,
                                    const RunWriter& writer, Progress* progress, KnownTaskSamples* samples = nullptr);

}  // namespace caploop
