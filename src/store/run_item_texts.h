// Run item texts: what a run asked per item, read by text id, so that work done per distinct prompt (hashing it,
// listing its answer options) is done once however many items and runs share it (prompts are stored once).
//
// Contract: read-only. items_of_runs() lists items ordered by id. prompt_text_ids() gives each item of the run with the
// id of its prompt text (TextStore reads the text). for_each_response_with_prompt() calls `fn` per response of the run,
// ordered by item id and sample index, with the item's benchmark, task, prompt text id and reference and the response's
// text; the views are valid during the call. Not thread-safe: use the WorkspaceDb's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

// (item id, prompt text id) per item of the run, by item id.
std::vector<std::pair<int64_t, int64_t>> prompt_text_ids(WorkspaceDb& ws, int64_t run_id);

// The items of some runs, once each by item id, with the ids of their question, metadata and reference texts (the
// reference as the first run, by id, that evaluated the item gave it).
struct ItemTextIds {
  int64_t item_id = 0;
  std::string benchmark;
  std::string task;
  std::string source_id;
  int64_t question_text = 0;
  int64_t metadata_text = 0;
  int64_t reference_text = 0;
};
std::vector<ItemTextIds> items_of_runs(WorkspaceDb& ws, const std::vector<int64_t>& run_ids);

struct ResponseWithPrompt {
  int64_t item_id = 0;
  std::string_view benchmark;
  std::string_view task;
  int64_t prompt_text = 0;
  std::string_view reference;
  std::string_view text;
};
void for_each_response_with_prompt(WorkspaceDb& ws, int64_t run_id,
                                   const std::function<void(const ResponseWithPrompt&)>& fn);

}  // namespace caploop
