#include "workspace/diagnosis_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "eval/rule_registry.h"
#include "report/ending_colors.h"
#include "report/html_page.h"
#include "report/svg_charts.h"
#include "slices/slice_label.h"
#include "store/item_lookup.h"
#include "workspace/response_markup.h"

namespace caploop {

namespace {

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "n/a"; }
std::string pts(double v) { return std::isfinite(v) ? fmt::format("{:+.1f}", 100 * v) : "n/a"; }

std::string item_markup(WorkspaceDb& ws, const std::string& key, const Diagnosis& d) {
  auto colon = key.rfind(':');
  if (colon == std::string::npos) return "";
  auto items = find_items(ws, key.substr(colon + 1), key.substr(0, colon), std::nullopt);
  if (items.size() != 1) return "<p class=\"muted\">" + html_escape(key) + ": not found</p>";
  std::string rule(default_rule_name_for(items[0].benchmark));
  std::string out;
  for (const auto& run : responses_for_item(ws, items[0].id, rule)) {
    if (run.run != d.baseline && run.run != d.candidate) continue;
    out += response_markup(run);
  }
  return "<details><summary>" + html_escape(key) + "</summary>" + out + "</details>";
}

constexpr size_t kTopSlices = 5;

std::string headline_markup(const Diagnosis& d) {
  const PairedDifference& o = d.evidence.overall;
  return fmt::format(
      "<p class=\"headline\">accuracy {} → {}: <b>{} points</b> [{}, {}] over {} paired items "
      "({} lost, {} gained, p = {:.3g})</p>\n",
      pct(o.base_accuracy), pct(o.cand_accuracy), pts(o.delta), pts(o.ci.lower), pts(o.ci.upper), o.n, o.lost, o.gained,
      o.p_value);
}

void top_slices(HtmlPage& page, const Diagnosis& d) {
  if (d.slices.empty()) return;
  std::vector<std::vector<std::string>> rows = {{"top slices", "items", "baseline", "candidate", "change", "q"}};
  for (size_t i = 0; i < d.slices.size() && i < kTopSlices; ++i) {
    const DiagnosisSlice& s = d.slices[i];
    rows.push_back({slice_label(s.tags), std::to_string(s.n), pct(s.base_accuracy), pct(s.cand_accuracy), pts(s.delta),
                    fmt::format("{:.2g}", s.q_value)});
  }
  page.table(rows);
  if (d.slices.size() > kTopSlices) {
    page.paragraph(fmt::format("{} slices in all: see Slices below.", d.slices.size()), "muted");
  }
}

void answer_form_section(HtmlPage& page, const AnswerFormChange& f) {
  if (!f.measured && f.recovered_share_tolerant <= 0.0) return;
  page.heading(2, "Answer form", "answer-form");
  page.paragraph(fmt::format(
      "The tolerant tier (brackets, punctuation, case and white space ignored; option letters "
      "matched to option text) recovers {} of the loss; answers in the reference's shape: {} "
      "→ {}; {} of lost items lost that shape.",
      pct(f.recovered_share_tolerant), pct(f.base_shape_share), pct(f.cand_shape_share), pct(f.off_shape_lost_share)));
  if (!f.examples.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"item", "reference", "baseline answer", "candidate answer", "tolerant tier"}};
    for (const AnswerFormExample& e : f.examples) {
      rows.push_back({e.item, e.reference, e.base_answer, e.cand_answer, e.tolerant_correct ? "right" : "wrong"});
    }
    page.table(rows);
  }
  std::vector<std::vector<std::string>> tasks = {{"task", "baseline answers in shape", "candidate answers in shape"}};
  for (const TaskShapeProfile& t : f.tasks) {
    tasks.push_back({t.task, fmt::format("{} of {}", pct(t.base_share), t.base_answered),
                     fmt::format("{} of {}", pct(t.cand_share), t.cand_answered)});
  }
  if (tasks.size() > 1) {
    page.heading(3, "Shape profile per task");
    page.table(tasks);
  }
}

