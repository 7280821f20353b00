// caploop loop: the whole loop in one command (loop/loop_job.h): ingest, score, tag, diagnose, and when the
// data is ruled in map, plan and sample; with an evaluation after retraining, verify. One concise block per
// comparison on the terminal; everything else in the output folder (report.html at the top).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/command.h"
#include "core/error.h"
#include "loop/loop_config.h"
#include "loop/loop_job.h"
#include "slices/slice_label.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string config;
  std::string out;
  int64_t seed = -1;
};

void print_comparison(const LoopComparisonOutcome& c) {
  const Diagnosis& d = c.diagnosis;
  const auto& o = d.evidence.overall;
  fmt::print("\n== {}: {} -> {}\n", c.comparison.name, c.comparison.baseline, c.comparison.candidate);
  fmt::print("verdict: {}{}\n", verdict_name(d.verdict),
             d.cause ? fmt::format(" (cause: {})", cause_name(*d.cause)) : "");
  fmt::print("  accuracy {:.1f}% -> {:.1f}% ({:+.1f} points, {} items, p = {:.3g})\n", 100 * o.base_accuracy,
             100 * o.cand_accuracy, 100 * o.delta, o.n, o.p_value);
  if (d.verdict == Verdict::kDataRuledOut) {
    for (size_t i = 0; i < d.places_to_look.size() && i < 3; ++i) fmt::print("  look at: {}\n", d.places_to_look[i]);
    fmt::print("  no plan: the data is ruled out\n");
    return;
  }
  for (size_t i = 0; i < d.slices.size() && i < 3; ++i) {
    const auto& s = d.slices[i];
    fmt::print("  slice {}: n={} {:+.1f} points, q = {:.2g}\n", slice_label(s.tags), s.n, 100 * s.delta, s.q_value);
  }
  if (d.verdict != Verdict::kDataRuledIn) {
    fmt::print("  no plan: the data is not ruled in\n");
    return;
  }
  for (const std::string& g : c.mapping_gaps) fmt::print("  unmapped slice: {}\n", g);
  if (!c.plan) {
    fmt::print("  no plan: {}\n", c.plan_refused);
    return;
  }
  const MixturePlan& p = *c.plan;
  fmt::print("plan: {} tokens ({} target, {} base)\n", p.options.budget_tokens, p.target_tokens, p.base_tokens);
  for (const PlanStream& s : p.streams) {
    if (s.kind != StreamKind::kTarget) continue;
    const double natural =
        p.corpus.tokens > 0 ? static_cast<double>(s.available_tokens) / static_cast<double>(p.corpus.tokens) : 0.0;
    fmt::print("  {}: quota {} tokens = {:.1f}% of the budget (natural {:.1f}%), {:.2f} epochs{}\n", s.name,
               s.quota_tokens, 100 * s.share, 100 * natural, s.epochs,
               s.capped_by == QuotaCap::kNone ? "" : fmt::format(", capped by {}", quota_cap_name(s.capped_by)));
  }
  if (c.sample) {
    const double total_error = c.sample->quota_tokens > 0
                                   ? static_cast<double>(c.sample->drawn_tokens - c.sample->quota_tokens) /
                                         static_cast<double>(c.sample->quota_tokens)
                                   : 0.0;
    fmt::print("sample: {} tokens in {} lines ({:+.2f}% of the budget), {} of {} shards{}\n", c.sample->drawn_tokens,
               c.sample->output_lines, 100 * total_error, c.sample->shards_done, c.sample->shards_total,
               c.sample->complete ? "" : " (incomplete)");
    for (const auto& s : c.sample->streams) {
      if (s.kind == StreamKind::kTarget)
        fmt::print("  {}: drawn {} of {} tokens ({:+.2f}%)\n", s.name, s.drawn_tokens, s.done_quota_tokens,
                   100 * s.relative_error);
    }
  }
  if (c.verification) {
    fmt::print("verify ({} -> {}): {}\n  {}\n", c.comparison.candidate, *c.comparison.after, c.verification->verdict(),
               c.verification->overall.reason);
  }
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "loop",
      "the whole loop from a TOML config: ingest, score, tag, diagnose; when the data is ruled in: map, plan, sample "
      "and (with an `after` run) verify; everything in the output folder, report.html at the top");
  cmd->add_option("config", opt->config, "loop configuration (TOML, docs/loop.md)")->required();
  cmd->add_option("--out", opt->out, "output folder (default: [loop] out of the config)");
  cmd->add_option("--seed", opt->seed, "seed of the sample (default: [loop] seed of the config)");
  cmd->callback([opt] {
    LoopConfig config = load_loop_config(opt->config);
    if (!opt->out.empty()) {
      config.out = opt->out;
      config.workspace = config.out / config.workspace.filename();
    }
    if (opt->seed >= 0) config.seed = static_cast<uint64_t>(opt->seed);
    const bool quiet = global_options().quiet;
    LoopOutcome outcome = run_loop(config, [quiet](const std::string& step) {
      if (!quiet) fmt::print(stderr, "[loop] {}\n", step);
    });
    int64_t ingested = 0;
    for (const auto& r : outcome.runs) ingested += r.ingested ? 1 : 0;
    fmt::print("runs: {} ({} ingested, {} reused)", outcome.runs.size(), ingested,
               static_cast<int64_t>(outcome.runs.size()) - ingested);
    if (outcome.corpus)
      fmt::print("; corpus: {} documents, {} tokens in {} shards ({} tagged, {} resumed)",
                 outcome.corpus->stats.total.docs, outcome.corpus->stats.total.tokens, outcome.corpus->stats.shards,
                 outcome.corpus->shards_tagged, outcome.corpus->shards_resumed);
    fmt::print("\n");
    for (const auto& c : outcome.comparisons) print_comparison(c);
    fmt::print("\noutputs in {} (open {})\n", outcome.out.string(), outcome.report.string());
    std::fflush(stdout);
  });
}

CommandRegistration reg(160, setup);

}  // namespace
}  // namespace caploop::cli
