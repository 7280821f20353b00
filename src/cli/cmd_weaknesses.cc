// caploop weaknesses: weak capability slices of one run, or persistent across several runs.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <thread>

#include "cli/command.h"
#include "cli/tagging_options.h"
#include "cli/text_table.h"
#include "core/json_writer.h"
#include "slices/weakness_json.h"
#include "store/workspace_db.h"
#include "workspace/item_tagging.h"
#include "workspace/weakness_job.h"

namespace caploop::cli {
namespace {

struct Options {
  TaggingOptions tagging;
  std::vector<std::string> runs;
  std::string rule, fdr_method = "bh";
  int max_order = 3;
  int64_t min_support = 20;
  double fdr = 0.05;
  bool json = false;
  size_t show = 15;
};

// "counting.object_counting 100%" (the operation parts that lost, with their share of the deficit).
std::string operations_of(const Weakness& w) {
  std::vector<std::string> parts;
  for (const OperationPart& p : w.operations.parts) {
    if (p.loss_share <= 0.0) continue;
    std::string name;
    for (const std::string& op : p.operations) name += (name.empty() ? "" : "+") + op;
    parts.push_back(fmt::format("{} {:.0f}%", name.empty() ? "(none)" : name, 100 * p.loss_share));
  }
  return parts.empty() ? "-" : fmt::format("{}", fmt::join(parts, ", "));
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("weaknesses", "find weak capability slices (persistent when several runs are given)");
  cmd->add_option("--run", opt->runs, "run (repeatable: a persistent weakness is weak in each)")->required();
  cmd->add_option("--rule", opt->rule, "scoring rule (default: each benchmark's default)");
  cmd->add_option("--max-order", opt->max_order, "most tag conditions combined in a slice")->capture_default_str();
  cmd->add_option("--min-support", opt->min_support, "fewest items a tested slice has")->capture_default_str();
  cmd->add_option("--fdr", opt->fdr, "false discovery rate")->capture_default_str();
  cmd->add_option("--fdr-method", opt->fdr_method, "bh (Benjamini-Hochberg) or by (Benjamini-Yekutieli)")
      ->capture_default_str();
  opt->tagging.add_to(cmd);
  cmd->add_option("--show", opt->show, "weaknesses listed in the terminal table")->capture_default_str();
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    auto tagging = opt->tagging.load();
    MinerOptions mo;
    mo.lattice.max_order = opt->max_order;
    mo.lattice.min_support = opt->min_support;
    mo.fdr = opt->fdr;
    if (opt->fdr_method == "by") {
      mo.fdr_method = FdrMethod::kBenjaminiYekutieli;
    } else if (opt->fdr_method != "bh") {
      throw Error(ErrorKind::kUsage, "--fdr-method must be bh or by");
    }
    std::optional<std::string> rule;
    if (!opt->rule.empty()) rule = opt->rule;
    std::vector<BrokenScoringTask> broken;
    MiningResult res = find_weaknesses(ws, opt->runs, rule, tagging->tagger(), mo,
                                       std::max(1u, std::thread::hardware_concurrency()), &broken);
    if (opt->json) {
      JsonWriter w(true);
      write_weaknesses_json(w, res);
      fmt::print("{}\n", w.str());
      return;
    }
    for (const BrokenScoringTask& b : broken) {
      fmt::print(
          "scoring looks broken: {} (rule {}, {} items, accuracy {:.1f}%, {:.0f}% without an answer): kept "
          "out of mining\n",
          b.task, b.rule, b.items, 100 * b.base_accuracy, 100 * b.base_no_answer_share);
    }
    fmt::print("{} slices enumerated, {} tested, {} significant at FDR {}; {} reported (ranked by impact)\n",
               res.slices_enumerated, res.slices_tested, res.significant, opt->fdr, res.weaknesses.size());
    TextTable t({"slice", "items", "acc%", "95% ci", "rest acc%", "impact", "q", "explains", "operations"});
    for (size_t i = 0; i < res.weaknesses.size() && i < opt->show; ++i) {
      const auto& w = res.weaknesses[i];
      t.add_row({w.key.to_string(), std::to_string(w.n), fmt::format("{:.1f}", 100 * w.accuracy),
                 fmt::format("{:.1f}-{:.1f}", 100 * w.ci.lower, 100 * w.ci.upper),
                 fmt::format("{:.1f}", 100 * w.complement_accuracy), fmt::format("{:.1f}", w.impact),
                 fmt::format("{:.2g}", w.q_value), std::to_string(w.explains.size()), operations_of(w)});
    }
    fmt::print("{}", t.render());
  });
}

CommandRegistration reg(100, setup);

}  // namespace
}  // namespace caploop::cli
