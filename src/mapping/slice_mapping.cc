#include "mapping/slice_mapping.h"

#include <algorithm>
#include <set>

#include "taxonomy/eval_taxonomy.h"

namespace caploop {

namespace {

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

SliceMapping map_weak_slices(const MappingRules& rules, const std::vector<WeakSlice>& slices) {
  SliceMapping out;
  std::set<std::string> categories;
  for (const WeakSlice& slice : slices) {
    SliceMappingRow row;
    row.slice = &slice;
    // rule index -> the first slice tag (tags, then equivalent sets) it fired for; at most once per slice.
    std::vector<std::pair<size_t, std::string>> fired;
    auto fire_for = [&](const std::vector<std::string>& tags) {
      for (const std::string& tag : tags) {
        for (size_t index : rules_for_tag(rules, tag)) {
          bool seen = std::any_of(fired.begin(), fired.end(), [&](const auto& f) { return f.first == index; });
          if (!seen) fired.emplace_back(index, tag);
        }
      }
    };
    fire_for(slice.tags);
    for (const std::vector<std::string>& tags : slice.equivalent) fire_for(tags);
    std::sort(fired.begin(), fired.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    bool any_target = false;
    for (const auto& [index, tag] : fired) {
      const MappingRule& rule = rules.rules[index];
      FiredRule f;
      f.rule_id = rule.id;
      f.matched_tag = tag;
      f.weight = rule.weight;
      if (!rule.no_data && !rule.target.empty()) {
        f.category = category_name(rule.target);
        categories.insert(f.category);
        any_target = true;
      }
      row.fired.push_back(std::move(f));
    }
    row.status = any_target ? "mapped" : (row.fired.empty() ? "unmapped" : "not_data");
    out.rows.push_back(std::move(row));
  }
  out.categories.assign(categories.begin(), categories.end());
  return out;
}

}  // namespace caploop
