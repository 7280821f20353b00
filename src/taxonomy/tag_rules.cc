#include "taxonomy/tag_rules.h"

#include <set>

#include "core/error.h"
#include "io/toml_file.h"
#include "taxonomy/builtin_files.h"
#include "taxonomy/metadata_fields.h"

namespace caploop {

namespace {

// Reads the parts of one [[rule]] table, reporting problems at the offending node.
class RuleReader : public LabelledNodeReader {
 public:
  RuleReader(const std::string& file, const EvalTaxonomy& taxonomy, std::string rule_label)
      : LabelledNodeReader(file, std::move(rule_label)), taxonomy_(taxonomy) {}

  // A string or a non-empty array of strings.
  std::vector<std::string> strings_of(const toml::node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.is_string()) {
      out.push_back(node.as_string()->get());
    } else if (const toml::array* array = node.as_array()) {
      if (array->empty()) fail(node, key, "'" + key + "' is an empty list");
      for (const toml::node& element : *array) out.push_back(string_of(element, key));
    } else {
      fail(node, key, "'" + key + "' must be a string or a list of strings, not a " + std::string(type_name_of(node)));
    }
    return out;
  }

  std::unique_ptr<RegexPattern> pattern_of(const toml::node& node, const std::string& key) const {
    std::string source = string_of(node, key);
    std::string error;
    auto pattern = RegexPattern::compile(source, &error);
    if (!pattern) fail(node, key, "invalid regular expression: " + error);
    return pattern;
  }

  // A table of axis name -> value or list of values, each a value of the taxonomy.
  std::array<std::vector<std::string>, 4> axis_values_of(const toml::node& node, const std::string& key) const {
    const toml::table* table = node.as_table();
    if (!table)
      fail(node, key, "'" + key + "' must be a table of axis = [values], not a " + std::string(type_name_of(node)));
    std::array<std::vector<std::string>, 4> out;
    for (auto&& [axis_key, values] : *table) {
      std::string field = key + "." + std::string(axis_key.str());
      std::optional<Axis> axis = axis_from_name(axis_key.str());
      if (!axis) fail(values, field, "unknown axis '" + std::string(axis_key.str()) + "'");
      std::vector<std::string> list = strings_of(values, field);
      const toml::array* array = values.as_array();
      for (size_t i = 0; i < list.size(); ++i) {
        if (!taxonomy_.contains(*axis, list[i])) {
          const toml::node& at = array ? *array->get(i) : values;
          fail(at, field,
               "'" + list[i] + "' is not a value of axis '" + std::string(axis_key.str()) + "' in taxonomy " +
                   taxonomy_.source_name());
        }
        out[static_cast<size_t>(*axis)].push_back(list[i]);
      }
    }
    return out;
  }

 private:
  const EvalTaxonomy& taxonomy_;
};

TagRule read_rule(const toml::table& table, size_t index, const std::string& file, const EvalTaxonomy& taxonomy,
                  std::set<std::string>& seen_ids) {
  TagRule rule;
  rule.line = line_of(table);
  const toml::node* id_node = table.get("id");
  if (!id_node) fail_at(file, table, "id", "rule #" + std::to_string(index + 1) + " has no 'id'");
  RuleReader reader(file, taxonomy, "rule #" + std::to_string(index + 1));
  rule.id = reader.string_of(*id_node, "id");
  if (rule.id.empty()) reader.fail(*id_node, "id", "'id' is empty");
  if (!seen_ids.insert(rule.id).second) reader.fail(*id_node, "id", "duplicate rule id '" + rule.id + "'");
  RuleReader r(file, taxonomy, "rule '" + rule.id + "'");

  bool has_effect = false;
  for (auto&& [key_name, node] : table) {
    std::string key(key_name.str());
    if (key == "id") {
      continue;
    } else if (key == "description") {
      rule.description = r.string_of(node, key);
    } else if (key == "benchmark" || key == "task") {
      auto& globs = key == "benchmark" ? rule.benchmark : rule.task;
      for (std::string& g : r.strings_of(node, key)) globs.emplace_back(std::move(g));
    } else if (key == "metadata") {
      const toml::table* fields = node.as_table();
      if (!fields) r.fail(node, key, "'metadata' must be a table of field = text or [texts]");
      for (auto&& [field_name, accepted] : *fields) {
        rule.metadata.emplace_back(std::string(field_name.str()),
                                   r.strings_of(accepted, "metadata." + std::string(field_name.str())));
      }
    } else if (key == "text") {
      rule.text = r.pattern_of(node, key);
    } else if (key == "reference") {
      rule.reference = r.pattern_of(node, key);
    } else if (key == "if_dims") {
      const toml::table* dims = node.as_table();
      if (!dims) r.fail(node, key, "'if_dims' must be a table of dimension = value or [values]");
      for (auto&& [dim_name, accepted] : *dims) {
        rule.if_dims.emplace_back(std::string(dim_name.str()),
                                  r.strings_of(accepted, "if_dims." + std::string(dim_name.str())));
      }
    } else if (key == "only_if_untagged") {
      for (const std::string& name : r.strings_of(node, key)) {
        std::optional<Axis> axis = axis_from_name(name);
        if (!axis) r.fail(node, key, "unknown axis '" + name + "'");
        rule.only_if_untagged[static_cast<size_t>(*axis)] = true;
      }
    } else if (key == "unless_tagged") {
      rule.unless_tagged = r.axis_values_of(node, key);
    } else if (key == "tags") {
      rule.tags = r.axis_values_of(node, key);
      for (const auto& values : rule.tags) has_effect = has_effect || !values.empty();
    } else if (key == "dims") {
      const toml::table* dims = node.as_table();
      if (!dims) r.fail(node, key, "'dims' must be a table of name = \"value\"");
      for (auto&& [dim_name, value] : *dims) {
        std::string field = "dims." + std::string(dim_name.str());
        if (dim_name.str() == "benchmark" || dim_name.str() == "task") {
          r.fail(value, field, "dimension '" + std::string(dim_name.str()) + "' comes from the item and cannot be set");
        }
        rule.dims.emplace_back(std::string(dim_name.str()), r.string_of(value, field));
        has_effect = true;
      }
    } else {
      r.fail(node, key,
             "unknown key '" + key +
                 "' (expected id, description, benchmark, task, metadata, text, reference, if_dims, unless_tagged, "
                 "only_if_untagged, tags, dims)");
    }
  }
  if (!has_effect) r.fail(table, "tags", "the rule sets neither tags nor dims");
  return rule;
}

bool any_glob_matches(const std::vector<GlobPattern>& globs, std::string_view name) {
  if (globs.empty()) return true;
  for (const GlobPattern& g : globs) {
    if (g.matches(name)) return true;
  }
  return false;
}

}  // namespace

