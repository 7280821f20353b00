#include "mapping/slice_mapping.h"

#include <algorithm>
#include <ostream>
#include <set>

#include "core/enum_names.h"
#include "taxonomy/eval_taxonomy.h"

namespace caploop {

namespace {

constexpr EnumNames<SliceStatus, 4> kSliceStatuses = {{
    {SliceStatus::kMapped, "mapped"},
    {SliceStatus::kNotData, "not_data"},
    {SliceStatus::kUnmapped, "unmapped"},
    {SliceStatus::kNoDocuments, "no_documents"},
}};

struct EvalTagParts {
  std::string_view axis;
  std::string_view value;
};

EvalTagParts split_eval_tag(std::string_view tag) {
  const size_t eq = tag.find('=');
  if (eq == std::string_view::npos) return {tag, {}};
  return {tag.substr(0, eq), tag.substr(eq + 1)};
}

// Indices of the rules that fire for one slice tag: those whose `when` is the tag or its nearest ancestor.
std::vector<size_t> rules_for_tag(const MappingRules& rules, std::string_view tag) {
  const EvalTagParts parts = split_eval_tag(tag);
  std::vector<size_t> best;
  size_t best_length = 0;
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const EvalTagParts when = split_eval_tag(rules.rules[i].when);
    if (when.axis != parts.axis || when.value.empty() || !value_is_under(parts.value, when.value)) continue;
    if (best.empty() || when.value.size() > best_length) {
      best.assign(1, i);
      best_length = when.value.size();
    } else if (when.value.size() == best_length) {
      best.push_back(i);
    }
  }
  return best;
}

}  // namespace

std::string attribute_name_of(const std::string& dotted_data_tag) {
  const size_t dot = dotted_data_tag.find('.');
  if (dot == std::string::npos) return dotted_data_tag;
  return dotted_data_tag.substr(0, dot) + "__" + dotted_data_tag.substr(dot + 1);
}

std::string category_name(const std::vector<std::string>& dotted_target) {
  std::vector<std::string> names;
  for (const std::string& tag : dotted_target) names.push_back(attribute_name_of(tag));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : "&") + name;
  return out;
}

namespace {

constexpr double kPartLevel = 0.05;  // an operation part maps when it lost accuracy with q at most this

struct Fired {
  size_t rule = 0;
  std::string tag;
  std::string path;
  double share = 1.0;
};

// Fires the rules of each tag; a rule already in `fired` is not fired again.
void fire_for(const MappingRules& rules, const std::vector<std::string>& tags, const std::string& path, double share,
              std::vector<Fired>& fired) {
  for (const std::string& tag : tags) {
    for (size_t index : rules_for_tag(rules, tag)) {
      const bool seen = std::any_of(fired.begin(), fired.end(), [&](const Fired& f) { return f.rule == index; });
      if (!seen) fired.push_back(Fired{index, tag, path, share});
    }
  }
}

bool fires_a_target(const MappingRules& rules, const std::vector<Fired>& fired) {
  return std::any_of(fired.begin(), fired.end(), [&](const Fired& f) {
    return !rules.rules[f.rule].no_data && !rules.rules[f.rule].target.empty();
  });
}

std::vector<Fired> fire_for_slice(const MappingRules& rules, const WeakSlice& slice) {
  std::vector<Fired> fired;
  if (!slice.split) {
    fire_for(rules, slice.tags, "tags", 1.0, fired);
    for (const std::vector<std::string>& tags : slice.equivalent) fire_for(rules, tags, "equivalent", 1.0, fired);
    if (fires_a_target(rules, fired)) return fired;
  }
  std::vector<Fired> through_parts;
  for (const WeakSlicePart& part : slice.operations) {
    if (part.deficit_share > 0.0 && part.q_value <= kPartLevel) {
      // Each part fires a rule once, for its first matching tag, with its whole share.
      std::vector<Fired> own;
      fire_for(rules, part.tags, "operations", part.deficit_share, own);
      for (Fired& f : own) {
        auto it =
            std::find_if(through_parts.begin(), through_parts.end(), [&](const Fired& g) { return g.rule == f.rule; });
        if (it == through_parts.end()) {
          through_parts.push_back(std::move(f));
        } else {
          it->share += f.share;
        }
      }
    }
  }
  if (fires_a_target(rules, through_parts)) {
    // no_data rules the tags fired still say so; the parts carry the data.
    for (Fired& f : fired) {
      if (std::none_of(through_parts.begin(), through_parts.end(), [&](const Fired& g) { return g.rule == f.rule; }) &&
          rules.rules[f.rule].no_data) {
        through_parts.push_back(std::move(f));
      }
    }
    return through_parts;
  }
  return fired.empty() ? through_parts : fired;
}

}  // namespace

std::string_view slice_status_name(SliceStatus status) { return enum_name(kSliceStatuses, status); }
std::optional<SliceStatus> parse_slice_status(std::string_view name) { return parse_enum(kSliceStatuses, name); }
std::ostream& operator<<(std::ostream& out, SliceStatus status) { return out << slice_status_name(status); }

SliceMapping map_weak_slices(const MappingRules& rules, const std::vector<WeakSlice>& slices) {
  SliceMapping out;
  std::set<std::string> categories;
  for (const WeakSlice& slice : slices) {
    SliceMappingRow row;
    row.slice = &slice;
    std::vector<Fired> fired = fire_for_slice(rules, slice);
    std::sort(fired.begin(), fired.end(), [](const Fired& a, const Fired& b) { return a.rule < b.rule; });
    bool any_target = false;
    for (const Fired& x : fired) {
      const MappingRule& rule = rules.rules[x.rule];
      FiredRule f;
      f.rule_id = rule.id;
      f.matched_tag = x.tag;
      f.weight = rule.weight;
      f.path = x.path;
      f.share = std::min(1.0, x.share);
      if (!rule.no_data && !rule.target.empty()) {
        f.category = category_name(rule.target);
        categories.insert(f.category);
        any_target = true;
      }
      row.fired.push_back(std::move(f));
    }
    row.status =
        any_target ? SliceStatus::kMapped : (row.fired.empty() ? SliceStatus::kUnmapped : SliceStatus::kNotData);
    out.rows.push_back(std::move(row));
  }
  out.categories.assign(categories.begin(), categories.end());
  return out;
}

}  // namespace caploop
