// The JSON of a workspace's runs, as `caploop runs --json` prints it: per run its name, model, checkpoint,
// harness, item and response counts and generation settings (with the harness's extra settings as stored).
// Fields: docs/workspace.md.
//
// Contract: pure; same runs, same bytes (JsonWriter). A pretty-printed object {runs: [...]} in the order given,
// without a final newline; an empty stored extra_json reads as {}.
#pragma once

#include <string>
#include <vector>

#include "store/workspace_db.h"

namespace caploop {

std::string runs_to_json(const std::vector<RunRow>& runs);

}  // namespace caploop
