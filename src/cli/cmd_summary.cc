// caploop summary: per benchmark and task of a run: items, samples, accuracy, pass@k and how generations ended.
#include <fmt/format.h>

#include <thread>

#include "cli/agreement_table.h"
#include "cli/command.h"
#include "cli/text_table.h"
#include "store/workspace_db.h"
#include "workspace/run_summary.h"
#include "workspace/run_summary_json.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string run;
  std::string rule;
  bool json = false;
};

std::string pct(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

void print_table(const RunSummary& s) {
  int64_t max_k = 1;
  for (const auto& r : s.rows) {
    if (!r.pass_at_k.empty()) max_k = std::max(max_k, r.pass_at_k.back().first);
  }
  std::vector<std::string> header = {"benchmark", "task", "rule", "items", "samples", "acc%", "±se"};
  if (max_k > 1) {
    header.push_back(fmt::format("pass@{}%", max_k));
    header.push_back(fmt::format("maj@{}%", max_k));
  }
  for (const char* h : {"stop%", "trunc%", "ran_on%", "repeat%", "no_ans%"}) header.push_back(h);
  TextTable t(header);
  for (const auto& r : s.rows) {
    std::vector<std::string> row = {r.benchmark,
                                    r.task,
                                    r.rule,
                                    std::to_string(r.n_items),
                                    std::to_string(r.n_samples),
                                    fmt::format("{:.1f}", 100 * r.accuracy),
                                    fmt::format("{:.1f}", 100 * r.accuracy_se)};
    if (max_k > 1) {
      std::string cell = "-";
      for (const auto& [k, est] : r.pass_at_k) {
        if (k == max_k) cell = fmt::format("{:.1f}", 100 * est.mean);
      }
      row.push_back(cell);
      cell = "-";
      for (const auto& [k, est] : r.maj_at_k) {
        if (k == max_k) cell = fmt::format("{:.1f}", 100 * est.mean);
      }
      row.push_back(cell);
    }
    const auto& e = r.endings;
    for (int64_t v : {e.stopped, e.truncated, e.ran_on, e.degenerate_repetition, e.no_answer}) {
      row.push_back(pct(v, r.n_samples));
    }
    t.add_row(std::move(row));
  }
  fmt::print("run {}\n{}", s.run, t.render());
  if (max_k > 1) fmt::print("acc% is the mean over samples per item; maj@k the majority answer of k samples\n");
  print_agreement(s);
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("summary", "per-task accuracy, pass@k and generation endings of a run");
  cmd->add_option("--run", opt->run, "run name")->required();
  cmd->add_option("--rule", opt->rule,
                  "scoring rule for the whole run (default: each task's default rule, see docs/scoring-rules.md)");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    const auto& g = global_options();
    WorkspaceDb ws(g.db_path, WorkspaceAccess::kRead);
    std::optional<std::string> rule;
    if (!opt->rule.empty()) rule = opt->rule;
    Progress progress("score " + opt->run, 0, !g.quiet);
    RunSummary s = summarize_run(ws, opt->run, rule, std::max(1u, std::thread::hardware_concurrency()), &progress);
    progress.finish();
    if (!opt->json) return print_table(s);
    fmt::print("{}\n", run_summary_to_json(s));
  });
}

CommandRegistration reg(60, setup);

}  // namespace
}  // namespace caploop::cli
