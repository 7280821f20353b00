#include "mixture/control_arm.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/fnv1a.h"
#include "io/toml_file.h"
#include "mixture/largest_remainder.h"
#include "mixture/quota_allocation.h"

namespace caploop {
namespace {

constexpr double kShareScale = 1e9;

std::vector<const PlanStream*> base_streams(const MixturePlan& plan) {
  std::vector<const PlanStream*> out;
  for (const PlanStream& s : plan.streams)
    if (s.kind == StreamKind::kBase) out.push_back(&s);
  return out;
}

std::string points(double v) { return fmt::format("{:.1f}", 100.0 * v); }

std::vector<PlanHypothesis> expectations_of(const MixturePlan& plan) {
  std::vector<PlanHypothesis> out;
  for (const PlanHypothesis& h : plan.hypotheses) {
    PlanHypothesis e = h;
    e.streams.clear();
    if (h.kind == "target") {
      e.kind = "bounded";
      e.id = "C" + (h.id.size() > 1 && h.id[0] == 'H' ? h.id.substr(1) : h.id);
      e.description = std::isfinite(h.min_effect)
                          ? fmt::format(
                                "under the control mixture, {} ({}) gains less than {}'s {} points: extra training "
                                "alone does not explain the planned gain",
                                fmt::join(h.slice_tags, ", "), h.metric, h.id, points(h.min_effect))
                          : fmt::format("under the control mixture, {} ({}): no gain is detectable on these items",
                                        fmt::join(h.slice_tags, ", "), h.metric);
    } else {
      e.id = "C" + (h.id.size() > 1 && h.id[0] == 'H' ? h.id.substr(1) : h.id);
      e.description = fmt::format("under the control mixture too, every other item loses at most {} accuracy points",
                                  points(h.margin));
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

BaseMixture read_base_mixture(const std::string& path, const MixturePlan& plan) {
  const std::string text = read_text_file(path);
  const toml::table table = parse_toml_or_throw(text, path);
  BaseMixture m;
  m.file = path;
  m.checksum = fmt::format("{:016x}", fnv1a64(text));
  std::vector<std::string> tags;
  for (const PlanStream* s : base_streams(plan)) tags.push_back(s->name.substr(s->name.find(':') + 1));
  double sum = 0.0;
  for (const auto& [key, node] : table) {
    const std::string tag(key.str());
    if (std::find(tags.begin(), tags.end(), tag) == tags.end())
      fail_at(path, node, tag,
              fmt::format("'{}' is not a tag of the plan's base axis '{}' (tags: {})", tag, plan.options.base_axis,
                          fmt::join(tags, ", ")));
    const std::optional<double> share = node.value<double>();
    if (!share || !(*share >= 0.0) || !std::isfinite(*share))
      fail_at(path, node, tag, "must be a number >= 0 (the tag's share of the budget)");
    m.shares["base:" + tag] = *share;
    sum += *share;
  }
  if (std::fabs(sum - 1.0) > 1e-6)
    throw Error(ErrorKind::kInput, fmt::format("the shares add up to {}, not 1", sum), SourceLocation{path, 0, ""});
  return m;
}

PlanControl plan_control_arm(const MixturePlan& plan, const BaseMixture* mixture) {
  PlanControl c;
  c.budget_tokens = plan.options.budget_tokens;
  if (mixture) {
    c.mixture = mixture->file;
    c.mixture_checksum = mixture->checksum;
  }
  const std::vector<const PlanStream*> bases = base_streams(plan);
  std::vector<int64_t> weights;
  for (const PlanStream* s : bases) {
    if (!mixture) {
      weights.push_back(s->available_tokens);
    } else {
      auto it = mixture->shares.find(s->name);
      weights.push_back(it == mixture->shares.end() ? 0 : static_cast<int64_t>(std::llround(it->second * kShareScale)));
    }
  }
  const std::vector<int64_t> quotas = apportion_largest_remainder(c.budget_tokens, weights);
  for (size_t i = 0; i < bases.size(); ++i) {
    PlanStream s = *bases[i];
    s.quota_tokens = quotas[i];
    s.demand = 0.0;
    s.capped_by = QuotaCap::kNone;
    s.links.clear();
    if (s.quota_tokens > 0 && s.available_tokens <= 0)
      throw Error(
          ErrorKind::kInput,
          fmt::format("the control mixture gives {} tokens to {}, which has no documents", s.quota_tokens, s.name),
          SourceLocation{c.mixture, 0, s.name.substr(s.name.find(':') + 1)});
    s.full_epochs = s.available_tokens > 0 ? s.quota_tokens / s.available_tokens : 0;
    s.remainder_tokens = s.quota_tokens - s.full_epochs * s.available_tokens;
    s.epochs =
        s.available_tokens > 0 ? static_cast<double>(s.quota_tokens) / static_cast<double>(s.available_tokens) : 0.0;
    s.share = static_cast<double>(s.quota_tokens) / static_cast<double>(c.budget_tokens);
    if (s.epochs > plan.options.max_epochs)
      throw Error(ErrorKind::kInput,
                  fmt::format("the control mixture needs {:.2f} epochs of {} ({} tokens from {} available), more "
                              "than max_epochs {}",
                              s.epochs, s.name, s.quota_tokens, s.available_tokens, plan.options.max_epochs),
                  SourceLocation{c.mixture, 0, s.name.substr(s.name.find(':') + 1)});
    c.streams.push_back(std::move(s));
  }
  c.expectations = expectations_of(plan);
  c.notes.push_back(fmt::format(
      "control arm: {} tokens with {} proportions and no target streams; train a model as long on it and verify "
      "the targeted model against it (verify --control) to tell the targeting apart from the extra training",
      c.budget_tokens, mixture ? "the given mixture's" : "the corpus's own"));
  return c;
}

}  // namespace caploop
