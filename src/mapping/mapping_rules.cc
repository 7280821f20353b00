#include "mapping/mapping_rules.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "core/error.h"
#include "core/fnv1a.h"
#include "corpus/data_taxonomy.h"
#include "io/toml_file.h"
#include "mapping/builtin_mapping_rules.h"
#include "taxonomy/eval_taxonomy.h"

namespace caploop {

namespace {

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Lower-case words of [a-z0-9_] separated by single `separator` characters; at most `max_parts` words.
bool is_segmented_name(std::string_view s, char separator, size_t max_parts) {
  if (s.empty() || s.front() == separator || s.back() == separator) return false;
  size_t parts = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == separator) {
      if (s[i - 1] == separator) return false;
      ++parts;
    } else if (!is_name_char(s[i])) {
      return false;
    }
  }
  return parts <= max_parts;
}

// "axis=dotted.value" with lower-case names.
bool is_eval_tag(std::string_view tag) {
  size_t eq = tag.find('=');
  if (eq == std::string_view::npos) return false;
  return is_segmented_name(tag.substr(0, eq), '\0', 1) && is_segmented_name(tag.substr(eq + 1), '.', 64);
}

// "axis.tag": exactly one dot.
bool is_data_tag(std::string_view tag) {
  return is_segmented_name(tag, '.', 2) && tag.find('.') != std::string_view::npos;
}

std::string_view data_axis_of(std::string_view tag) { return tag.substr(0, tag.find('.')); }

MappingRule read_rule(const toml::table& table, size_t index, const std::string& file,
                      std::set<std::string>& seen_ids) {
  MappingRule rule;
  rule.line = line_of(table);
  const std::string number = "rule #" + std::to_string(index + 1);
  const toml::node* id_node = table.get("id");
  if (!id_node) fail_at(file, table, "id", number + " has no 'id'");
  rule.id = LabelledNodeReader(file, number).string_of(*id_node, "id");
  if (rule.id.empty()) fail_at(file, *id_node, "id", number + ": 'id' is empty");
  if (!seen_ids.insert(rule.id).second) fail_at(file, *id_node, "id", "duplicate rule id '" + rule.id + "'");
  LabelledNodeReader r(file, "rule '" + rule.id + "'");

  const toml::node* target_node = nullptr;
  const toml::node* weight_node = nullptr;
  bool has_when = false, has_reason = false;
  for (auto&& [key_name, node] : table) {
    const std::string key(key_name.str());
    if (key == "id") {
      continue;
    } else if (key == "when") {
      rule.when = r.string_of(node, key);
      if (!is_eval_tag(rule.when)) {
        r.fail(node, key, "'" + rule.when + "' is not an evaluation tag \"axis=value\" (e.g. \"operation=counting\")");
      }
      has_when = true;
    } else if (key == "target") {
      target_node = &node;
      const toml::array* array = node.as_array();
      if (!array) {
        r.fail(node, key, "'target' must be a list of one or two data tags, not a " + std::string(type_name_of(node)));
      }
      if (array->empty() || array->size() > 2) r.fail(node, key, "'target' must list one or two data tags");
      for (const toml::node& element : *array) {
        std::string tag = r.string_of(element, key);
        if (!is_data_tag(tag)) {
          r.fail(element, key, "'" + tag + "' is not a data tag \"axis.tag\" (e.g. \"capability.math\")");
        }
        for (const std::string& earlier : rule.target) {
          if (data_axis_of(earlier) == data_axis_of(tag)) {
            r.fail(element, key,
                   "'" + earlier + "' and '" + tag + "' are on the same data axis '" + std::string(data_axis_of(tag)) +
                       "': the two tags of a target must come from different axes");
          }
        }
        rule.target.push_back(std::move(tag));
      }
    } else if (key == "weight") {
      weight_node = &node;
      if (node.is_integer()) {
        rule.weight = static_cast<double>(node.as_integer()->get());
      } else if (node.is_floating_point()) {
        rule.weight = node.as_floating_point()->get();
      } else {
        r.fail(node, key, "'weight' must be a number, not a " + std::string(type_name_of(node)));
      }
      if (!std::isfinite(rule.weight) || rule.weight <= 0) r.fail(node, key, "'weight' must be a number above 0");
    } else if (key == "no_data") {
      if (!node.is_boolean())
        r.fail(node, key, "'no_data' must be true or false, not a " + std::string(type_name_of(node)));
      rule.no_data = node.as_boolean()->get();
    } else if (key == "reason") {
      rule.reason = r.string_of(node, key);
      if (rule.reason.find_first_not_of(" \t\n") == std::string::npos) r.fail(node, key, "'reason' is empty");
      has_reason = true;
    } else {
      r.fail(node, key, "unknown key '" + key + "' (expected id, when, target, weight, no_data, reason)");
    }
  }
  if (!has_when) r.fail(table, "when", "missing 'when' (the evaluation tag the rule applies to)");
  if (!has_reason) r.fail(table, "reason", "missing 'reason' (one sentence saying why the rule holds)");
  if (rule.no_data) {
    if (target_node) r.fail(*target_node, "target", "a rule with no_data = true takes no 'target'");
    if (weight_node) r.fail(*weight_node, "weight", "a rule with no_data = true takes no 'weight'");
  } else if (!target_node) {
    r.fail(table, "target", "missing 'target' (data tags), or no_data = true when the weakness is not a data problem");
  }
  return rule;
}

