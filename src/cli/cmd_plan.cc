// caploop plan: a weakness-targeted data plan from a diagnosis (or weakness list), mapping rules and the
// statistics of a tagged corpus.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/text_table.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "mixture/control_arm.h"
#include "mixture/mixture_plan.h"
#include "mixture/plan_builder.h"
#include "mixture/plan_hypotheses.h"
#include "mixture/plan_markdown.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string diagnosis, weaknesses, out, markdown, control_mixture, metric;
  std::vector<std::string> slice_metrics;
  bool no_control = false;
  PlanRequest request;
  bool json = false;
};

void print_summary(const MixturePlan& plan, const Options& opt) {
  size_t mapped = 0;
  for (const PlanSlice& s : plan.slices) mapped += s.status == SliceStatus::kMapped;
  fmt::print("plan: {} of {} weak slices map to data; budget {} tokens = base {} + targets {}\n", mapped,
             plan.slices.size(), plan.options.budget_tokens, plan.base_tokens, plan.target_tokens);
  TextTable t({"stream", "available", "quota", "epochs", "share%", "capped by"});
  for (const PlanStream& s : plan.streams)
    t.add_row({s.name, std::to_string(s.available_tokens), std::to_string(s.quota_tokens),
               fmt::format("{:.2f}", s.epochs), fmt::format("{:.1f}", 100 * s.share),
               std::string(quota_cap_name(s.capped_by))});
  fmt::print("{}", t.render());
  for (const PlanHypothesis& h : plan.hypotheses) fmt::print("  {} {}: {}\n", h.id, h.kind, h.description);
  if (plan.control) {
    fmt::print("control arm ({} mixture): {} tokens\n", plan.control->mixture, plan.control->budget_tokens);
    TextTable c({"stream", "available", "quota", "epochs", "share%"});
    for (const PlanStream& s : plan.control->streams)
      c.add_row({s.name, std::to_string(s.available_tokens), std::to_string(s.quota_tokens),
                 fmt::format("{:.2f}", s.epochs), fmt::format("{:.1f}", 100 * s.share)});
    fmt::print("{}", c.render());
    for (const PlanHypothesis& h : plan.control->expectations) fmt::print("  {} {}: {}\n", h.id, h.kind, h.description);
  }
  for (const std::string& note : plan.notes) fmt::print("  note: {}\n", note);
  fmt::print("wrote {}{}\n", opt.out, opt.markdown.empty() ? "" : " and " + opt.markdown);
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  PlanOptions& po = opt->request.options;
  auto* cmd = app.add_subcommand(
      "plan",
      "weakness-targeted data plan: map weak slices to data categories and divide a token budget between the "
      "corpus's own mixture and the categories to raise, within caps; writes the plan (JSON) and hypotheses");
  auto* diagnosis =
      cmd->add_option("--diagnosis", opt->diagnosis, "diagnosis JSON (caploop diagnose --json) or weakness list");
  auto* weaknesses = cmd->add_option("--weaknesses", opt->weaknesses, "weakness list JSON (caploop weaknesses --json)");
  diagnosis->excludes(weaknesses);
  cmd->add_option("--stats", opt->request.stats_dirs, "corpus tag output folder(s) with *.stats.json (repeatable)")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--budget-tokens", po.budget_tokens, "tokens to sample")->required();
  cmd->add_option("--mapping", opt->request.mapping_file, "mapping rules TOML (default: built-in)");
  cmd->add_option("--taxonomy", opt->request.taxonomy_file,
                  "data taxonomy the corpus was tagged with (default: built-in, when the statistics match it)");
  cmd->add_option("--max-epochs", po.max_epochs, "most epochs of any stream's documents")->capture_default_str();
  cmd->add_option("--max-category-share", po.max_category_share, "largest share of the budget for one target stream")
      ->capture_default_str();
  cmd->add_option("--min-base-share", po.min_base_share, "smallest share of the budget kept for the base mixture")
      ->capture_default_str();
  cmd->add_option("--base-axis", po.base_axis, "exclusive data axis whose tags are the base streams")
      ->capture_default_str();
  cmd->add_option("--plausible-gain", po.plausible_gain,
                  "largest gain a data change plausibly buys (0..1): targets that cannot detect it get a note")
      ->capture_default_str();
  cmd->add_option("--metric", opt->metric,
                  "metric of every target hypothesis: accuracy (default) or pass@k, for runs with k or more samples "
                  "per item");
  cmd->add_option("--slice-metric", opt->slice_metrics,
                  "SLICE=METRIC: the metric of one slice's target, e.g. S1=pass@8")
      ->expected(1, -1);
  auto* mixture = cmd->add_option("--control-mixture", opt->control_mixture,
                                  "TOML file of shares per base-axis tag: the current mixture the control arm keeps "
                                  "(default: the corpus's own mixture)");
  cmd->add_flag("--no-control", opt->no_control, "write no control arm")->excludes(mixture);
  cmd->add_option("--out", opt->out, "plan file to write (JSON)")->required();
  cmd->add_option("--markdown", opt->markdown, "also write the plan as Markdown to this file");
  cmd->add_flag("--json", opt->json, "print the plan JSON instead of the summary");
  cmd->callback([opt] {
    opt->request.weakness_file = !opt->diagnosis.empty() ? opt->diagnosis : opt->weaknesses;
    if (opt->request.weakness_file.empty())
      throw Error(ErrorKind::kUsage, "give --diagnosis FILE or --weaknesses FILE");
    MixturePlan plan = make_plan(opt->request);
    if (!opt->metric.empty()) set_target_metric(plan.hypotheses, opt->metric);
    for (const std::string& sm : opt->slice_metrics) {
      const size_t eq = sm.find('=');
      if (eq == std::string::npos || eq == 0)
        throw Error(ErrorKind::kUsage, fmt::format("--slice-metric takes SLICE=METRIC, got \"{}\"", sm));
      set_target_metric(plan.hypotheses, sm.substr(eq + 1), sm.substr(0, eq));
    }
    if (!opt->no_control) {
      if (opt->control_mixture.empty()) {
        plan.control = plan_control_arm(plan, nullptr);
      } else {
        const BaseMixture mixture = read_base_mixture(opt->control_mixture, plan);
        plan.control = plan_control_arm(plan, &mixture);
      }
    }
    const std::string json = plan_to_json(plan);
    write_file_atomically(opt->out, json);
    if (!opt->markdown.empty()) write_file_atomically(opt->markdown, plan_markdown(plan));
    if (opt->json) {
      fmt::print("{}", json);
      return;
    }
    print_summary(plan, *opt);
  });
}

CommandRegistration reg(125, setup);

}  // namespace
}  // namespace caploop::cli