TagRuleSet TagRuleSet::parse(std::string_view toml_text, const std::string& file_name, const EvalTaxonomy& taxonomy) {
  toml::table root = parse_toml_or_throw(toml_text, file_name);
  TagRuleSet set(taxonomy);
  set.source_name_ = file_name;
  std::set<std::string> seen_ids;
  for (auto&& [key, node] : root) {
    if (key.str() == "version") {
      if (!node.is_integer()) fail_at(file_name, node, "version", "'version' must be an integer");
    } else if (key.str() != "rule") {
      fail_at(file_name, node, std::string(key.str()),
              "unknown top-level key '" + std::string(key.str()) + "' (expected version and [[rule]] tables)");
    }
  }
  const toml::node* rules = root.get("rule");
  if (!rules) return set;
  const toml::array* array = rules->as_array();
  if (!array || !array->is_array_of_tables()) {
    fail_at(file_name, *rules, "rule", "'rule' must be an array of tables, written [[rule]]");
  }
  for (size_t i = 0; i < array->size(); ++i) {
    set.rules_.push_back(read_rule(*array->get(i)->as_table(), i, file_name, taxonomy, seen_ids));
  }
  return set;
}

TagRuleSet TagRuleSet::load(const std::filesystem::path& path, const EvalTaxonomy& taxonomy) {
  return parse(read_text_file(path), path.string(), taxonomy);
}

const TagRuleSet& TagRuleSet::builtin() {
  static const TagRuleSet rules =
      parse(builtin_eval_rules_toml(), std::string(kBuiltinEvalRulesName), EvalTaxonomy::builtin());
  return rules;
}

ItemTags TagRuleSet::apply(const TaggableItem& item) const {
  ItemTags tags;
  tags.dims.emplace("benchmark", item.benchmark);
  tags.dims.emplace("task", item.task);
  MetadataFields metadata;
  bool metadata_parsed = false;
  auto item_location = [&](std::string field) {
    return SourceLocation{item.benchmark + "/" + item.task + "/" + item.source_id, 0, std::move(field)};
  };
  auto pattern_holds = [&](const TagRule& rule, const RegexPattern& pattern, std::string_view subject,
                           const char* field) {
    int rc = pattern.matches(subject);
    if (rc < 0) {
      throw Error(ErrorKind::kInput,
                  "rule '" + rule.id + "' (" + source_name_ + ":" + std::to_string(rule.line) +
                      "): pattern failed: " + RegexPattern::describe_error(rc),
                  item_location(field));
    }
    return rc == 1;
  };

  for (const TagRule& rule : rules_) {
    if (!any_glob_matches(rule.benchmark, item.benchmark) || !any_glob_matches(rule.task, item.task)) continue;
    bool excluded = false;
    for (const auto& [name, accepted] : rule.if_dims) {
      auto it = tags.dims.find(name);
      bool one = false;
      if (it != tags.dims.end()) {
        for (const std::string& a : accepted) one = one || a == it->second;
      }
      excluded = excluded || !one;
    }
    for (Axis axis : kAllAxes) {
      excluded = excluded || (rule.only_if_untagged[static_cast<size_t>(axis)] && !tags.values(axis).empty());
      for (const std::string& value : rule.unless_tagged[static_cast<size_t>(axis)]) {
        excluded = excluded || tags.has_under(axis, value);
      }
    }
    if (excluded) continue;
    if (!rule.metadata.empty()) {
      if (!metadata_parsed) {
        metadata.parse(item.metadata_json, item_location("metadata_json"));
        metadata_parsed = true;
      }
      bool all_match = true;
      for (const auto& [field, accepted] : rule.metadata) {
        const std::string* value = metadata.find(field);
        bool one = false;
        if (value) {
          for (const std::string& a : accepted) one = one || a == *value;
        }
        all_match = all_match && one;
      }
      if (!all_match) continue;
    }
    if (rule.reference && !pattern_holds(rule, *rule.reference, item.reference, "reference")) continue;
    if (rule.text && !pattern_holds(rule, *rule.text, item.text, "text")) continue;
    for (Axis axis : kAllAxes) {
      for (const std::string& value : rule.tags[static_cast<size_t>(axis)]) tags.add(axis, value);
    }
    for (const auto& [name, value] : rule.dims) tags.dims[name] = value;
  }
  return tags;
}

}  // namespace caploop
