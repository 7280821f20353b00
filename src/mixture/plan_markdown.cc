#include "mixture/plan_markdown.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

namespace caploop {

namespace {

std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out.push_back(c);
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts) { return cell(fmt::format("{}", fmt::join(parts, ", "))); }

std::string percent(double share) { return fmt::format("{:.2f}%", 100 * share); }

const PlanSlice* slice_by_id(const MixturePlan& plan, const std::string& id) {
  for (const PlanSlice& s : plan.slices)
    if (s.id == id) return &s;
  return nullptr;
}

void header(std::string& out, const MixturePlan& plan) {
  out += "# Data plan\n\n";
  if (plan.weakness_kind == "diagnosis") {
    out += fmt::format("Verdict **{}**", plan.verdict ? verdict_name(*plan.verdict) : "");
    if (!plan.baseline.empty() || !plan.candidate.empty())
      out += fmt::format(" ({} -> {})", plan.baseline, plan.candidate);
    out += fmt::format(", from diagnosis `{}` (checksum {}).\n\n", plan.weakness_file, plan.weakness_checksum);
  } else {
    out += fmt::format("Weak slices from weakness list `{}` (checksum {}).\n\n", plan.weakness_file,
                       plan.weakness_checksum);
  }
  const double budget = static_cast<double>(plan.options.budget_tokens);
  out += fmt::format("- Budget: {} tokens: base mixture {} ({}), targets {} ({})\n", plan.options.budget_tokens,
                     plan.base_tokens, percent(plan.base_tokens / budget), plan.target_tokens,
                     percent(plan.target_tokens / budget));
  out += fmt::format(
      "- Corpus: {} documents, {} tokens in {} shards (taxonomy {}, tokens counted by {}; statistics: {})\n",
      plan.corpus.docs, plan.corpus.tokens, plan.corpus.shards.size(), plan.corpus.taxonomy,
      plan.corpus.tokenizer.empty() ? "estimate" : plan.corpus.tokenizer, fmt::join(plan.corpus.stats_dirs, ", "));
  out += fmt::format("- Mapping rules: {} ({}, fingerprint {})\n", plan.mapping_name, plan.mapping_source,
                     plan.mapping_fingerprint);
  out += fmt::format("- Caps: max epochs {}, max category share {}, min base share {}; base axis `{}`\n\n",
                     plan.options.max_epochs, percent(plan.options.max_category_share),
                     percent(plan.options.min_base_share), plan.options.base_axis);
}

void chain(std::string& out, const MixturePlan& plan) {
  out += "## Chain\n\n";
  out += "| slice | tags | n | severity | rule | matched tag | stream | demand | tokens |\n";
  out += "|---|---|---:|---:|---|---|---|---:|---:|\n";
  for (const PlanStream& s : plan.streams) {
    for (const PlanLink& l : s.links) {
      const PlanSlice* slice = slice_by_id(plan, l.slice_id);
      // The stream's quota attributed to this link in proportion to its demand.
      const double tokens = s.demand > 0 ? static_cast<double>(s.quota_tokens) * l.demand / s.demand : 0.0;
      out += fmt::format("| {} | {} | {} | {:.3f} | {} | {} | {} | {:.1f} | {:.0f} |\n", cell(l.slice_id),
                         slice ? joined(slice->tags) : "", slice ? slice->n : 0, slice ? slice->severity : 0.0,
                         cell(l.rule_id), cell(l.matched_tag), cell(s.name), l.demand, tokens);
    }
  }
  for (const PlanSlice& slice : plan.slices) {
    if (slice.status == SliceStatus::kMapped) continue;
    out +=
        fmt::format("| {} | {} | {} | {:.3f} | {} | | ({}) | | 0 |\n", cell(slice.id), joined(slice.tags), slice.n,
                    slice.severity, slice.rules.empty() ? "-" : joined(slice.rules), slice_status_name(slice.status));
  }
  out += "\n";
}

void streams(std::string& out, const MixturePlan& plan) {
  out += "## Streams\n\n";
  out += "| stream | kind | available tokens | docs | quota tokens | full epochs | epochs | share | capped by |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (const PlanStream& s : plan.streams)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {:.3f} | {} | {} |\n", cell(s.name), stream_kind_name(s.kind),
                       s.available_tokens, s.available_docs, s.quota_tokens, s.full_epochs, s.epochs, percent(s.share),
                       quota_cap_name(s.capped_by));
  out += "\n";
}

void hypotheses(std::string& out, const MixturePlan& plan) {
  out += "## Hypotheses\n\n";
  out += "| id | kind | slice | n | baseline accuracy | expected | streams |\n";
  out += "|---|---|---|---:|---:|---|---|\n";
  for (const PlanHypothesis& h : plan.hypotheses) {
    std::string expected;
    if (h.kind == "guard")
      expected = fmt::format("loses at most {:.1f} points", 100 * h.margin);
    else if (std::isfinite(h.min_effect))
      expected = fmt::format("gains at least {:.1f} points", 100 * h.min_effect);
    else
      expected = "gain not detectable";
    const std::string n = h.kind == "guard" ? "all other items" : std::to_string(h.n);
    const std::string accuracy = h.kind == "guard" ? "" : fmt::format("{:.1f}%", 100 * h.baseline_accuracy);
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", cell(h.id), h.kind, joined(h.slice_tags), n, accuracy,
                       expected, joined(h.streams));
  }
  out += fmt::format(
      "\nTargets: one-sided paired tests at alpha {}, power {} for the minimum effect; the guard is a "
      "non-inferiority test with margin {:.1f} points.\n\n",
      plan.options.alpha, plan.options.power, 100 * plan.options.guard_margin);
}

void control_arm(std::string& out, const MixturePlan& plan) {
  if (!plan.control) return;
  const PlanControl& c = *plan.control;
  out += "## Control arm\n\n";
  out += fmt::format(
      "{} tokens with {} proportions and no target streams (`caploop sample --arm control`); train a "
      "model as long on it and verify with `--control`.\n\n",
      c.budget_tokens, c.mixture == "natural" ? "the corpus's own" : "the mixture file " + cell(c.mixture) + "'s");
  out += "| stream | available tokens | quota tokens | full epochs | epochs | share |\n";
  out += "|---|---:|---:|---:|---:|---:|\n";
  for (const PlanStream& s : c.streams)
    out += fmt::format("| {} | {} | {} | {} | {:.3f} | {} |\n", cell(s.name), s.available_tokens, s.quota_tokens,
                       s.full_epochs, s.epochs, percent(s.share));
  out += "\n| id | kind | expectation |\n|---|---|---|\n";
  for (const PlanHypothesis& e : c.expectations)
    out += fmt::format("| {} | {} | {} |\n", cell(e.id), e.kind, cell(e.description));
  out += "\n";
}

}  // namespace

std::string plan_markdown(const MixturePlan& plan) {
  std::string out;
  header(out, plan);
  chain(out, plan);
  streams(out, plan);
  hypotheses(out, plan);
  control_arm(out, plan);
  out += "## Notes\n\n";
  if (plan.notes.empty()) out += "None.\n";
  for (const std::string& note : plan.notes) out += fmt::format("- {}\n", note);
  return out;
}

}  // namespace caploop
