// StreamedScoring: ingest scores each response while the importer hands it over, so that the texts need not be
// read back from the workspace and decompressed after the import.
//
// Contract: a ScoringSink sits between an importer and the sink that stores (forward_to(): the next sink, set by
// the thread that imports); it passes every call on unchanged after scoring the item's responses with the task's
// default rule (workspace/run_scoring.h) and classifying how each ended. A task whose default rule caploop knows
// from the harness's task name (eval/rule_registry.h) is scored here; any other task (its default depends on the
// metrics the whole run logged) is left to store_streamed_scores(), which scores it from the workspace. Endings
// that infer truncation from the run's longest generation of the task are completed once the run is read
// (eval/ending.h: awaits_run_max_bytes). store_streamed_scores() runs inside the import's transaction, after the
// import: it writes every score row exactly as score_run() would (same rules, versions, answers and endings) and
// returns the same report; scores are matched to stored responses by (benchmark, task, source id, sample index).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "eval/ending.h"
#include "eval/scoring_rule.h"
#include "io/ingest_records.h"
#include "store/workspace_db.h"
#include "workspace/run_scoring.h"
#include "workspace/run_summary.h"

namespace caploop {

class ScoringSink : public IngestSink {
 public:
  ScoringSink() = default;
  void forward_to(IngestSink& next) { next_ = &next; }

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
  uint32_t task_index(const std::string& benchmark, const std::string& task);
  void score(const ItemRecord& item, const std::vector<ResponseRecord>& responses);

  IngestSink* next_ = nullptr;
  std::optional<int64_t> max_new_tokens_;
  std::map<std::string, std::string> harness_tasks_;
  std::vector<Task> tasks_;
  std::map<std::pair<std::string, std::string>, uint32_t> task_ids_;
  std::pair<std::string, std::string> last_key_;
  uint32_t last_task_ = 0;
  bool have_last_ = false;
  std::vector<Scored> scored_;
};

// Completes the endings, writes the score rows of the streamed tasks, scores the others from the workspace, and
// reports every task as score_run() does. Call inside the import's transaction. With `samples`, the streamed
// tasks' scores are also moved there (for summarize_run_with), as summarize_run would read them back.
ScoringReport store_streamed_scores(WorkspaceDb& ws, const RunRow& run, ScoringSink& scoring, unsigned threads,
                                    Progress* progress, KnownTaskSamples* samples = nullptr);

}  // namespace caploop
