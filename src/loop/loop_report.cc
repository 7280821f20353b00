#include "loop/loop_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/ending_colors.h"
#include "report/html_page.h"
#include "slices/slice_label.h"

namespace caploop {
namespace {

std::string pct(double share) { return fmt::format("{:.1f}%", 100.0 * share); }
std::string points(double delta) { return fmt::format("{:+.1f}", 100.0 * delta); }
std::string num(double v) { return fmt::format("{:.3g}", v); }

// Long stream names ("target:a__b&c__d") may break after ':' and '&' (a zero-width space), so tables fit.
std::string breakable(const std::string& name) {
  std::string out;
  for (char ch : name) {
    out += ch;
    if (ch == ':' || ch == '&') out += "\u200b";
  }
  return out;
}

std::string link(const std::string& href, const std::string& text) {
  return "<a href=\"" + html_escape(href) + "\">" + html_escape(text) + "</a>";
}

double natural_share(const MixturePlan& plan, const PlanStream& s) {
  return plan.corpus.tokens > 0 ? static_cast<double>(s.available_tokens) / static_cast<double>(plan.corpus.tokens)
                                : 0.0;
}

const sampling::StreamComposition* drawn_of(const LoopComparisonOutcome& c, const std::string& stream) {
  if (!c.sample) return nullptr;
  for (const auto& s : c.sample->streams)
    if (s.name == stream) return &s;
  return nullptr;
}

const HypothesisVerification* verified(const LoopComparisonOutcome& c, const std::string& id) {
  if (!c.verification) return nullptr;
  for (const auto& h : c.verification->hypotheses)
    if (h.id == id) return &h;
  return nullptr;
}

std::string verdict_line(const Diagnosis& d) {
  return std::string(verdict_name(d.verdict)) + (d.cause ? fmt::format(" (cause: {})", cause_name(*d.cause)) : "");
}

void overview(HtmlPage& page, const LoopOutcome& outcome) {
  std::vector<std::vector<std::string>> rows = {
      {"comparison", "baseline", "candidate", "verdict", "plan", "sample", "verification"}};
  for (const LoopComparisonOutcome& c : outcome.comparisons) {
    std::string plan = "none";
    if (c.plan) {
      plan = fmt::format("{} streams, {} tokens", c.plan->streams.size(), c.plan->options.budget_tokens);
    } else if (!c.plan_refused.empty()) {
      plan = "refused";
    }
    std::string sample =
        c.sample ? fmt::format("{} tokens{}", c.sample->drawn_tokens, c.sample->complete ? "" : " (incomplete)")
                 : "none";
    std::string verify =
        c.verification ? std::string(c.verification->verdict()) + " (" + *c.comparison.after + ")" : "none";
    rows.push_back({c.comparison.name, c.comparison.baseline, c.comparison.candidate, verdict_line(c.diagnosis), plan,
                    sample, verify});
  }
  page.table(rows);
}

void diagnosis_section(HtmlPage& page, const LoopComparisonOutcome& c) {
  const Diagnosis& d = c.diagnosis;
  const auto& o = d.evidence.overall;
  page.paragraph("Verdict: " + verdict_line(d), "verdict");
  page.paragraph(fmt::format("Accuracy {} -> {} ({} points) over {} paired items: {} lost, {} gained, p = {}.",
                             pct(o.base_accuracy), pct(o.cand_accuracy), points(o.delta), o.n, o.lost, o.gained,
                             num(o.p_value)));
  page.paragraph(d.reason);
  if (!d.slices.empty()) {
    page.heading(3, "Slices");
    std::vector<std::vector<std::string>> rows = {
        {"slice", "n", "baseline", "candidate", "delta (points)", "interval", "q"}};
    for (const DiagnosisSlice& s : d.slices)
      rows.push_back({slice_label(s.tags), std::to_string(s.n), pct(s.base_accuracy), pct(s.cand_accuracy),
                      points(s.delta), "[" + points(s.ci.lower) + ", " + points(s.ci.upper) + "]", num(s.q_value)});
    page.table(rows);
  }
  if (!d.places_to_look.empty()) {
    std::string items;
    for (const std::string& p : d.places_to_look) items += "<li>" + html_escape(p) + "</li>";
    page.raw("<p>Places to look:</p><ul>" + items + "</ul>");
  }
  std::vector<std::vector<std::string>> checks = {{"check", "value", "", "threshold", "passed"}};
  for (const VerdictCheck& k : d.evidence.checks)
    checks.push_back({k.name, num(k.value), k.comparison, num(k.threshold), k.passed ? "yes" : "no"});
  if (checks.size() > 1) {
    page.heading(3, "Checks the verdict applied");
    page.table(checks);
  }
  page.raw(svg_ending_bars("share of samples by ending",
                           {{d.baseline, d.evidence.baseline_endings}, {d.candidate, d.evidence.candidate_endings}}));
  page.raw("<p>Files: " + link(c.comparison.name + "/diagnosis.json", "diagnosis.json") + ", " +
           link(c.comparison.name + "/diagnosis.md", "diagnosis.md") + "</p>");
}

void chain_section(HtmlPage& page, const LoopComparisonOutcome& c, uint64_t seed) {
  const MixturePlan& plan = *c.plan;
  page.heading(3, "From slices to tokens");
  page.paragraph(
      fmt::format("Budget {} tokens: {} for the base mixture, {} for targets; corpus {} tokens in {} documents "
                  "({} shards). Caps: at most {} epochs per stream, at most {} of the budget per target "
                  "stream, at least {} kept for the base mixture.",
                  plan.options.budget_tokens, plan.base_tokens, plan.target_tokens, plan.corpus.tokens,
                  plan.corpus.docs, plan.corpus.shards.size(), num(plan.options.max_epochs),
                  pct(plan.options.max_category_share), pct(plan.options.min_base_share)));
  std::map<std::string, const PlanSlice*> slices;
  for (const PlanSlice& s : plan.slices) slices[s.id] = &s;
  std::vector<std::vector<std::string>> chain = {
      {"slice", "n", "rule", "matched tag", "weight", "demand", "stream", "stream quota (tokens)"}};
  for (const PlanStream& s : plan.streams) {
    for (const PlanLink& l : s.links) {
      const PlanSlice* slice = slices.count(l.slice_id) ? slices[l.slice_id] : nullptr;
      chain.push_back({l.slice_id + (slice ? ": " + slice_label(slice->tags) : ""),
                       slice ? std::to_string(slice->n) : "", l.rule_id, l.matched_tag, num(l.weight), num(l.demand),
                       breakable(s.name), std::to_string(s.quota_tokens)});
    }
  }
  page.table(chain);
  if (!c.mapping_gaps.empty()) {
    std::string gaps;
    for (const std::string& g : c.mapping_gaps) gaps += (gaps.empty() ? "" : "; ") + g;
    page.paragraph("Weak slices no mapping rule covers (the gap): " + gaps);
  }

  page.heading(3, "Streams");
  std::vector<std::vector<std::string>> rows = {{"stream", "kind", "available", "natural share", "quota", "quota share",
                                                 "epochs", "capped by", "drawn", "error"}};
  std::vector<StreamShareBar> bars;
  for (const PlanStream& s : plan.streams) {
    const sampling::StreamComposition* d = drawn_of(c, s.name);
    rows.push_back(
        {breakable(s.name), std::string(stream_kind_name(s.kind)), std::to_string(s.available_tokens),
         pct(natural_share(plan, s)), std::to_string(s.quota_tokens), pct(s.share), fmt::format("{:.2f}", s.epochs),
         s.capped_by == QuotaCap::kNone ? "-" : std::string(quota_cap_name(s.capped_by)),
         d ? std::to_string(d->drawn_tokens) : "-", d ? fmt::format("{:+.2f}%", 100.0 * d->relative_error) : "-"});
    bars.push_back({s.name, s.share, natural_share(plan, s)});
  }
  page.table(rows);
  page.raw(
      svg_stream_share_chart("Share of the budget (quota) against share of the corpus (natural), per stream", bars));
  if (c.sample) {
    page.paragraph(fmt::format("Sample (seed {}): {} tokens in {} lines from {} of {} shards{}.", seed,
                               c.sample->drawn_tokens, c.sample->output_lines, c.sample->shards_done,
                               c.sample->shards_total, c.sample->complete ? "" : " (incomplete)"));
  }
  if (!plan.notes.empty()) {
    std::string notes;
    for (const std::string& n : plan.notes) notes += "<li>" + html_escape(n) + "</li>";
    page.raw("<p>Plan notes:</p><ul>" + notes + "</ul>");
  }
}

void hypotheses_section(HtmlPage& page, const LoopComparisonOutcome& c) {
  const MixturePlan& plan = *c.plan;
  page.heading(3, "Hypotheses");
  if (c.verification) {
    page.paragraph(
        fmt::format("Verification of {} (before) against {} (after retraining): {} - {}", c.comparison.candidate,
                    *c.comparison.after, c.verification->verdict(), c.verification->overall.reason),
        "verdict");
  } else {
    page.paragraph(
        "No evaluation after retraining is configured (comparison key `after`): the hypotheses are "
        "pre-registered, not yet tested.");
  }
  const bool control = c.verification && !c.verification->control.empty();
  if (c.verification) page.paragraph(c.verification->attribution_note);
  std::vector<std::string> head = {"id", "kind", "what", "n", "before"};
  if (control) head.push_back("control");
  if (c.verification) head.push_back("targeted");
  for (const char* h : {"expects", "delta", "exact interval"}) head.emplace_back(h);
  if (control) {
    for (const char* h : {"targeted - control", "exact interval vs control"}) head.emplace_back(h);
  }
  for (const char* h : {"q", "result", "reason"}) head.emplace_back(h);
  std::vector<std::vector<std::string>> rows = {head};
  for (const PlanHypothesis& h : plan.hypotheses) {
    const std::string expects =
        h.kind == "guard" ? "loss at most " + pct(h.margin) : "gain at least " + pct(h.min_effect);
    const HypothesisVerification* v = verified(c, h.id);
    std::vector<std::string> row = {h.id, h.kind, breakable(h.description), std::to_string(v ? v->change.n : h.n),
                                    pct(v ? v->change.base_accuracy : h.baseline_accuracy)};
    if (control) row.push_back(v && v->has_control ? pct(v->control_gain.cand_accuracy) : "-");
    if (c.verification) row.push_back(v ? pct(v->change.cand_accuracy) : "-");
    row.push_back(expects);
    const auto interval = [](const Interval& i) { return "[" + points(i.lower) + ", " + points(i.upper) + "]"; };
    if (v) {
      row.insert(row.end(), {points(v->change.delta), interval(v->change.exact_bounds)});
      if (control) {
        row.insert(row.end(), {v->has_control ? points(v->against_control.change.delta) : "-",
                               v->has_control ? interval(v->against_control.change.exact_bounds) : "-"});
      }
      row.insert(row.end(), {num(v->q_value), std::string(verify_result_name(v->decision.result)), v->decision.reason});
    } else {
      row.insert(row.end(), {"-", "-", "-", "-", "-"});
    }
    rows.push_back(std::move(row));
  }
  page.table(rows);
  std::string files = link(c.comparison.name + "/mapping.json", "mapping.json") + ", " +
                      link(c.comparison.name + "/plan.json", "plan.json") + ", " +
                      link(c.comparison.name + "/plan.md", "plan.md") + ", " +
                      link(c.comparison.name + "/sample/composition.json", "sample/composition.json");
  if (c.verification)
    files += ", " + link(c.comparison.name + "/verify.json", "verify.json") + ", " +
             link(c.comparison.name + "/verify.md", "verify.md");
  page.raw("<p>Files: " + files + "</p>");
}

}  // namespace

std::string svg_stream_share_chart(const std::string& title, const std::vector<StreamShareBar>& bars) {
  // Per stream: its label on one line, then the quota bar (blue) and the natural bar (grey) under it.
  const int left = 8, bar_area = 560, row_height = 46, top = 30;
  const int width = left + bar_area + 70;
  const int height = top + row_height * static_cast<int>(bars.size()) + 26;
  double max_share = 0.0;
  for (const StreamShareBar& b : bars) max_share = std::max({max_share, b.quota_share, b.natural_share});
  if (max_share <= 0.0) max_share = 1.0;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\">"
      "<title>{}</title><text x=\"{}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text>",
      width, height, width, height, html_escape(title), left, html_escape(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    const StreamShareBar& b = bars[i];
    const int y = top + static_cast<int>(i) * row_height;
    const double wq = bar_area * b.quota_share / max_share, wn = bar_area * b.natural_share / max_share;
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", left, y + 10, html_escape(b.label));
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"12\" fill=\"#2b6cb0\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\">{}</text>",
        left, y + 14, wq, left + wq + 4, y + 24, pct(b.quota_share));
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"12\" fill=\"#a0aec0\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\">{}</text>",
        left, y + 28, wn, left + wn + 4, y + 38, pct(b.natural_share));
  }
  const int legend_y = height - 10;
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\">quota share of the budget</text>"
      "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"10\" fill=\"#a0aec0\"/>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\">natural share of the corpus</text></svg>",
      left, legend_y - 9, left + 16, legend_y, left + 200, legend_y - 9, left + 216, legend_y);
  return svg;
}

