// Item lookup: one evaluation item with everything every run said about it, for `caploop show`.
//
// Contract: find_items() matches items by source id and optionally task and benchmark, returning every match
// (sorted by benchmark, task) so the caller can report ambiguity. responses_for_item() returns, per run that
// evaluated the item (sorted by run name), the run's prompt and reference and its responses in sample order
// with the stored score for `rule` when present.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

struct ItemRow {
  int64_t id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  std::string question;
  std::string metadata_json;
  std::string content_hash;
};

struct StoredResponse {
  int64_t sample_index = 0;
  std::string text;
  std::optional<int64_t> n_tokens;
  std::optional<std::string> finish_reason;
  std::vector<std::pair<std::string, std::string>> filtered;
  // Score under the requested rule, when stored.
  std::optional<std::string> answer;
  std::optional<bool> correct;
  std::optional<std::string> ending;
};

struct RunOfItem {
  std::string run;
  std::string prompt;
  std::string reference;
  std::vector<StoredResponse> responses;
};

std::vector<ItemRow> find_items(WorkspaceDb& ws, const std::string& source_id, const std::optional<std::string>& task,
                                const std::optional<std::string>& benchmark);

// `rule` is the rule whose stored scores to attach.
std::vector<RunOfItem> responses_for_item(WorkspaceDb& ws, int64_t item_id, const std::string& rule);

}  // namespace caploop