void set_aside_section(HtmlPage& page, const DiagnosisEvidence& ev) {
  if (ev.broken_scoring.empty() && ev.comparability.differing_prompt_items.empty()) return;
  page.heading(2, "Left out of the comparison", "set-aside");
  if (!ev.broken_scoring.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"scoring looks broken: task", "rule", "items", "accuracy", "no answer"}};
    for (const BrokenScoringTask& t : ev.broken_scoring) {
      rows.push_back({t.task, t.rule, std::to_string(t.items),
                      fmt::format("{} → {}", pct(t.base_accuracy), pct(t.cand_accuracy)),
                      fmt::format("{} → {}", pct(t.base_no_answer_share), pct(t.cand_no_answer_share))});
    }
    page.table(rows);
  }
  const auto& keys = ev.comparability.differing_prompt_items;
  if (!keys.empty()) {
    std::string listed;
    for (size_t i = 0; i < keys.size() && i < 20; ++i) listed += (i > 0 ? ", " : "") + keys[i];
    if (keys.size() > 20) listed += fmt::format(", … ({} in all)", keys.size());
    page.paragraph(fmt::format(
        "Items whose prompts differ ({}): {}.",
        ev.comparability.prompts_set_aside ? "set aside, compared on the rest" : "the runs are not comparable",
        listed));
  }
}

}  // namespace

void diagnosis_summary(HtmlPage& page, const Diagnosis& d) {
  bool data_in = d.verdict == Verdict::kDataRuledIn;
  page.raw(fmt::format("<p class=\"verdict {}\">verdict: {}{}</p>\n", data_in ? "bad" : "ok",
                       html_escape(verdict_name(d.verdict)),
                       d.cause ? " (cause: " + html_escape(cause_name(*d.cause)) + ")" : ""));
  page.raw(headline_markup(d));
  page.paragraph(d.reason);
  top_slices(page, d);
  if (!d.places_to_look.empty()) {
    std::string list = "<ul>";
    for (const auto& p : d.places_to_look) list += "<li>" + html_escape(p) + "</li>";
    page.raw("<p>Places to look:</p>" + list + "</ul>\n");
  }
  if (d.required_items) page.paragraph(fmt::format("Paired items needed to settle it: {}", *d.required_items));
}

