// caploop verify: test a plan's pre-registered hypotheses on the runs before and after training on its sample.
#include <fmt/format.h>

#include <thread>

#include "cli/command.h"
#include "cli/text_table.h"
#include "core/atomic_file.h"
#include "mixture/mixture_plan.h"
#include "store/workspace_db.h"
#include "verify/verification_json.h"
#include "verify/verification_markdown.h"
#include "workspace/verify_job.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string plan, baseline, candidate, control, rule, json_out, markdown, fdr_method = "bh";
  double fdr = 0.05;
  bool json = false;
};

std::string points(double v) { return fmt::format("{:+.1f}", 100.0 * v); }

void print_summary(const Verification& v) {
  fmt::print("verdict: {}\n{}\n", v.verdict(), v.overall.reason);
  const bool control = !v.control.empty();
  std::vector<std::string> head = {"id", "kind", "metric", "n", "base%"};
  if (control) head.push_back("ctrl%");
  for (const char* h : {"cand%", "delta", "exact 90%", "expected", "q"}) head.emplace_back(h);
  if (control) {
    for (const char* h : {"vs ctrl", "exact", "q ctrl"}) head.emplace_back(h);
  }
  for (const char* h : {"lost/gained", "result"}) head.emplace_back(h);
  TextTable t(head);
  for (const HypothesisVerification& h : v.hypotheses) {
    const PairedChange& c = h.change;
    std::vector<std::string> row = {h.id, h.kind, h.metric, std::to_string(c.n),
                                    fmt::format("{:.1f}", 100 * c.base_accuracy)};
    if (control) row.push_back(fmt::format("{:.1f}", 100 * h.control_gain.cand_accuracy));
    row.push_back(fmt::format("{:.1f}", 100 * c.cand_accuracy));
    row.push_back(points(c.delta));
    row.push_back(fmt::format("{}..{}", points(c.exact_bounds.lower), points(c.exact_bounds.upper)));
    row.push_back(h.kind == "guard" ? ">=" + points(-h.margin) : ">=" + points(h.min_effect));
    row.push_back(fmt::format("{:.2g}", h.q_value));
    if (control) {
      const PairedChange& k = h.against_control.change;
      row.push_back(points(k.delta));
      row.push_back(fmt::format("{}..{}", points(k.exact_bounds.lower), points(k.exact_bounds.upper)));
      row.push_back(fmt::format("{:.2g}", h.against_control.q_value));
    }
    row.push_back(fmt::format("{}/{}", c.lost_items.size(), c.gained_items.size()));
    row.push_back(std::string(verify_result_name(h.decision.result)));
    t.add_row(row);
  }
  fmt::print("{}", t.render());
  for (const HypothesisVerification& h : v.hypotheses) fmt::print("  {}: {}\n", h.id, h.decision.reason);
  for (const std::string& n : v.notes) fmt::print("  note: {}\n", n);
  fmt::print("{}\n", v.attribution_note);
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "verify",
      "test a plan's hypotheses on the runs before (--baseline) and after (--candidate) training on its sample: "
      "confirmed, refuted or inconclusive per hypothesis and overall; exit 0 whatever the verdict");
  cmd->add_option("--plan", opt->plan, "plan file written by `caploop plan`")->required();
  cmd->add_option("--baseline", opt->baseline, "run before training on the sample")->required();
  cmd->add_option("--candidate", opt->candidate, "run after training on the sample")->required();
  cmd->add_option("--control", opt->control,
                  "run trained as long on the plan's control mixture: a target is confirmed only when the candidate "
                  "beats it by the planned effect (without one, a gain cannot be attributed to the data)");
  cmd->add_option("--rule", opt->rule, "scoring rule (default: each benchmark's default)");
  cmd->add_option("--fdr", opt->fdr, "false discovery rate across target hypotheses")->capture_default_str();
  cmd->add_option("--fdr-method", opt->fdr_method, "bh (Benjamini-Hochberg) or by (Benjamini-Yekutieli)")
      ->capture_default_str();
  cmd->add_option("--out", opt->json_out, "also write the JSON to this file");
  cmd->add_option("--markdown", opt->markdown, "also write the verification as Markdown to this file");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    VerifyRequest req;
    req.plan_path = opt->plan;
    req.baseline = opt->baseline;
    req.candidate = opt->candidate;
    if (!opt->rule.empty()) req.rule = opt->rule;
    if (!opt->control.empty()) req.control = opt->control;
    if (!(opt->fdr > 0.0 && opt->fdr < 1.0)) throw Error(ErrorKind::kUsage, "--fdr must be in (0, 1)");
    req.options.fdr = opt->fdr;
    if (opt->fdr_method == "by") {
      req.options.fdr_method = FdrMethod::kBenjaminiYekutieli;
    } else if (opt->fdr_method != "bh") {
      throw Error(ErrorKind::kUsage, "--fdr-method must be bh or by");
    }
    req.threads = std::max(1u, std::thread::hardware_concurrency());
    const MixturePlan plan = read_plan(req.plan_path);
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    const Verification v = verify_runs_with_plan(ws, plan, req);
    const std::string json = verification_to_json(v);
    if (!opt->json_out.empty()) write_file_atomically(opt->json_out, json);
    if (!opt->markdown.empty()) write_file_atomically(opt->markdown, render_verification_markdown(v));
    if (opt->json) {
      fmt::print("{}", json);
      return;
    }
    print_summary(v);
  });
}

CommandRegistration reg(150, setup);

}  // namespace
}  // namespace caploop::cli
