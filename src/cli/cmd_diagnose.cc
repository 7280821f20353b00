// caploop diagnose: does the change from a baseline run to a candidate run call for a data intervention?
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <future>
#include <thread>

#include "cli/agreement_table.h"
#include "cli/command.h"
#include "cli/tagging_options.h"
#include "core/atomic_file.h"
#include "core/json_writer.h"
#include "diagnose/diagnosis_json.h"
#include "diagnose/diagnosis_markdown.h"
#include "slices/slice_label.h"
#include "store/workspace_db.h"
#include "workspace/diagnosis_job.h"
#include "workspace/diagnosis_report.h"
#include "workspace/item_tagging.h"
#include "workspace/run_summary.h"

namespace caploop::cli {
namespace {

struct Options {
  TaggingOptions tagging;
  std::string baseline, candidate, rule, config, markdown, html, json_out;
  bool json = false;
};

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "diagnose",
      "verdict on a baseline -> candidate change: data_ruled_out (with cause), data_ruled_in (with weak slices), "
      "improved, no_significant_change or inconclusive; exit 0 whatever the verdict");
  cmd->add_option("--baseline", opt->baseline, "baseline run")->required();
  cmd->add_option("--candidate", opt->candidate, "candidate run")->required();
  cmd->add_option("--rule", opt->rule, "reference scoring rule (default: each benchmark's default)");
  cmd->add_option("--config", opt->config, "TOML file with a [diagnose] table of thresholds (docs/diagnosis.md)");
  opt->tagging.add_to(cmd);
  cmd->add_option("--markdown", opt->markdown, "also write the diagnosis as Markdown to this file");
  cmd->add_option("--html", opt->html, "also write the HTML report to this file");
  cmd->add_option("--out", opt->json_out, "also write the JSON to this file");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    auto tagging = opt->tagging.load();
    DiagnosisRequest req;
    req.baseline = opt->baseline;
    req.candidate = opt->candidate;
    if (!opt->rule.empty()) req.rule = opt->rule;
    if (!opt->config.empty()) req.options = load_diagnosis_options(opt->config);
    req.threads = std::max(1u, std::thread::hardware_concurrency());
    Diagnosis d = diagnose_runs(ws, req, tagging->tagger());
    JsonWriter w(true);
    write_diagnosis_json(w, d);
    if (!opt->json_out.empty()) write_file_atomically(opt->json_out, w.str() + "\n");
    if (!opt->markdown.empty()) write_file_atomically(opt->markdown, render_diagnosis_markdown(d));
    if (!opt->html.empty()) write_file_atomically(opt->html, build_diagnosis_report(ws, d));
    if (opt->json) {
      fmt::print("{}\n", w.str());
      return;
    }
    fmt::print("verdict: {}{}\n{}\n", verdict_name(d.verdict),
               d.cause ? fmt::format(" (cause: {})", cause_name(*d.cause)) : "", d.reason);
    const auto& o = d.evidence.overall;
    fmt::print("accuracy {:.1f}% -> {:.1f}% ({:+.1f} points, {} items, lost {}, gained {}, p = {:.3g})\n",
               100 * o.base_accuracy, 100 * o.cand_accuracy, 100 * o.delta, o.n, o.lost, o.gained, o.p_value);
    for (const auto& p : d.places_to_look) fmt::print("  look at: {}\n", p);
    for (size_t i = 0; i < d.slices.size() && i < 10; ++i) {
      const auto& s = d.slices[i];
      fmt::print("  slice {}: n={} {:+.1f} points [{:+.1f}, {:+.1f}] q={:.2g}\n", slice_label(s.tags), s.n,
                 100 * s.delta, 100 * s.ci.lower, 100 * s.ci.upper, s.q_value);
      // The slices it explains (not findings of their own) and its operation parts that lost.
      std::vector<std::string> explained;
      for (const auto& e : s.explains) {
        explained.push_back(fmt::format("{} ({}, {} shared)", slice_label(e.tags), e.relation, e.overlap));
      }
      if (!explained.empty()) fmt::print("    explains: {}\n", fmt::join(explained, "; "));
      std::vector<std::string> parts;
      for (const auto& p : s.operations) {
        if (p.deficit_share <= 0.0) continue;
        const std::string name = slice_label(p.tags);
        parts.push_back(fmt::format("{} n={} {:+.1f} points ({:.0f}% of the loss)",
                                    name.empty() ? "(no operation)" : name, p.n, -100 * p.deficit,
                                    100 * p.deficit_share));
      }
      if (!parts.empty()) {
        fmt::print("    operations{}: {}\n", s.split ? " (split: the parts differ)" : "", fmt::join(parts, "; "));
      }
    }
    // Each run's scores beside the harness's own numbers (nothing when neither run carries one and no task warns).
    // The candidate's summary is made on a second, read-only connection while this one makes the baseline's.
    std::future<RunSummary> candidate_summary;
    if (ws.another_connection_sees_the_same()) {
      candidate_summary = std::async(std::launch::async, [&] {
        WorkspaceDb reader(ws.path(), WorkspaceAccess::kRead);
        return summarize_run(reader, opt->candidate, req.rule, req.threads, nullptr);
      });
    }
    for (const std::string& run : {opt->baseline, opt->candidate}) {
      RunSummary summary;
      try {
        summary = run == opt->candidate && candidate_summary.valid()
                      ? candidate_summary.get()
                      : summarize_run(ws, run, req.rule, req.threads, nullptr);
      } catch (...) {
        if (candidate_summary.valid()) candidate_summary.wait();
        throw;
      }
      const bool any = std::any_of(summary.rows.begin(), summary.rows.end(), [](const TaskSummary& t) {
        return !t.harness_metric.empty() || !t.warnings.empty();
      });
      if (!any) continue;
      fmt::print("\n{} {}:\n", run == opt->baseline ? "baseline" : "candidate", run);
      print_agreement(summary);
    }
  });
}

CommandRegistration reg(110, setup);

}  // namespace
}  // namespace caploop::cli