std::string build_diagnosis_report(WorkspaceDb& ws, const Diagnosis& d, size_t items_per_slice) {
  HtmlPage page(fmt::format("caploop diagnosis: {} -> {}", d.baseline, d.candidate));
  page.heading(1, fmt::format("Diagnosis: {} → {}", d.baseline, d.candidate));
  // The answer first: verdict, headline change, top slices, places to look; the evidence after.
  diagnosis_summary(page, d);
  answer_form_section(page, d.evidence.answer_form);
  set_aside_section(page, d.evidence);

  const auto& ev = d.evidence;
  page.heading(2, "Evidence", "evidence");
  page.table({{"quantity", "value"},
              {"paired items", std::to_string(ev.overall.n)},
              {"baseline accuracy", pct(ev.overall.base_accuracy)},
              {"candidate accuracy", pct(ev.overall.cand_accuracy)},
              {"change (points)",
               fmt::format("{} [{}, {}]", pts(ev.overall.delta), pts(ev.overall.ci.lower), pts(ev.overall.ci.upper))},
              {"test", std::string(ev.overall.test)},
              {"items lost / gained (McNemar b / c)", fmt::format("{} / {}", ev.overall.lost, ev.overall.gained)},
              {"p-value (two-sided)", fmt::format("{:.3g}", ev.overall.p_value)},
              {"lost with an abnormal ending", fmt::format("{} of {} ({})", ev.loss.lost_abnormal, ev.loss.items_lost,
                                                           pct(ev.loss.abnormal_lost_share))},
              {"abnormal-ending rate baseline → candidate",
               fmt::format("{} → {}", pct(ev.loss.base_abnormal_rate), pct(ev.loss.cand_abnormal_rate))},
              {"loss recovered by lenient / first-answer re-scoring",
               fmt::format("{} / {}", pct(ev.loss.recovered_share_lenient), pct(ev.loss.recovered_share_first))},
              {"loss breadth (share of " + ev.partition_key + " cells that lost)", pct(ev.loss_breadth)},
              {"heterogeneity across cells (Cochran Q, df, p, I²)",
               fmt::format("{:.1f}, {:.0f}, {:.3g}, {:.0f}%", ev.heterogeneity.q, ev.heterogeneity.degrees_of_freedom,
                           ev.heterogeneity.p_value, 100 * ev.heterogeneity.i_squared)},
              {"minimum detectable effect (points)", pts(ev.minimum_detectable_effect)},
              {"slices tested / regressed / improved",
               fmt::format("{} / {} / {}", ev.slices_tested, ev.slices_regressed, ev.slices_improved)}});
  page.heading(3, "Checks behind the verdict");
  std::vector<std::vector<std::string>> checks = {{"check", "value", "threshold", "held"}};
  for (const auto& c : ev.checks) {
    checks.push_back({c.name, fmt::format("{:.4g}", c.value), c.comparison + " " + fmt::format("{:.4g}", c.threshold),
                      c.passed ? "yes" : "no"});
  }
  page.table(checks);
  page.heading(3, "Comparability");
  std::vector<std::vector<std::string>> comp = {{"aspect", "baseline", "candidate", "status"}};
  for (const auto& c : ev.comparability.checks) {
    comp.push_back({c.aspect, c.baseline, c.candidate, std::string(comparability_status_name(c.status))});
  }
  page.table(comp);

  page.heading(2, "How generations ended", "endings");
  page.raw(svg_ending_bars("share of samples by ending",
                           {{d.baseline, ev.baseline_endings}, {d.candidate, ev.candidate_endings}}));

  if (!ev.cells.empty()) {
    std::vector<ForestRow> rows;
    for (const auto& c : ev.cells) {
      rows.push_back({fmt::format("{} (n={})", c.value, c.n), c.delta, c.delta - 1.96 * c.standard_error,
                      c.delta + 1.96 * c.standard_error, false});
    }
    page.raw(svg_forest_plot("change by " + ev.partition_key + " (points, 95%)", rows));
  }

  page.heading(2, "Slices", "slices");
  if (d.slices.empty()) {
    page.paragraph("No slice changed significantly after false-discovery control.");
  } else {
    std::vector<ForestRow> rows;
    for (const auto& s : d.slices) {
      rows.push_back({fmt::format("{} (n={})", slice_label(s.tags), s.n), s.delta, s.ci.lower, s.ci.upper,
                      s.q_value <= ev.options.fdr});
    }
    page.raw(svg_forest_plot("per-slice change (points, 95%); red: q ≤ FDR", rows));
    std::vector<std::vector<std::string>> table = {{"slice", "items", "baseline", "candidate", "change", "q"}};
    for (const auto& s : d.slices) {
      table.push_back({slice_label(s.tags), std::to_string(s.n), pct(s.base_accuracy), pct(s.cand_accuracy),
                       pts(s.delta), fmt::format("{:.2g}", s.q_value)});
    }
    page.table(table);
    for (const auto& s : d.slices) {
      std::string body;
      for (size_t i = 0; i < s.items.size() && i < items_per_slice; ++i) body += item_markup(ws, s.items[i], d);
      if (s.items.size() > items_per_slice) {
        body += fmt::format(
            "<p class=\"muted\">{} more items: {}</p>", s.items.size() - items_per_slice,
            html_escape(fmt::format("{}", fmt::join(s.items.begin() + items_per_slice, s.items.end(), " & "))));
      }
      page.details(fmt::format("{}: {} items", slice_label(s.tags), s.items.size()), body);
    }
  }
  return page.render();
}

}  // namespace caploop
