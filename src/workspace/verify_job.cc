#include "workspace/verify_job.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "store/score_table.h"
#include "store/sqlite.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_scoring.h"

namespace caploop {
namespace {

// "<task>:<source_id>" of every item either run evaluated, by item id.
std::map<int64_t, std::string> item_keys(WorkspaceDb& ws, int64_t base_run, int64_t cand_run) {
  Statement st(ws.db(),
               "SELECT i.id, i.task, i.source_id FROM items i WHERE i.id IN "
               "(SELECT item_id FROM run_items WHERE run_id IN (?, ?)) ORDER BY i.id");
  st.bind(1, base_run);
  st.bind(2, cand_run);
  std::map<int64_t, std::string> keys;
  while (st.step()) keys[st.int64(0)] = st.str(1) + ":" + st.str(2);
  return keys;
}

std::string rules_used(WorkspaceDb& ws, const RunRow& base, const RunRow& cand,
                       const std::optional<std::string>& rule) {
  std::set<std::string> names;
  for (const RunRow* run : {&base, &cand}) {
    for (const std::string& b : benchmarks_of_run(ws, run->id)) names.insert(rule_for_benchmark(rule, b));
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

VerificationInput build_verification_input(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& req) {
  RunRow base = ws.run_or_throw(req.baseline);
  RunRow cand = ws.run_or_throw(req.candidate);
  const auto base_out = load_run_outcomes(ws, base, req.rule, req.threads, nullptr);
  const auto cand_out = load_run_outcomes(ws, cand, req.rule, req.threads, nullptr);
  const auto keys = item_keys(ws, base.id, cand.id);

  VerificationInput in;
  in.plan_file = req.plan_path;
  in.plan = plan;
  in.baseline = req.baseline;
  in.candidate = req.candidate;
  in.scoring_rule = rules_used(ws, base, cand, req.rule);
  for (const auto& [item_id, key] : keys) {
    auto b = base_out.find(item_id);
    auto c = cand_out.find(item_id);
    const bool in_base = b != base_out.end() && b->second.samples > 0;
    const bool in_cand = c != cand_out.end() && c->second.samples > 0;
    if (!in_base || !in_cand) {
      if (in_base) ++in.only_in_baseline;
      if (in_cand) ++in.only_in_candidate;
      continue;
    }
    PairedOutcome p;
    p.key = key;
    p.base_samples = b->second.samples;
    p.base_correct = b->second.correct;
    p.cand_samples = c->second.samples;
    p.cand_correct = c->second.correct;
    in.items.push_back(std::move(p));
  }
  return in;
}

Verification verify_runs_with_plan(WorkspaceDb& ws, const MixturePlan& plan, const VerifyRequest& req) {
  VerificationInput in = build_verification_input(ws, plan, req);
  if (in.items.empty()) {
    throw Error(ErrorKind::kInput, fmt::format("runs '{}' and '{}' share no scored items: nothing to verify",
                                               req.baseline, req.candidate));
  }
  return verify_plan(in, req.options);
}

Verification verify_runs(WorkspaceDb& ws, const VerifyRequest& req) {
  const MixturePlan plan = read_plan(req.plan_path);
  return verify_runs_with_plan(ws, plan, req);
}

}  // namespace caploop
