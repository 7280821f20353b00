#include "workspace/runs_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "eval/rule_registry.h"
#include "report/ending_colors.h"
#include "report/html_page.h"
#include "report/svg_charts.h"
#include "store/item_lookup.h"
#include "workspace/diagnosis_job.h"
#include "workspace/diagnosis_report.h"
#include "workspace/item_tagging.h"
#include "workspace/response_markup.h"
#include "workspace/run_outcomes.h"
#include "workspace/run_scoring.h"
#include "workspace/run_summary.h"

namespace caploop {

PairedDelta paired_delta(const std::vector<double>& baseline, const std::vector<double>& candidate) {
  PairedDelta d;
  size_t n = std::min(baseline.size(), candidate.size());
  d.n = static_cast<int64_t>(n);
  if (n == 0) return d;
  double sum = 0, sumsq = 0;
  for (size_t i = 0; i < n; ++i) {
    double x = candidate[i] - baseline[i];
    sum += x;
    sumsq += x * x;
  }
  double mean = sum / static_cast<double>(n);
  double var = n > 1 ? (sumsq - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1) : 0;
  double se = std::sqrt(std::max(0.0, var) / static_cast<double>(n));
  d.delta = mean;
  d.low = mean - 1.959963984540054 * se;
  d.high = mean + 1.959963984540054 * se;
  return d;
}

namespace {

std::string top_level(const std::string& value) { return value.substr(0, value.find('.')); }

std::string pct(double v) { return fmt::format("{:.1f}", 100 * v); }

void task_table(HtmlPage& page, const RunSummary& s) {
  // The harness's own number beside caploop's, when the harness logged one for some task (any harness).
  const bool harness = std::any_of(s.rows.begin(), s.rows.end(), [](const TaskSummary& r) {
    return !r.harness_metric.empty() || r.harness_aggregate.has_value();
  });
  std::vector<std::vector<std::string>> rows = {{"benchmark", "task", "rule", "items", "samples", "accuracy %", "± se",
                                                 "pass@max %", "stopped", "truncated", "ran on", "repetition",
                                                 "no answer"}};
  if (harness) {
    for (const char* h : {"harness metric", "harness %", "reported %", "agree %"}) rows[0].push_back(h);
  }
  auto opt_pct = [](const std::optional<double>& v) { return v ? pct(*v) : std::string("-"); };
  std::vector<std::string> warnings;
  for (const auto& r : s.rows) {
    const auto& e = r.endings;
    rows.push_back({r.benchmark, r.task, r.rule, std::to_string(r.n_items), std::to_string(r.n_samples),
                    pct(r.accuracy), pct(r.accuracy_se),
                    r.pass_at_k.empty() ? "-" : pct(r.pass_at_k.back().second.mean), std::to_string(e.stopped),
                    std::to_string(e.truncated), std::to_string(e.ran_on), std::to_string(e.degenerate_repetition),
                    std::to_string(e.no_answer)});
    if (harness) {
      for (std::string v : {r.harness_metric.empty() ? std::string("-") : r.harness_metric, opt_pct(r.harness_accuracy),
                            opt_pct(r.harness_aggregate), opt_pct(r.agreement)}) {
        rows.back().push_back(std::move(v));
      }
    }
    warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
  }
  page.table(rows);
  for (const std::string& w : warnings) page.paragraph("Warning: " + w);
}

// Per (row value, column value) of two axes: mean of a per-item quantity over items carrying both values.
HeatMapData axis_heat_map(const std::vector<WorkspaceItem>& items, const std::vector<double>& per_item,
                          const std::vector<bool>& present, Axis rows_axis, Axis cols_axis, std::string title,
                          bool diverging) {
  std::map<std::string, std::map<std::string, std::pair<double, long>>> cells;
  std::set<std::string> row_set, col_set;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!present[i]) continue;
    std::set<std::string> rv, cv;
    for (const auto& v : items[i].tagged.tags.values(rows_axis)) rv.insert(top_level(v));
    for (const auto& v : items[i].tagged.tags.values(cols_axis)) cv.insert(top_level(v));
    if (rv.empty()) rv.insert("(untagged)");
    if (cv.empty()) cv.insert("(untagged)");
    for (const auto& r : rv) {
      for (const auto& c : cv) {
        auto& cell = cells[r][c];
        cell.first += per_item[i];
        cell.second += 1;
        row_set.insert(r);
        col_set.insert(c);
      }
    }
  }
  HeatMapData d;
  d.title = std::move(title);
  d.diverging = diverging;
  d.row_labels.assign(row_set.begin(), row_set.end());
  d.column_labels.assign(col_set.begin(), col_set.end());
  for (const auto& r : d.row_labels) {
    std::vector<double> vals;
    std::vector<long> counts;
    for (const auto& c : d.column_labels) {
      auto it = cells[r].find(c);
      if (it == cells[r].end()) {
        vals.push_back(std::nan(""));
        counts.push_back(0);
      } else {
        vals.push_back(it->second.first / static_cast<double>(it->second.second));
        counts.push_back(it->second.second);
      }
    }
    d.values.push_back(vals);
    d.counts.push_back(counts);
  }
  return d;
}

}  // namespace

