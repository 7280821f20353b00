// Scored responses: every response of a run with its item, its stored score under one rule and how it ended,
// one row per response, for exports (notebooks, pandas) that join caploop's verdicts with the harness's.
//
// Contract: read-only. Rows of `benchmark` come ordered by task, item id and sample index (deterministic for a
// workspace). A response without a stored score under `rule` has `scored` false and empty score fields. Each
// row owns its strings. Not thread-safe: use the WorkspaceDb's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

struct ScoredResponse {
  int64_t response_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t sample_index = 0;
  std::string reference;
  std::optional<std::string> finish_reason;
  std::optional<int64_t> n_tokens;
  bool scored = false;
  int rule_version = 0;
  bool found = false;
  std::string answer;
  bool correct = false;
  std::string ending;
};

std::vector<ScoredResponse> read_scored_responses(WorkspaceDb& ws, int64_t run_id, std::string_view benchmark,
                                                  std::string_view rule);

}  // namespace caploop