std::string build_loop_report(const LoopConfig& config, const LoopOutcome& outcome) {
  HtmlPage page("caploop loop: " + config.file.filename().string());
  page.heading(1, "caploop loop: " + config.file.string());
  page.paragraph(
      fmt::format("{} runs, {} comparisons. Each comparison walks from the verdict to the plan: "
                  "slices -> mapping rules -> streams -> tokens -> hypotheses -> verification.",
                  outcome.runs.size(), outcome.comparisons.size()));
  overview(page, outcome);
  if (outcome.corpus) {
    const auto& s = outcome.corpus->stats;
    page.paragraph(fmt::format("Corpus: {} shards, {} documents, {} tokens (estimated), taxonomy {}.", s.shards,
                               s.total.docs, s.total.tokens, s.taxonomy));
  }
  for (const LoopComparisonOutcome& c : outcome.comparisons) {
    page.heading(2, c.comparison.name + ": " + c.comparison.baseline + " -> " + c.comparison.candidate,
                 "comparison-" + c.comparison.name);
    diagnosis_section(page, c);
    if (c.diagnosis.verdict != Verdict::kDataRuledIn) {
      page.paragraph("The data is not ruled in: no mapping, no plan, no sample.");
      continue;
    }
    if (!c.plan) {
      page.paragraph("No plan: " + c.plan_refused);
      if (!c.mapping_gaps.empty()) {
        std::string gaps;
        for (const std::string& g : c.mapping_gaps) gaps += (gaps.empty() ? "" : "; ") + g;
        page.paragraph("Weak slices no mapping rule covers: " + gaps);
      }
      continue;
    }
    chain_section(page, c, config.seed);
    hypotheses_section(page, c);
  }
  return page.render();
}

}  // namespace caploop
