#include "diagnose/diagnosis_markdown.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

#include "slices/slice_label.h"

namespace caploop {

namespace {

constexpr size_t kItemsShown = 5;

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '`':
        out += "\\`";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100.0 * v) : "n/a"; }
std::string pts(double v) { return std::isfinite(v) ? fmt::format("{:+.1f}", 100.0 * v) : "n/a"; }
std::string num(double v) { return std::isfinite(v) ? fmt::format("{:.4g}", v) : "n/a"; }

}  // namespace

std::string render_diagnosis_markdown(const Diagnosis& d) {
  const DiagnosisEvidence& ev = d.evidence;
  const PairedDifference& o = ev.overall;
  const LossDecomposition& l = ev.loss;
  std::string md;
  md += fmt::format("# Diagnosis: {} → {}\n\n", escape(d.baseline), escape(d.candidate));
  md += fmt::format("**Verdict: `{}`**{}\n\n", verdict_name(d.verdict),
                    d.cause ? fmt::format(" — cause `{}`", cause_name(*d.cause)) : "");
  md += escape(d.reason) + ".\n\n";
  if (d.required_items) md += fmt::format("Paired items needed to settle it: **{}**.\n\n", *d.required_items);
  if (!d.places_to_look.empty()) {
    md += "## Places to look\n\n";
    for (const std::string& p : d.places_to_look) md += "- " + escape(p) + "\n";
    md += "\n";
  }

  md += "## Evidence\n\n| measure | value |\n|---|---|\n";
  md += fmt::format("| items | {} |\n", o.n);
  md += fmt::format("| accuracy baseline → candidate | {} → {} ({} points, {:.0f}% CI [{}, {}]) |\n",
                    pct(o.base_accuracy), pct(o.cand_accuracy), pts(o.delta), 100.0 * ev.options.confidence,
                    pts(o.ci.lower), pts(o.ci.upper));
  md += fmt::format("| test | {}: lost b = {}, gained c = {}, p = {} |\n", o.test, o.lost, o.gained, num(o.p_value));
  md += fmt::format("| lost items: termination / no answer / normal ending | {} / {} / {} |\n", l.lost_termination,
                    l.lost_no_answer, l.lost_normal);
  md += fmt::format("| abnormal endings baseline → candidate | {} → {} of samples |\n", pct(l.base_abnormal_rate),
                    pct(l.cand_abnormal_rate));
  md += fmt::format("| loss recovered by lenient / first-answer / either rule | {} / {} / {} |\n",
                    pct(l.recovered_share_lenient), pct(l.recovered_share_first), pct(l.recovered_share_either));
  md += fmt::format("| evenness over `{}` (Cochran Q) | Q = {}, df = {}, p = {}, I² = {}; {} of cells lost |\n",
                    escape(ev.partition_key), num(ev.heterogeneity.q), num(ev.heterogeneity.degrees_of_freedom),
                    num(ev.heterogeneity.p_value), num(ev.heterogeneity.i_squared), pct(ev.loss_breadth));
  md += fmt::format("| minimum detectable effect (power {}) | {} points |\n", ev.options.power,
                    std::isfinite(ev.minimum_detectable_effect)
                        ? fmt::format("{:.1f}", 100.0 * ev.minimum_detectable_effect)
                        : std::string("none detectable"));
  md += fmt::format("| slices tested / regressed / improved | {} / {} / {} |\n\n", ev.slices_tested,
                    ev.slices_regressed, ev.slices_improved);

  const AnswerFormChange& f = ev.answer_form;
  if (f.measured || f.recovered_share_tolerant > 0.0) {
    md += fmt::format("### Answer form\n\nTolerant tier recovers {} of the loss (candidate {} tolerant accuracy)",
                      pct(f.recovered_share_tolerant), pct(f.cand_accuracy_tolerant));
    if (f.measured) {
      md += fmt::format("; answers in the reference's shape {} → {}; {} of lost items lost that shape",
                        pct(f.base_shape_share), pct(f.cand_shape_share), pct(f.off_shape_lost_share));
    }
    md += ".\n\n";
    if (!f.examples.empty()) {
      md += "| item | reference | baseline answer | candidate answer | tolerant |\n|---|---|---|---|---|\n";
      for (const AnswerFormExample& e : f.examples) {
        md += fmt::format("| {} | `{}` | `{}` | `{}` | {} |\n", escape(e.item), escape(e.reference),
                          escape(e.base_answer), escape(e.cand_answer), e.tolerant_correct ? "right" : "wrong");
      }
      md += "\n";
    }
  }
  if (!ev.broken_scoring.empty()) {
    md +=
        "### Scoring looks broken (kept out of the comparison)\n\n| task | rule | items | accuracy | no answer |\n"
        "|---|---|---|---|---|\n";
    for (const BrokenScoringTask& t : ev.broken_scoring) {
      md += fmt::format("| {} | {} | {} | {} → {} | {} → {} |\n", escape(t.task), escape(t.rule), t.items,
                        pct(t.base_accuracy), pct(t.cand_accuracy), pct(t.base_no_answer_share),
                        pct(t.cand_no_answer_share));
    }
    md += "\n";
  }

  md += "### Comparability\n\n| aspect | baseline | candidate | status |\n|---|---|---|---|\n";
  for (const ComparabilityCheck& c : ev.comparability.checks) {
    md += fmt::format("| {} | {} | {} | {} |\n", c.aspect, escape(c.baseline), escape(c.candidate),
                      comparability_status_name(c.status));
  }
  if (!ev.comparability.differing_prompt_items.empty()) {
    const auto& keys = ev.comparability.differing_prompt_items;
    std::string listed;
    for (size_t i = 0; i < keys.size() && i < kItemsShown; ++i) listed += (i > 0 ? ", " : "") + keys[i];
    if (keys.size() > kItemsShown) listed += fmt::format(", … ({} in all)", keys.size());
    md += fmt::format("\nItems whose prompts differ: {}{}.\n", escape(listed),
                      ev.comparability.prompts_set_aside ? " (set aside: compared on the identical-prompt items)" : "");
  }
  md += "\n### Checks applied\n\n| check | value | threshold | holds |\n|---|---|---|---|\n";
  for (const VerdictCheck& c : ev.checks) {
    md += fmt::format("| {} | {} | {} {} | {} |\n", c.name, num(c.value), c.comparison, num(c.threshold),
                      c.passed ? "yes" : "no");
  }
  md += "\n";

  if (!d.slices.empty()) {
    md +=
        "## Slices\n\n| slice | n | baseline | candidate | delta | CI | q | items "
        "|\n|---|---|---|---|---|---|---|---|\n";
    for (const DiagnosisSlice& s : d.slices) {
      std::string items;
      for (size_t i = 0; i < s.items.size() && i < kItemsShown; ++i) items += (i > 0 ? ", " : "") + s.items[i];
      if (s.items.size() > kItemsShown) items += fmt::format(", … ({} in all)", s.items.size());
      md += fmt::format("| {} | {} | {} | {} | {} | [{}, {}] | {} | {} |\n", escape(slice_label(s.tags)), s.n,
                        pct(s.base_accuracy), pct(s.cand_accuracy), pts(s.delta), pts(s.ci.lower), pts(s.ci.upper),
                        num(s.q_value), escape(items));
    }
    md += "\n";
  }
  return md;
}

}  // namespace caploop
