#include "workspace/verify_job.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "store/response_evidence.h"
#include "store/run_item_texts.h"
#include "store/score_table.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_pairing.h"
#include "workspace/run_scoring.h"

namespace caploop {
namespace {

// "<task>:<source_id>" of every item any of the runs evaluated, by item id.
std::map<int64_t, std::string> item_keys(WorkspaceDb& ws, const std::vector<int64_t>& runs) {
  std::map<int64_t, std::string> keys;
  for (const ItemTextIds& item : items_of_runs(ws, runs)) keys[item.item_id] = item.task + ":" + item.source_id;
  return keys;
}

// The paired outcomes of the items both runs scored (workspace/run_pairing.h), keyed "<task>:<source_id>".
std::vector<PairedOutcome> paired_outcomes(const std::map<int64_t, std::string>& keys, const RunOutcomes& base_out,
                                           const RunOutcomes& cand_out, int64_t* only_base, int64_t* only_cand) {
  std::vector<int64_t> ids;
  ids.reserve(keys.size());
  for (const auto& [item_id, key] : keys) ids.push_back(item_id);
  const RunPairing pairing = pair_runs(ids, base_out, cand_out);
  if (only_base) *only_base = pairing.only_in_baseline;
  if (only_cand) *only_cand = pairing.only_in_candidate;
  std::vector<PairedOutcome> out;
  out.reserve(pairing.paired.size());
  for (size_t position : pairing.paired) {
    const int64_t item_id = ids[position];
    const ItemRunOutcome& b = base_out.at(item_id);
    const ItemRunOutcome& c = cand_out.at(item_id);
    out.push_back(PairedOutcome{keys.at(item_id), b.samples, b.correct, c.samples, c.correct});
  }
  return out;
}

std::string rules_used(WorkspaceDb& ws, const RunRow& base, const RunRow& cand,
                       const std::optional<std::string>& rule) {
  std::set<std::string> names;
  for (const RunRow* run : {&base, &cand}) {
    const TaskRuleChoice choice(ws, *run, rule);
    for (const auto& [b, t] : tasks_of_run(ws, run->id)) names.insert(choice.rule(b, t));
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

VerificationInput build_verification_input(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& req) {
  RunRow base = ws.run_or_throw(req.baseline);
  RunRow cand = ws.run_or_throw(req.candidate);
  std::optional<RunRow> control;
  if (req.control) control = ws.run_or_throw(*req.control);
  const auto base_out = load_run_outcomes(ws, base, req.rule, req.threads, nullptr);
  const auto cand_out = load_run_outcomes(ws, cand, req.rule, req.threads, nullptr);
  std::vector<int64_t> runs = {base.id, cand.id};
  if (control) runs.push_back(control->id);
  const auto keys = item_keys(ws, runs);

  VerificationInput in;
  in.plan_file = req.plan_path;
  in.plan = plan;
  in.baseline = req.baseline;
  in.candidate = req.candidate;
  in.scoring_rule = rules_used(ws, base, cand, req.rule);
  in.items = paired_outcomes(keys, base_out, cand_out, &in.only_in_baseline, &in.only_in_candidate);
  if (control) {
    const auto control_out = load_run_outcomes(ws, *control, req.rule, req.threads, nullptr);
    in.control = *req.control;
    in.control_items = paired_outcomes(keys, control_out, cand_out, nullptr, nullptr);
    in.control_gain_items = paired_outcomes(keys, base_out, control_out, nullptr, nullptr);
  }
  return in;
}

Verification verify_runs_with_plan(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& req) {
  VerificationInput in = build_verification_input(ws, plan, req);
  if (in.items.empty()) {
    throw Error(ErrorKind::kInput, fmt::format("runs '{}' and '{}' share no scored items: nothing to verify",
                                               req.baseline, req.candidate));
  }
  if (req.control && in.control_items.empty()) {
    throw Error(ErrorKind::kInput, fmt::format("control run '{}' and candidate '{}' share no scored items: the "
                                               "control cannot be compared",
                                               *req.control, req.candidate));
  }
  return verify_plan(in, req.options);
}

Verification verify_runs(WorkspaceDb& ws, const VerifyRequest& req) {
  const MixturePlan plan = read_plan(req.plan_path);
  return verify_runs_with_plan(ws, plan, req);
}

}  // namespace caploop
