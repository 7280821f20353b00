#include "diagnose/diagnosis_markdown.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

namespace caploop {

namespace {

constexpr size_t kItemsShown = 5;

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '`': out += "\\`"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100.0 * v) : "n/a"; }
std::string pts(double v) { return std::isfinite(v) ? fmt::format("{:+.1f}", 100.0 * v) : "n/a"; }
std::string num(double v) { return std::isfinite(v) ? fmt::format("{:.4g}", v) : "n/a"; }

std::string joined(const std::vector<std::string>& tags) {
  std::string out;
  for (size_t i = 0; i < tags.size(); ++i) out += (i > 0 ? " & " : "") + tags[i];
  return out;
}

}  // namespace

std::string render_diagnosis_markdown(const Diagnosis& d) {
  const DiagnosisEvidence& ev = d.evidence;
  const PairedDifference& o = ev.overall;
  const LossDecomposition& l = ev.loss;
  std::string md;
  md += fmt::format("# Diagnosis: {} → {}\n\n", escape(d.baseline), escape(d.candidate));
  md += fmt::format("**Verdict: `{}`**{}\n\n", d.verdict, d.cause.empty() ? "" : fmt::format(" — cause `{}`", d.cause));
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
                    std::isfinite(ev.minimum_detectable_effect) ? fmt::format("{:.1f}", 100.0 * ev.minimum_detectable_effect)
                                                               : std::string("none detectable"));
  md += fmt::format("| slices tested / regressed / improved | {} / {} / {} |\n\n", ev.slices_tested,
                    ev.slices_regressed, ev.slices_improved);

  md += "### Comparability\n\n| aspect | baseline | candidate | status |\n|---|---|---|---|\n";
  for (const ComparabilityCheck& c : ev.comparability.checks) {
    md += fmt::format("| {} | {} | {} | {} |\n", c.aspect, escape(c.baseline), escape(c.candidate), c.status);
  }
  md += "\n### Checks applied\n\n| check | value | threshold | holds |\n|---|---|---|---|\n";
  for (const VerdictCheck& c : ev.checks) {
    md += fmt::format("| {} | {} | {} {} | {} |\n", c.name, num(c.value), c.comparison, num(c.threshold),
                      c.passed ? "yes" : "no");
  }
  md += "\n";

  if (!d.slices.empty()) {
    md += "## Slices\n\n| slice | n | baseline | candidate | delta | CI | q | items |\n|---|---|---|---|---|---|---|---|\n";
    for (const DiagnosisSlice& s : d.slices) {
      std::string items;
      for (size_t i = 0; i < s.items.size() && i < kItemsShown; ++i) items += (i > 0 ? ", " : "") + s.items[i];
      if (s.items.size() > kItemsShown) items += fmt::format(", … ({} in all)", s.items.size());
      md += fmt::format("| {} | {} | {} | {} | {} | [{}, {}] | {} | {} |\n", escape(joined(s.tags)), s.n,
                        pct(s.base_accuracy), pct(s.cand_accuracy), pts(s.delta), pts(s.ci.lower), pts(s.ci.upper),
                        num(s.q_value), escape(items));
    }
    md += "\n";
  }
  return md;
}

}  // namespace caploop
