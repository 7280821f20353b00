// Verify job: tests a plan's hypotheses on two stored runs — the model before (baseline) and after
// (candidate) training on the plan's sample — and, when a control run is named (the model trained as long on
// the plan's control mixture), against that run too; returns the Verification (verify/verification.h).
//
// Contract: reads the plan (read_plan; a missing file is kNotFound, a malformed one kInput naming file and
// field), looks both runs up (unknown name: kNotFound listing known runs), scores them with `rule` (or each
// benchmark's default rule) when not yet scored, and pairs their items: an item enters when both runs have at
// least one scored sample for it, keyed "<task>:<id>" as in diagnosis and plan files. Per item it keeps samples
// and correct samples of each run; the verify layer does the rest. Writes to the workspace only the scores it
// had to compute. Not thread-safe (one WorkspaceDb per thread); `threads` is used for scoring.
#pragma once

#include <optional>
#include <string>

#include "mixture/mixture_plan.h"
#include "store/workspace_db.h"
#include "verify/verification.h"

namespace caploop {

struct VerifyRequest {
  std::string plan_path;
  std::string baseline;
  std::string candidate;
  std::optional<std::string> control;  // run trained as long on the plan's control mixture
  std::optional<std::string> rule;
  VerifyOptions options;
  unsigned threads = 1;
};

// Reads the plan at request.plan_path and verifies it.
Verification verify_runs(WorkspaceDb& ws, const VerifyRequest& request);

// Verifies a plan already in memory (request.plan_path only names it in the output).
Verification verify_runs_with_plan(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& request);

// The input verify_plan() reads (exposed for reports and tests).
VerificationInput build_verification_input(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& request);

}  // namespace caploop
