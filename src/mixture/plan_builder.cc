#include "mixture/plan_builder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "mapping/slice_mapping.h"
#include "mixture/plan_hypotheses.h"
#include "mixture/quota_allocation.h"
#include "mixture/stream_availability.h"

namespace caploop {

namespace {

[[noreturn]] void bad_option(const std::string& option, const std::string& message) {
  throw Error(ErrorKind::kUsage, fmt::format("{}: {}", option, message));
}

// A diagnosis that does not rule the data in, or nothing weak at all, is not something to plan for.
void check_there_is_something_to_plan(const WeakSliceList& w) {
  if (w.source.kind == "diagnosis" && w.source.verdict != Verdict::kDataRuledIn) {
    const std::string cause = w.source.cause ? fmt::format(" (cause {})", cause_name(*w.source.cause)) : "";
    const std::string_view verdict = w.source.verdict ? verdict_name(*w.source.verdict) : "";
    throw Error(ErrorKind::kConflict,
                fmt::format("diagnosis verdict is {}{}: the data is not the problem; no plan", verdict, cause),
                {w.source.file, 0, "verdict"});
  }
  if (w.slices.empty())
    throw Error(ErrorKind::kConflict,
                w.source.kind == "diagnosis"
                    ? "the diagnosis rules the data in but lists no slice that lost accuracy; nothing to plan"
                    : "the weakness list is empty; nothing to plan",
                {w.source.file, 0, w.source.kind == "diagnosis" ? "slices" : "weaknesses"});
}

std::string slice_label(const WeakSlice& s) { return fmt::format("{} [{}]", s.id, fmt::join(s.tags, ", ")); }

std::vector<std::string> fired_rule_ids(const SliceMappingRow& row) {
  std::vector<std::string> ids;
  for (const FiredRule& f : row.fired) ids.push_back(f.rule_id);
  return ids;
}

// "S2 [output=option_letter]: ..." for each slice that maps to no data.
std::vector<std::string> gap_descriptions(const SliceMapping& mapping) {
  std::vector<std::string> out;
  for (const SliceMappingRow& row : mapping.rows) {
    if (row.status == SliceStatus::kNotData)
      out.push_back(fmt::format("{} is not a data problem (rule {}); no data is planned for it",
                                slice_label(*row.slice), fmt::join(fired_rule_ids(row), ", ")));
    else if (row.status == SliceStatus::kUnmapped)
      out.push_back(fmt::format("{} matches no mapping rule (a gap in the rules); no data is planned for it",
                                slice_label(*row.slice)));
  }
  return out;
}

// Which path matched, for each slice mapped other than through its own tags: "S1 [output=integer] maps
// through its operations: rule r (operation=counting.object_counting, 62% of the deficit); ...".
std::vector<std::string> path_notes(const SliceMapping& mapping) {
  std::vector<std::string> out;
  for (const SliceMappingRow& row : mapping.rows) {
    std::vector<std::string> via_parts, via_equivalent;
    for (const FiredRule& f : row.fired) {
      if (f.path == "operations")
        via_parts.push_back(
            fmt::format("rule {} ({}, {:.0f}% of the deficit)", f.rule_id, f.matched_tag, 100 * f.share));
      if (f.path == "equivalent") via_equivalent.push_back(fmt::format("rule {} ({})", f.rule_id, f.matched_tag));
    }
    if (!via_parts.empty())
      out.push_back(fmt::format("{} maps through its operations{}: {}", slice_label(*row.slice),
                                row.slice->split ? " (a union of parts with different accuracies)" : "",
                                fmt::join(via_parts, "; ")));
    if (!via_equivalent.empty())
      out.push_back(fmt::format("{} maps through an equivalent tag set: {}", slice_label(*row.slice),
                                fmt::join(via_equivalent, "; ")));
  }
  return out;
}

const MappingRule& rule_by_id(const MappingRules& rules, const std::string& id) {
  for (const MappingRule& r : rules.rules)
    if (r.id == id) return r;
  throw Error(ErrorKind::kInternal, fmt::format("fired rule '{}' is not in {}", id, rules.source));
}

// Every target tag of a fired rule must be declared by the taxonomy and carried by some document.
// Every target tag must be declared by the data taxonomy (an inconsistent request: an error). Categories the
// corpus has no documents for are dropped from the mapping with a note each (the slice keeps its other
// categories; a slice left with none becomes "no_documents"); when nothing is left to draw, that is an error.
std::vector<std::string> drop_empty_categories(const MappingRules& rules, SliceMapping& mapping,
                                               const corpus::CorpusStats& stats, const corpus::DataTaxonomy* taxonomy,
                                               const std::string& weakness_file) {
  std::vector<std::string> notes;
  std::set<std::string> empty;
  for (const SliceMappingRow& row : mapping.rows) {
    for (const FiredRule& fired : row.fired) {
      if (fired.category.empty()) continue;
      const MappingRule& rule = rule_by_id(rules, fired.rule_id);
      const SourceLocation at{rules.source, rule.line, "target"};
      for (const std::string& tag : rule.target)
        if (taxonomy && !taxonomy->find_tag(tag))
          throw_input_error(fmt::format("mapping rule '{}' targets data tag '{}', which the data taxonomy {} does not "
                                        "declare (the statistics were tagged with {})",
                                        rule.id, tag, taxonomy->name, stats.taxonomy),
                            at);
      if (stream_counts(stats, category_tags(fired.category)).tokens == 0 && empty.insert(fired.category).second)
        notes.push_back(
            fmt::format("no document of the corpus carries {} (rule '{}', fired by slice {}): that "
                        "category is dropped from the plan",
                        fmt::join(rule.target, " and "), rule.id, row.slice->id));
    }
  }
  if (empty.empty()) return notes;
  for (SliceMappingRow& row : mapping.rows) {
    const bool had_data = row.status == SliceStatus::kMapped;
    std::erase_if(row.fired, [&](const FiredRule& f) { return empty.count(f.category) > 0; });
    if (had_data &&
        std::none_of(row.fired.begin(), row.fired.end(), [](const FiredRule& f) { return !f.category.empty(); }))
      row.status = SliceStatus::kNoDocuments;
  }
  std::erase_if(mapping.categories, [&](const std::string& c) { return empty.count(c) > 0; });
  if (mapping.categories.empty())
    throw Error(ErrorKind::kConflict,
                fmt::format("the weak slices map only to categories the corpus has no documents for, so there is "
                            "nothing to sample: {}",
                            fmt::join(notes, "; ")),
                {weakness_file, 0, ""});
  return notes;
}

// The base streams' tags: an exclusive axis with a default tag gives every document exactly one.
std::vector<std::string> base_axis_tags(const std::string& axis, const corpus::CorpusStats& stats,
                                        const corpus::DataTaxonomy* taxonomy) {
  if (taxonomy) {
    auto it = std::find_if(taxonomy->axes.begin(), taxonomy->axes.end(), [&](const auto& a) { return a.name == axis; });
    if (it == taxonomy->axes.end()) {
      std::vector<std::string> names;
      for (const auto& a : taxonomy->axes) names.push_back(a.name);
      bad_option("--base-axis", fmt::format("the data taxonomy {} has no axis '{}' (axes: {})", taxonomy->name, axis,
                                            fmt::join(names, ", ")));
    }
    if (!it->exclusive || !it->default_tag)
      bad_option("--base-axis", fmt::format("axis '{}' is not exclusive with a default tag, so it does not give every "
                                            "document exactly one tag (use e.g. source)",
                                            axis));
  }
  std::vector<std::string> tags = axis_tags(stats, axis);
  uint64_t covered = 0;
  for (const std::string& t : tags) covered += stats.tags.at(t).tokens;
  if (tags.empty() || covered != stats.total.tokens)
    bad_option("--base-axis", fmt::format("the tags of axis '{}' cover {} of the corpus's {} tokens; the base axis "
                                          "must give every document exactly one tag (use e.g. source)",
                                          axis, covered, stats.total.tokens));
  return tags;
}

PlanStream stream_of(const std::string& name, StreamKind kind, std::vector<std::string> tags,
                     const corpus::CorpusStats& stats) {
  PlanStream s;
  s.name = name;
  s.kind = kind;
  const corpus::TagCounts counts = stream_counts(stats, tags);
  s.tags = std::move(tags);
  s.available_tokens = static_cast<int64_t>(counts.tokens);
  s.available_docs = static_cast<int64_t>(counts.docs);
  return s;
}

std::vector<PlanSlice> plan_slices(const SliceMapping& mapping) {
  std::vector<PlanSlice> out;
  for (const SliceMappingRow& row : mapping.rows) {
    const WeakSlice& w = *row.slice;
    PlanSlice s;
    s.id = w.id;
    s.tags = w.tags;
    s.n = w.n;
    s.severity = w.severity;
    s.baseline_accuracy = w.baseline_accuracy;
    s.q_value = w.q_value;
    s.status = row.status;
    s.rules = fired_rule_ids(row);
    s.items = w.items;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<PlanShard> plan_shards(const CorpusShards& corpus, const std::vector<PlanStream>& streams) {
  std::vector<PlanShard> out;
  for (const ShardStatistics& shard : corpus.shards) {
    PlanShard p;
    p.path = shard.path;
    p.stats_file = shard.stats_file;
    p.checksum = shard.checksum;
    p.lines = static_cast<int64_t>(shard.stats.lines);
    p.docs = static_cast<int64_t>(shard.stats.total.docs);
    p.tokens = static_cast<int64_t>(shard.stats.total.tokens);
    for (const PlanStream& s : streams)
      if (uint64_t tokens = stream_counts(shard.stats, s.tags).tokens; tokens > 0)
        p.stream_tokens[s.name] = static_cast<int64_t>(tokens);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

void validate_plan_options(const PlanOptions& o) {
  if (o.budget_tokens <= 0)
    bad_option("--budget-tokens", fmt::format("must be a positive number of tokens, not {}", o.budget_tokens));
  if (!(o.max_epochs > 0) || !std::isfinite(o.max_epochs))
    bad_option("--max-epochs", fmt::format("must be positive, not {}", o.max_epochs));
  if (!(o.max_category_share > 0 && o.max_category_share <= 1))
    bad_option("--max-category-share", fmt::format("must be in (0, 1], not {}", o.max_category_share));
  if (!(o.min_base_share >= 0 && o.min_base_share <= 1))
    bad_option("--min-base-share", fmt::format("must be in [0, 1], not {}", o.min_base_share));
  if (o.base_axis.empty()) bad_option("--base-axis", "must name a data axis");
  if (!(o.alpha > 0 && o.alpha < 1)) bad_option("alpha", fmt::format("must be in (0, 1), not {}", o.alpha));
  if (!(o.power >= 0.5 && o.power < 1)) bad_option("power", fmt::format("must be in [0.5, 1), not {}", o.power));
  if (!(o.plausible_gain > 0 && o.plausible_gain <= 1))
    bad_option("plausible gain", fmt::format("must be in (0, 1], not {}", o.plausible_gain));
  if (!(o.guard_margin >= 0 && o.guard_margin < 1))
    bad_option("guard margin", fmt::format("must be in [0, 1), not {}", o.guard_margin));
}

// Fewer documents than this in a stream's remainder draw earn a note on precision.
constexpr double kFewDocuments = 100.0;

MixturePlan build_plan(const WeakSliceList& weaknesses, const MappingRules& rules, const CorpusShards& corpus,
                       const corpus::DataTaxonomy* data_taxonomy, const PlanOptions& options) {
  validate_plan_options(options);
  check_there_is_something_to_plan(weaknesses);
  SliceMapping mapping = map_weak_slices(rules, weaknesses.slices);
  const std::vector<std::string> gaps = gap_descriptions(mapping);
  if (mapping.categories.empty())
    throw Error(ErrorKind::kConflict,
                fmt::format("no weak slice maps to data, so there is nothing to sample: {}", fmt::join(gaps, "; ")),
                {weaknesses.source.file, 0, ""});
  const corpus::CorpusStats& stats = corpus.merged;
  if (data_taxonomy && data_taxonomy->name + "@" + data_taxonomy->fingerprint != stats.taxonomy)
    throw Error(ErrorKind::kConflict,
                fmt::format("the statistics were tagged with taxonomy {}, not {}@{}", stats.taxonomy,
                            data_taxonomy->name, data_taxonomy->fingerprint),
                {corpus.stats_dirs.empty() ? "" : corpus.stats_dirs.front(), 0, "taxonomy"});
  const std::vector<std::string> dropped =
      drop_empty_categories(rules, mapping, stats, data_taxonomy, weaknesses.source.file);
  const std::vector<std::string> base_tags = base_axis_tags(options.base_axis, stats, data_taxonomy);

  MixturePlan plan;
  plan.weakness_file = weaknesses.source.file;
  plan.weakness_kind = weaknesses.source.kind;
  plan.weakness_checksum = weaknesses.source.checksum;
  plan.verdict = weaknesses.source.verdict;
  plan.baseline = weaknesses.source.baseline;
  plan.candidate = weaknesses.source.candidate;
  plan.mapping_name = rules.name;
  plan.mapping_source = rules.source;
  plan.mapping_fingerprint = rules.fingerprint;
  plan.options = options;
  plan.corpus.stats_dirs = corpus.stats_dirs;
  plan.corpus.taxonomy = stats.taxonomy;
  plan.corpus.tokenizer = stats.tokenizer;
  plan.corpus.docs = static_cast<int64_t>(stats.total.docs);
  plan.corpus.tokens = static_cast<int64_t>(stats.total.tokens);
  plan.slices = plan_slices(mapping);

  for (const std::string& tag : base_tags)
    plan.streams.push_back(stream_of("base:" + tag, StreamKind::kBase, {tag}, stats));
  const size_t first_target = plan.streams.size();
  for (const std::string& category : mapping.categories) {
    PlanStream s = stream_of("target:" + category, StreamKind::kTarget, category_tags(category), stats);
    for (const SliceMappingRow& row : mapping.rows) {
      for (const FiredRule& f : row.fired) {
        if (f.category != category) continue;
        const double demand = f.weight * f.share * static_cast<double>(row.slice->n) * row.slice->severity;
        s.links.push_back({row.slice->id, f.rule_id, f.matched_tag, f.weight, demand});
        s.demand += demand;
      }
    }
    plan.streams.push_back(std::move(s));
  }

  AllocationLimits limits{options.budget_tokens, plan.corpus.tokens, options.max_epochs, options.max_category_share,
                          options.min_base_share};
  std::vector<TargetDemand> demands;
  for (size_t i = first_target; i < plan.streams.size(); ++i)
    demands.push_back({plan.streams[i].demand, plan.streams[i].available_tokens});
  std::vector<int64_t> base_available;
  for (size_t i = 0; i < first_target; ++i) base_available.push_back(plan.streams[i].available_tokens);
  const Allocation allocation = allocate_quotas(limits, demands, base_available);

  plan.base_tokens = allocation.base_tokens;
  plan.target_tokens = allocation.target_tokens;
  const double base_rate = static_cast<double>(plan.base_tokens) / static_cast<double>(plan.corpus.tokens);
  for (size_t i = 0; i < plan.streams.size(); ++i) {
    PlanStream& s = plan.streams[i];
    const bool target = i >= first_target;
    if (target) {
      s.quota_tokens = allocation.targets[i - first_target].quota_tokens;
      s.capped_by = allocation.targets[i - first_target].capped_by;
    } else {
      s.quota_tokens = allocation.base[i];
    }
    s.full_epochs = s.quota_tokens / s.available_tokens;
    s.remainder_tokens = s.quota_tokens - s.full_epochs * s.available_tokens;
    s.epochs =
        static_cast<double>(s.quota_tokens) / static_cast<double>(s.available_tokens) + (target ? base_rate : 0.0);
    s.share = static_cast<double>(s.quota_tokens) / static_cast<double>(options.budget_tokens);
  }
  plan.corpus.shards = plan_shards(corpus, plan.streams);
  plan.hypotheses = plan_hypotheses(plan.slices, plan.streams, options);

  plan.notes = gaps;
  for (std::string& note : path_notes(mapping)) plan.notes.push_back(std::move(note));
  plan.notes.insert(plan.notes.end(), dropped.begin(), dropped.end());
  if (allocation.target_tokens < allocation.target_budget)
    plan.notes.push_back(
        fmt::format("the target streams absorb {} of the {} tokens set aside for them (caps: "
                    "max_epochs {}, max_category_share {}); the other {} tokens go to the base mixture",
                    allocation.target_tokens, allocation.target_budget, options.max_epochs, options.max_category_share,
                    allocation.target_budget - allocation.target_tokens));
  for (size_t i = first_target; i < plan.streams.size(); ++i) {
    const PlanStream& s = plan.streams[i];
    if (s.demand <= 0)
      plan.notes.push_back(fmt::format("{} has no demand (its slices lost no accuracy): quota 0", s.name));
    else if (s.capped_by == QuotaCap::kMaxEpochs)
      plan.notes.push_back(
          fmt::format("{} is capped by max_epochs: {} tokens drawn from {} available = {:.2f} epochs "
                      "of its documents, counting their base draws",
                      s.name, s.quota_tokens, s.available_tokens, s.epochs));
    else if (s.capped_by == QuotaCap::kMaxCategoryShare)
      plan.notes.push_back(fmt::format("{} is capped by max_category_share: {} tokens = {:.1f}% of the budget", s.name,
                                       s.quota_tokens, 100 * s.share));
  }
  // Whole documents are drawn: a stream whose remainder is only a few documents cannot land near its quota.
  for (const PlanStream& s : plan.streams) {
    if (s.remainder_tokens <= 0 || s.available_docs <= 0) continue;
    const double mean_doc = static_cast<double>(s.available_tokens) / static_cast<double>(s.available_docs);
    const double docs = static_cast<double>(s.remainder_tokens) / mean_doc;
    if (docs < kFewDocuments)
      plan.notes.push_back(
          fmt::format("{}: its remainder of {} tokens is about {:.0f} documents of {:.0f} tokens on "
                      "average; whole documents are drawn, so expect the sample to miss it by up to "
                      "half a document per shard",
                      s.name, s.remainder_tokens, docs, mean_doc));
  }
  for (std::string& note : detectability_notes(plan.hypotheses, options)) plan.notes.push_back(std::move(note));
  return plan;
}

MixturePlan make_plan(const PlanRequest& request) {
  validate_plan_options(request.options);
  if (request.weakness_file.empty()) throw Error(ErrorKind::kUsage, "give a diagnosis or weakness list (--diagnosis)");
  if (request.stats_dirs.empty()) throw Error(ErrorKind::kUsage, "--stats: give the corpus tag output folder(s)");
  const WeakSliceList weaknesses = read_weak_slices(request.weakness_file);
  check_there_is_something_to_plan(weaknesses);
  const MappingRules rules =
      request.mapping_file.empty() ? builtin_mapping_rules() : load_mapping_rules(request.mapping_file);
  const CorpusShards corpus = read_corpus_shards(request.stats_dirs);
  if (!request.taxonomy_file.empty()) {
    const corpus::DataTaxonomy taxonomy = corpus::load_data_taxonomy(request.taxonomy_file);
    return build_plan(weaknesses, rules, corpus, &taxonomy, request.options);
  }
  const corpus::DataTaxonomy builtin = corpus::builtin_data_taxonomy();
  const bool matches = builtin.name + "@" + builtin.fingerprint == corpus.merged.taxonomy;
  return build_plan(weaknesses, rules, corpus, matches ? &builtin : nullptr, request.options);
}

}  // namespace caploop
