#include "verify/verification_markdown.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace caploop {
namespace {

constexpr size_t kItemsShown = 8;

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
      case '*':
        out += "\\*";
        break;
      case '_':
        out += "\\_";
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
std::string num(double v) { return std::isfinite(v) ? fmt::format("{:.3g}", v) : "n/a"; }

std::string joined(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i > 0 ? std::string(separator) : "") + escape(values[i]);
  return out;
}

std::string some_items(const std::vector<std::string>& keys) {
  const auto shown_count = static_cast<std::ptrdiff_t>(std::min(keys.size(), kItemsShown));
  std::vector<std::string> shown(keys.begin(), keys.begin() + shown_count);
  std::string out = joined(shown, ", ");
  if (keys.size() > kItemsShown) out += fmt::format(" … ({} more)", keys.size() - kItemsShown);
  return out.empty() ? "none" : out;
}

std::string expectation(const HypothesisVerification& h) {
  return h.kind == "guard" ? fmt::format("≥ {} pts", pts(-h.margin)) : fmt::format("≥ {} pts", pts(h.min_effect));
}

constexpr std::string_view kRules =
    "## Decision rules\n\n"
    "Bounds are one-sided (1 − α) confidence bounds for delta (together a two-sided 1 − 2α interval); "
    "q-values adjust the targets' improvement p-values across targets.\n\n"
    "- **target**: `confirmed` when q ≤ fdr and delta ≥ min_effect; else `refuted` when the upper bound < "
    "min_effect; else `inconclusive` (also with no paired items or no finite min_effect).\n"
    "- **guard**: `refuted` (guard regression) when the upper bound < −margin, or when the loss is significant "
    "(p ≤ α) and delta < −margin; else `confirmed` when the lower bound > −margin; else `inconclusive`.\n"
    "- **overall**: `refuted` if any guard is refuted or every target is refuted; `confirmed` if every target "
    "is confirmed and every guard confirmed; `inconclusive` otherwise.\n\n";

}  // namespace

std::string render_verification_markdown(const Verification& v) {
  std::string md;
  md += fmt::format("# Verification: {} → {}\n\n", escape(v.baseline), escape(v.candidate));
  md += fmt::format("**Verdict: `{}`** — {}.\n\n", v.verdict(), escape(v.overall.reason));
  md += fmt::format("Plan `{}`; scoring rule `{}`; {} paired items; false discovery rate {} ({}).\n\n",
                    escape(v.plan_file), escape(v.scoring_rule), v.paired_items, num(v.options.fdr),
                    fdr_method_label(v.options.fdr_method));
  md += "## Hypotheses\n\n";
  md +=
      "| id | kind | slice | n | baseline | candidate | delta (pts) | bounds (pts) | expected | p | q | lost / "
      "gained | result |\n";
  md += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const HypothesisVerification& h : v.hypotheses) {
    const PairedChange& c = h.change;
    md +=
        fmt::format("| {} | {} | {} | {} | {} | {} | {} | [{}, {}] | {} | {} | {} | {} / {} | **{}** |\n", escape(h.id),
                    h.kind, joined(h.slice_tags, " & "), c.n, pct(c.base_accuracy), pct(c.cand_accuracy), pts(c.delta),
                    pts(c.bounds.lower), pts(c.bounds.upper), expectation(h), num(h.p_value), num(h.q_value),
                    c.lost_items.size(), c.gained_items.size(), verify_result_name(h.decision.result));
  }
  md += "\n";
  if (v.control.empty()) {
    md += "**No control run**: " + escape(v.attribution_note) + ".\n\n";
  } else {
    md += fmt::format(
        "## Before / control / targeted\n\nControl run `{}` (trained as long on the control "
        "mixture). A target is confirmed only when the targeted model beats the control by at least "
        "the planned effect. Intervals are exact (two-sided {}).\n\n",
        escape(v.control), "1 − 2α");
    md +=
        "| id | kind | metric | before | control | targeted | control − before | targeted − control | exact "
        "interval | q | against control | result |\n";
    md += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const HypothesisVerification& h : v.hypotheses) {
      const PairedChange& k = h.against_control.change;
      md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | [{}, {}] | {} | {} | **{}** |\n", escape(h.id),
                        h.kind, h.metric, pct(h.control_gain.base_accuracy), pct(k.base_accuracy), pct(k.cand_accuracy),
                        pts(h.control_gain.delta), pts(k.delta), pts(k.exact_bounds.lower), pts(k.exact_bounds.upper),
                        num(h.against_control.q_value), verify_result_name(h.against_control.decision.result),
                        verify_result_name(h.decision.result));
    }
    md += "\n";
  }
  for (const HypothesisVerification& h : v.hypotheses) {
    const PairedChange& c = h.change;
    md += fmt::format("### {} ({}): {}\n\n", escape(h.id), h.kind, verify_result_name(h.decision.result));
    if (!h.description.empty()) md += escape(h.description) + "\n\n";
    md += fmt::format("- rule `{}`: {}\n", h.decision.rule, escape(h.decision.reason));
    md += fmt::format("- test `{}` at α = {} (one-sided bounds at {:.0f}%); {} items from {}{}{}\n", c.test,
                      num(h.alpha), 100.0 * (1.0 - h.alpha), c.n, h.rest ? "the rest of the runs" : "the plan",
                      h.items_missing > 0 ? fmt::format(" ({} planned items missing)", h.items_missing) : "",
                      h.planned_n > 0 ? fmt::format("; planned n {}, planned baseline {}", h.planned_n,
                                                    pct(h.planned_baseline_accuracy))
                                      : "");
    md += fmt::format("- exact interval ({}): [{}, {}] points\n", c.exact_method, pts(c.exact_bounds.lower),
                      pts(c.exact_bounds.upper));
    md += fmt::format("- lost: {}\n- gained: {}\n\n", some_items(c.lost_items), some_items(c.gained_items));
  }
  md += kRules;
  if (!v.notes.empty()) {
    md += "## Notes\n\n";
    for (const std::string& n : v.notes) md += "- " + escape(n) + "\n";
    md += "\n";
  }
  return md;
}

}  // namespace caploop