std::string build_runs_report(WorkspaceDb& ws, const RunsReportRequest& req, const ItemTagger& tagger) {
  HtmlPage page(req.title);
  page.heading(1, req.title);
  std::vector<RunRow> runs;
  std::vector<int64_t> run_ids;
  for (const auto& name : req.runs) {
    runs.push_back(ws.run_or_throw(name));
    run_ids.push_back(runs.back().id);
  }
  auto items = tag_items_of_runs(ws, run_ids, tagger);
  std::map<int64_t, size_t> index_of;
  for (size_t i = 0; i < items.size(); ++i) index_of[items[i].item_id] = i;

  std::vector<RunSummary> summaries;
  std::vector<std::map<int64_t, ItemRunOutcome>> outcomes;
  for (const auto& run : runs) {
    summaries.push_back(summarize_run(ws, run.info.name, req.rule, req.threads, nullptr));
    outcomes.push_back(load_run_outcomes(ws, run, req.rule, req.threads, nullptr));
  }

  if (runs.size() >= 2) {
    const RunRow& base = runs[0];
    const RunRow& cand = runs[1];
    page.heading(2, fmt::format("Comparison: {} against {}", cand.info.name, base.info.name), "comparison");
    // The answer first: the diagnosis of the change (verdict, headline delta, top slices).
    DiagnosisRequest request;
    request.baseline = base.info.name;
    request.candidate = cand.info.name;
    request.rule = req.rule;
    request.threads = req.threads;
    try {
      diagnosis_summary(page, diagnose_runs(ws, request, tagger));
    } catch (const Error& e) {
      page.paragraph(std::string("No verdict: ") + e.what(), "muted");
    }
    page.paragraph(
        "Deltas are candidate minus baseline accuracy over the items both runs evaluated, with 95% "
        "intervals from the paired differences.");
    std::vector<double> delta(items.size(), 0);
    std::vector<bool> paired(items.size(), false);
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_task, by_operation;
    for (size_t i = 0; i < items.size(); ++i) {
      auto b = outcomes[0].find(items[i].item_id);
      auto c = outcomes[1].find(items[i].item_id);
      if (b == outcomes[0].end() || c == outcomes[1].end() || !b->second.samples || !c->second.samples) continue;
      double ba = double(b->second.correct) / double(b->second.samples);
      double ca = double(c->second.correct) / double(c->second.samples);
      delta[i] = ca - ba;
      paired[i] = true;
      auto& t = by_task[items[i].tagged.benchmark + "/" + items[i].tagged.task];
      t.first.push_back(ba);
      t.second.push_back(ca);
      std::set<std::string> ops;
      for (const auto& v : items[i].tagged.tags.values(Axis::kOperation)) ops.insert(v);
      for (const auto& op : ops) {
        by_operation[op].first.push_back(ba);
        by_operation[op].second.push_back(ca);
      }
    }
    auto forest = [](const std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>& groups) {
      std::vector<std::pair<PairedDelta, std::string>> rows;
      for (const auto& [label, v] : groups) rows.push_back({paired_delta(v.first, v.second), label});
      std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.first.delta != b.first.delta ? a.first.delta > b.first.delta : a.second < b.second;
      });
      std::vector<ForestRow> out;
      for (const auto& [d, label] : rows) {
        out.push_back({fmt::format("{} (n={})", label, d.n), d.delta, d.low, d.high, d.low > 0 || d.high < 0});
      }
      return out;
    };
    page.raw(svg_forest_plot("delta by task (points)", forest(by_task)));
    page.raw(svg_forest_plot("delta by solving operation (points)", forest(by_operation)));
    page.raw(svg_heat_map(axis_heat_map(items, delta, paired, Axis::kOperation, Axis::kBackground,
                                        "delta (points): operation × background", true)));

    page.heading(3, "Items that changed, per task");
    std::map<std::string, std::pair<std::vector<size_t>, std::vector<size_t>>> changed;  // lost, gained
    for (size_t i = 0; i < items.size(); ++i) {
      if (!paired[i] || delta[i] == 0) continue;
      auto& ch = changed[items[i].tagged.benchmark + "/" + items[i].tagged.task];
      (delta[i] < 0 ? ch.first : ch.second).push_back(i);
    }
    for (const auto& [task, ch] : changed) {
      std::string body;
      for (int lost = 1; lost >= 0; --lost) {
        const auto& list = lost ? ch.first : ch.second;
        body += fmt::format(
            "<h4>{} {} ({} items{})</h4>", lost ? "lost" : "gained", lost ? "by the candidate" : "", list.size(),
            list.size() > req.drilldown_items_per_task ? fmt::format(", first {} shown", req.drilldown_items_per_task)
                                                       : "");
        for (size_t j = 0; j < list.size() && j < req.drilldown_items_per_task; ++j) {
          const auto& it = items[list[j]];
          std::string rule = req.rule ? *req.rule : std::string(default_rule_name_for(it.tagged.benchmark));
          std::string inner;
          for (const auto& r : responses_for_item(ws, it.item_id, rule)) {
            if (r.run == base.info.name || r.run == cand.info.name) inner += response_markup(r);
          }
          body += "<details><summary>" + html_escape(it.key()) + "</summary>" + inner + "</details>";
        }
      }
      page.details(fmt::format("{}: {} lost, {} gained", task, ch.first.size(), ch.second.size()), body);
    }
  }
  page.heading(2, "Runs", "runs");
  std::vector<std::vector<std::string>> run_rows = {
      {"run", "model", "harness", "items", "responses", "max new tokens"}};
  for (const auto& r : runs) {
    const auto& g = r.info.generation;
    run_rows.push_back({r.info.name, r.info.model, r.info.harness, std::to_string(r.n_items),
                        std::to_string(r.n_responses), g.max_new_tokens ? std::to_string(*g.max_new_tokens) : "-"});
  }
  page.table(run_rows);

  page.heading(2, "How generations ended", "endings");
  std::vector<std::pair<std::string, std::map<std::string, int64_t>>> endings;
  for (const auto& s : summaries) {
    std::map<std::string, int64_t> counts;
    for (const auto& r : s.rows) {
      if (r.task != "*") continue;
      counts["stopped"] += r.endings.stopped;
      counts["truncated"] += r.endings.truncated;
      counts["ran_on"] += r.endings.ran_on;
      counts["degenerate_repetition"] += r.endings.degenerate_repetition;
      counts["no_answer"] += r.endings.no_answer;
    }
    endings.emplace_back(s.run, counts);
  }
  page.raw(svg_ending_bars("share of generations by ending", endings));

  for (size_t k = 0; k < runs.size(); ++k) {
    page.heading(2, "Run " + runs[k].info.name, "run-" + runs[k].info.name);
    task_table(page, summaries[k]);
    std::vector<double> acc(items.size(), 0);
    std::vector<bool> present(items.size(), false);
    for (const auto& [id, o] : outcomes[k]) {
      auto it = index_of.find(id);
      if (it == index_of.end() || o.samples == 0) continue;
      acc[it->second] = double(o.correct) / double(o.samples);
      present[it->second] = true;
    }
    page.raw(svg_heat_map(axis_heat_map(items, acc, present, Axis::kOperation, Axis::kBackground,
                                        "accuracy % of " + runs[k].info.name + ": operation × background", false)));
  }

  return page.render();
}

}  // namespace caploop
