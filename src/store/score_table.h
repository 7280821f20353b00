// ScoreTable: stored scores, per (response, rule), with the rule's version and how the generation ended. They are
// kept packed (store/score_set.h): per run, rule, benchmark and task, one score_sets row per batch written, read
// back as a row per response through the `scores` view (docs/workspace.md).
//
// Contract: ScoreWriter::clear(), put() and flush() must run inside a Transaction. put() keeps a score in memory;
// flush() stores every score put since the last flush (a task's scores are also stored on their own each time
// kScoreSetChunk of them wait). Scores never flushed are not stored. Re-scoring a run with a rule first clears that
// run's scores for the rule, so a stored score always comes from one rule version. After that a response must be
// put at most once per rule: a second put is stored beside the first, not in its place. read_sample_scores()
// returns samples ordered by item id and sample index (stable, so summaries are deterministic), per task.
// stored_rule_version() says whether (and with which version) a run was scored.
// On a read-only workspace ScoreWriter writes to a connection-private copy (WorkspaceDb::prepare_score_writes).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "eval/ending.h"
#include "eval/scoring_rule.h"
#include "store/workspace_db.h"

namespace caploop {

inline constexpr size_t kScoreSetChunk = 16384;

// The stored response a score belongs to.
struct ScoredResponseKey {
  int64_t run_id = 0;
  std::string_view benchmark;
  std::string_view task;
  int64_t response_id = 0;
  int64_t item_id = 0;
  int64_t sample_index = 0;
};

class ScoreWriter {
 public:
  explicit ScoreWriter(WorkspaceDb& ws);
  ~ScoreWriter();
  // Deletes the run's stored scores under `rule` (of one benchmark, of one task of it, when given) and drops those
  // put and not yet flushed.
  void clear(int64_t run_id, std::string_view rule, std::optional<std::string_view> benchmark,
             std::optional<std::string_view> task = std::nullopt);
  void put(const ScoredResponseKey& response, std::string_view rule, int rule_version, const Score& score,
           const Ending& ending);
  void flush();
  // One score of a stored response given by id, stored at once (with what flush() would store): for single scores.
  void put(int64_t response_id, std::string_view rule, int rule_version, const Score& score, const Ending& ending);

 private:
  struct Group;
  Group& group_of(const ScoredResponseKey& response, std::string_view rule, int rule_version);
  void flush_group(Group& group);
  WorkspaceDb& ws_;
  Statement insert_;
  std::vector<std::unique_ptr<Group>> groups_;
  Group* last_ = nullptr;
};

// One response's score under one rule, as summaries aggregate it.
struct SampleScore {
  int64_t response_id = 0;
  int64_t item_id = 0;
  int64_t sample_index = 0;
  bool found = false;
  bool correct = false;
  bool ran_on = false;
  bool truncated = false;
  bool repetitive = false;
  EndingKind ending = EndingKind::kStopped;
  EndingEvidence evidence = EndingEvidence::kInferred;
  std::string answer;

  SampleScore() = default;
  SampleScore(int64_t response, int64_t item, int64_t sample, const Score& score, const Ending& e);
};

// The samples of one task, ordered by item id then sample index.
using TaskSampleScores = std::map<std::string, std::vector<SampleScore>>;  // task -> samples

// The stored scores of a run under `rule` for one benchmark, per task, each task's samples ordered by item id
// then sample index (the answer empty where none was found). A damaged score set throws Error(kStore).
TaskSampleScores read_sample_scores(WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark);

// Orders samples by item id then sample index (as read_sample_scores returns them; for samples scored in memory).
void order_by_item(std::vector<SampleScore>& samples);

// The version of `rule` the run's responses were scored with (of `benchmark` when given), or nullopt if none.
std::optional<int> stored_rule_version(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                       std::optional<std::string_view> benchmark);

// Every packed chunk of a run's scores under `rule` for one benchmark (one task when given), in task and chunk
// order: fn(task, rule_version, the chunk's samples in the order written, answers as stored); the views and the
// samples are valid during the call (which may move the samples out).
using ScoreSetVisitor = std::function<void(std::string_view task, int rule_version, std::vector<SampleScore>& samples)>;
void for_each_score_set(WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
                        std::optional<std::string_view> task, const ScoreSetVisitor& fn);

// A run's stored scores under `rule` for one benchmark (one task when given), by response id, with the rule
// version of each; the answer as stored (also when none was found).
struct StoredScore {
  int rule_version = 0;
  uint32_t task = 0;  // index into StoredScores::tasks
  SampleScore score;
};
struct StoredScores {
  std::vector<std::string> tasks;
  std::unordered_map<int64_t, StoredScore> by_response;
};
StoredScores read_stored_scores(WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
                                std::optional<std::string_view> task = std::nullopt);

// Benchmarks present in a run, sorted.
std::vector<std::string> benchmarks_of_run(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
