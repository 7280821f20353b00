// The JSON of one item across the runs that evaluated it, as `caploop show --json` prints it: the item
// (benchmark, task, id, question, metadata), the scoring rule shown, and per run its prompt, reference and
// responses with their stored score under that rule. Fields: docs/workspace.md.
//
// Contract: pure; same inputs, same bytes (JsonWriter). A pretty-printed object without a final newline;
// runs and responses in the order given (store/item_lookup.h: runs by name, responses by sample); a response
// without a stored score has null answer, correct and ending.
#pragma once

#include <string>
#include <vector>

#include "store/item_lookup.h"

namespace caploop {

std::string item_across_runs_to_json(const ItemRow& item, const std::string& rule, const std::vector<RunOfItem>& runs);

}  // namespace caploop
