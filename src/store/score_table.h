// ScoreTable: stored scores, one row per (response, rule), with the rule's version and how the generation ended.
//
// Contract: ScoreWriter::clear() and put() must run inside a Transaction; re-scoring a run with a rule first
// clears that run's rows for the rule, so a stored score always comes from one rule version. read_scored_samples()
// returns rows ordered by benchmark, task, item id and sample index (stable, so summaries are deterministic),
// optionally only one benchmark. stored_rule_version() says whether (and with which version) a run was scored.
// On a read-only workspace ScoreWriter writes to a connection-private copy (WorkspaceDb::prepare_score_writes).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eval/ending.h"
#include "eval/scoring_rule.h"
#include "store/workspace_db.h"

namespace caploop {

class ScoreWriter {
 public:
  explicit ScoreWriter(WorkspaceDb& ws);
  void clear(int64_t run_id, std::string_view rule, std::optional<std::string_view> benchmark);
  void put(int64_t response_id, std::string_view rule, int rule_version, const Score& score, const Ending& ending);

 private:
  WorkspaceDb& ws_;
  Statement insert_;
};

struct ScoredSample {
  int64_t item_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t sample_index = 0;
  bool found = false;
  bool correct = false;
  std::string answer;
  std::string ending;  // ending_name()
  bool ran_on = false;
  bool truncated = false;
  bool repetitive = false;
  std::string evidence;  // evidence_name()
};

std::vector<ScoredSample> read_scored_samples(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                              std::optional<std::string_view> benchmark);

// The stored scores of a run under `rule` for one benchmark, lean: `fn(item_id, task, correct, ending)` per
// response, in no particular order (aggregations per item need none); the views are valid during the call.
void for_each_stored_score(
    WorkspaceDb& ws, int64_t run_id, std::string_view rule, std::string_view benchmark,
    const std::function<void(int64_t item_id, std::string_view task, bool correct, std::string_view ending)>& fn);

// The version of `rule` the run's responses were scored with (of `benchmark` when given), or nullopt if none.
std::optional<int> stored_rule_version(WorkspaceDb& ws, int64_t run_id, std::string_view rule,
                                       std::optional<std::string_view> benchmark);

// Benchmarks present in a run, sorted.
std::vector<std::string> benchmarks_of_run(WorkspaceDb& ws, int64_t run_id);

}  // namespace caploop