void read_header(const toml::node& node, const std::string& file, MappingRules& out) {
  const toml::table* table = node.as_table();
  if (!table) fail_at(file, node, "mapping", "'mapping' must be a table with name and version");
  for (auto&& [key_name, value] : *table) {
    const std::string key = "mapping." + std::string(key_name.str());
    if (key_name.str() == "name") {
      if (!value.is_string()) fail_at(file, value, key, "'name' must be a string");
      out.name = value.as_string()->get();
    } else if (key_name.str() == "version") {
      if (!value.is_integer()) fail_at(file, value, key, "'version' must be an integer");
      out.version = value.as_integer()->get();
    } else {
      fail_at(file, value, key, "unknown key '" + std::string(key_name.str()) + "' (expected name, version)");
    }
  }
  if (out.name.empty()) fail_at(file, node, "mapping.name", "[mapping] needs a non-empty 'name'");
}

}  // namespace

MappingRules parse_mapping_rules(const std::string& toml_text, const std::string& source_name) {
  toml::table root = parse_toml_or_throw(toml_text, source_name);
  MappingRules out;
  out.source = source_name;
  out.fingerprint = fmt::format("{:016x}", fnv1a64(toml_text));
  for (auto&& [key, node] : root) {
    if (key.str() != "mapping" && key.str() != "rules") {
      fail_at(source_name, node, std::string(key.str()),
              "unknown top-level key '" + std::string(key.str()) + "' (expected [mapping] and [[rules]] tables)");
    }
  }
  const toml::node* header = root.get("mapping");
  if (!header) throw Error(ErrorKind::kInput, "missing [mapping] table (name, version)", {source_name, 1, "mapping"});
  read_header(*header, source_name, out);
  if (const toml::node* rules = root.get("rules")) {
    const toml::array* array = rules->as_array();
    if (!array || !array->is_array_of_tables()) {
      fail_at(source_name, *rules, "rules", "'rules' must be an array of tables, written [[rules]]");
    }
    std::set<std::string> seen_ids;
    for (size_t i = 0; i < array->size(); ++i) {
      out.rules.push_back(read_rule(*array->get(i)->as_table(), i, source_name, seen_ids));
    }
  }
  return out;
}

MappingRules load_mapping_rules(const std::string& path) { return parse_mapping_rules(read_text_file(path), path); }

MappingRules builtin_mapping_rules() {
  return parse_mapping_rules(std::string(builtin_mapping_rules_toml()), std::string(kBuiltinMappingRulesName));
}

void validate_against(const MappingRules& rules, const EvalTaxonomy& eval_taxonomy,
                      const corpus::DataTaxonomy& data_taxonomy) {
  for (const MappingRule& rule : rules.rules) {
    const size_t eq = rule.when.find('=');
    const std::string axis_name = rule.when.substr(0, eq);
    const std::string value = rule.when.substr(eq + 1);
    std::optional<Axis> axis = axis_from_name(axis_name);
    if (!axis) {
      throw Error(ErrorKind::kInput,
                  fmt::format("rule '{}': '{}' is not an axis of the evaluation taxonomy (background, task, "
                              "operation, output)",
                              rule.id, axis_name),
                  {rules.source, rule.line, "when"});
    }
    if (!eval_taxonomy.contains(*axis, value)) {
      throw Error(ErrorKind::kInput,
                  fmt::format("rule '{}': '{}' is not a value of axis '{}' in evaluation taxonomy {}", rule.id, value,
                              axis_name, eval_taxonomy.source_name()),
                  {rules.source, rule.line, "when"});
    }
    for (const std::string& tag : rule.target) {
      if (!data_taxonomy.find_tag(tag)) {
        throw Error(ErrorKind::kInput,
                    fmt::format("rule '{}': data tag '{}' is not in data taxonomy {} (axis or tag not declared)",
                                rule.id, tag, data_taxonomy.source),
                    {rules.source, rule.line, "target"});
      }
    }
  }
}

}  // namespace caploop
