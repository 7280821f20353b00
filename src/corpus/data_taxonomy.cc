#include "corpus/data_taxonomy.h"

#include "core/fnv1a.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <fmt/format.h>
#include <pcre2.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "corpus/builtin_taxonomy.h"
#include "corpus/text_metrics.h"
#include "io/line_reader.h"
#include "io/toml_file.h"
#include "io/toml_table_reader.h"

namespace caploop::corpus {

std::string DataTaxonomy::attribute_name(TagRef t) const { return axes[t.axis].name + "__" + axes[t.axis].tags[t.tag]; }

std::optional<TagRef> DataTaxonomy::find_tag(const std::string& dotted) const {
  size_t dot = dotted.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string axis = dotted.substr(0, dot), tag = dotted.substr(dot + 1);
  for (size_t a = 0; a < axes.size(); ++a) {
    if (axes[a].name != axis) continue;
    for (size_t t = 0; t < axes[a].tags.size(); ++t)
      if (axes[a].tags[t] == tag) return TagRef{static_cast<int>(a), static_cast<int>(t)};
  }
  return std::nullopt;
}

namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

std::string fingerprint_of(const std::string& text) { return fmt::format("{:016x}", fnv1a64(text)); }

std::vector<const toml::table*> array_of_tables(const toml::table& root, const std::string& key,
                                                const std::string& file) {
  std::vector<const toml::table*> out;
  const toml::node* n = root.get(key);
  if (!n) return out;
  const toml::array* arr = n->as_array();
  if (!arr) fail_at(file, *n, key, "must be an array of tables ([[" + key + "]])");
  for (const auto& e : *arr) {
    const toml::table* t = e.as_table();
    if (!t) fail_at(file, e, key, "must be an array of tables ([[" + key + "]])");
    out.push_back(t);
  }
  return out;
}

std::string check_regex(const std::string& pattern) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_MULTILINE | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
  if (re) {
    pcre2_code_free(re);
    return {};
  }
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(code, buf, sizeof buf);
  return fmt::format("{} at offset {}", reinterpret_cast<const char*>(buf), offset);
}

std::vector<MetricCondition> read_conditions(const TomlTableReader& r, const std::string& key) {
  std::vector<MetricCondition> out;
  const toml::array* arr = r.array(key);
  if (!arr) return out;
  for (const auto& e : *arr) {
    const toml::array* c = e.as_array();
    std::string where = "each condition must be [\"metric\", \"<|<=|>|>=|==\", number]";
    if (!c || c->size() != 3) r.fail(key, where);
    auto metric = (*c)[0].value_exact<std::string>();
    auto op = (*c)[1].value_exact<std::string>();
    auto value = (*c)[2].value<double>();
    if (!metric || !op || !value || !((*c)[2].is_number())) r.fail(key, where);
    MetricCondition cond;
    auto m = find_text_metric(*metric);
    if (!m) r.fail(key, fmt::format("unknown metric '{}' (known: {})", *metric, fmt::join(text_metric_names(), ", ")));
    cond.metric = *m;
    if (*op == "<")
      cond.op = CompareOp::kLess;
    else if (*op == "<=")
      cond.op = CompareOp::kLessEqual;
    else if (*op == ">")
      cond.op = CompareOp::kGreater;
    else if (*op == ">=")
      cond.op = CompareOp::kGreaterEqual;
    else if (*op == "==")
      cond.op = CompareOp::kEqual;
    else
      r.fail(key, fmt::format("unknown comparison '{}'", *op));
    cond.value = *value;
    out.push_back(cond);
  }
  return out;
}

}  // namespace

DataTaxonomy parse_data_taxonomy(const std::string& toml_text, const std::string& source_name,
                                 const std::filesystem::path& base_dir) {
  const toml::table root = parse_toml_or_throw(toml_text, source_name, "");
  const std::string& file = source_name;
  DataTaxonomy tax;
  tax.source = source_name;
  tax.fingerprint = fingerprint_of(toml_text);

  TomlTableReader top(file, root, "");
  top.allow_only({"taxonomy", "axes", "rules", "heuristics", "metadata", "fasttext"});
  const toml::table* header = root["taxonomy"].as_table();
  if (!header) throw_input_error("missing [taxonomy] table with name and version", {file, 0, "taxonomy"});
  TomlTableReader h(file, *header, "taxonomy");
  h.allow_only({"name", "version", "description"});
  tax.name = h.required_string("name");
  tax.version = h.integer("version").value_or(0);

  // Axes.
  int axis_index = 0;
  for (const toml::table* t : array_of_tables(root, "axes", file)) {
    TomlTableReader r(file, *t, fmt::format("axes[{}]", axis_index++));
    r.allow_only({"name", "exclusive", "default", "tags", "description"});
    Axis axis;
    axis.name = r.required_string("name");
    axis.exclusive = r.boolean("exclusive").value_or(false);
    axis.tags = r.strings("tags").value_or(std::vector<std::string>{});
    if (axis.tags.empty()) r.fail("tags", "an axis needs at least one tag");
    std::set<std::string> seen;
    for (const auto& tag : axis.tags) {
      if (tag.empty() || tag.find_first_of(". \t") != std::string::npos)
        r.fail("tags", fmt::format("tag '{}' must be non-empty without dots or spaces", tag));
      if (!seen.insert(tag).second) r.fail("tags", fmt::format("tag '{}' is listed twice", tag));
    }
    if (auto d = r.string("default")) {
      auto it = std::find(axis.tags.begin(), axis.tags.end(), *d);
      if (it == axis.tags.end()) r.fail("default", fmt::format("default '{}' is not one of the axis's tags", *d));
      if (!axis.exclusive) r.fail("default", "only an exclusive axis can have a default tag");
      axis.default_tag = static_cast<int>(it - axis.tags.begin());
    }
    for (const auto& other : tax.axes)
      if (other.name == axis.name) r.fail("name", fmt::format("axis '{}' is declared twice", axis.name));
    tax.axes.push_back(std::move(axis));
  }
  if (tax.axes.empty()) throw_input_error("no [[axes]] declared", {file, 0, "axes"});

  auto resolve = [&](const TomlTableReader& r, const std::string& key, const std::string& dotted) {
    auto ref = tax.find_tag(dotted);
    if (!ref) r.fail(key, fmt::format("'{}' is not a declared tag (write <axis>.<tag>)", dotted));
    return *ref;
  };

  // Rules, in two passes so that same_patterns_as can refer to any rule.
  std::vector<const toml::table*> rule_tables = array_of_tables(root, "rules", file);
  std::map<std::string, int> group_of_tag;
  for (size_t i = 0; i < rule_tables.size(); ++i) {
    TomlTableReader r(file, *rule_tables[i], fmt::format("rules[{}]", i));
    r.allow_only({"tag", "keywords", "keyword_weights", "regexes", "weight", "min_per_1000_words", "max_per_1000_words",
                  "min_matches", "requires", "same_patterns_as", "description"});
    if (r.has("same_patterns_as")) {
      if (r.has("keywords") || r.has("regexes") || r.has("keyword_weights"))
        r.fail("same_patterns_as", "a rule with same_patterns_as cannot also list keywords or regexes");
      continue;
    }
    PatternGroup g;
    for (auto& k : r.strings("keywords").value_or(std::vector<std::string>{})) {
      if (k.empty() || k == "*") r.fail("keywords", "empty keyword");
      g.keywords.push_back(lower_ascii(k));
    }
    g.keyword_weights.assign(g.keywords.size(), 1.0);
    if (r.has("keyword_weights")) {
      const toml::table* weights = (*rule_tables[i])["keyword_weights"].as_table();
      if (!weights) r.fail("keyword_weights", "must be a table mapping keywords to positive numbers");
      for (const auto& [k, v] : *weights) {
        std::string key = lower_ascii(std::string(k.str()));
        auto it = std::find(g.keywords.begin(), g.keywords.end(), key);
        if (it == g.keywords.end())
          r.fail("keyword_weights", fmt::format("'{}' is not one of the rule's keywords", k.str()));
        std::optional<double> w = v.is_number() ? v.value<double>() : std::nullopt;
        if (!w || *w <= 0)
          r.fail("keyword_weights", fmt::format("the weight of '{}' must be a positive number", k.str()));
        g.keyword_weights[it - g.keywords.begin()] = *w;
      }
    }
    g.regexes = r.strings("regexes").value_or(std::vector<std::string>{});
    for (const auto& re : g.regexes) {
      std::string err = check_regex(re);
      if (!err.empty()) r.fail("regexes", fmt::format("bad regular expression '{}': {}", re, err));
    }
    if (g.keywords.empty() && g.regexes.empty()) r.fail("", "a rule needs keywords, regexes or same_patterns_as");
    std::string tag = r.required_string("tag");
    group_of_tag[tag] = static_cast<int>(tax.pattern_groups.size());
    tax.pattern_groups.push_back(std::move(g));
  }
  std::set<TagRef> seen_rule_tags;
  for (size_t i = 0; i < rule_tables.size(); ++i) {
    TomlTableReader r(file, *rule_tables[i], fmt::format("rules[{}]", i));
    RuleTagger rule;
    std::string tag = r.required_string("tag");
    rule.tag = resolve(r, "tag", tag);
    if (!seen_rule_tags.insert(rule.tag).second) r.fail("tag", fmt::format("a rule for '{}' already exists", tag));
    if (auto same = r.string("same_patterns_as")) {
      auto it = group_of_tag.find(*same);
      if (it == group_of_tag.end())
        r.fail("same_patterns_as", fmt::format("no rule with its own patterns has tag '{}'", *same));
      rule.pattern_group = it->second;
    } else {
      rule.pattern_group = group_of_tag.at(tag);
    }
    rule.weight = r.number("weight").value_or(1.0);
    rule.min_per_1000_words = r.number("min_per_1000_words").value_or(0.0);
    if (r.has("max_per_1000_words")) rule.max_per_1000_words = r.number("max_per_1000_words").value_or(0.0);
    rule.min_matches = r.integer("min_matches").value_or(1);
    if (rule.weight <= 0) r.fail("weight", "must be positive");
    if (rule.min_matches < 1) r.fail("min_matches", "must be at least 1");
    if (auto req = r.string("requires")) {
      TagRef q = resolve(r, "requires", *req);
      if (q.axis > rule.tag.axis) r.fail("requires", fmt::format("'{}' is on a later axis; it must come first", *req));
      if (q.axis == rule.tag.axis && tax.axes[q.axis].exclusive)
        r.fail("requires", "a rule cannot require a tag of its own exclusive axis");
      rule.requires_tag = q;
    }
    rule.line = r.line();
    tax.rules.push_back(rule);
  }

  int index = 0;
  for (const toml::table* t : array_of_tables(root, "heuristics", file)) {
    TomlTableReader r(file, *t, fmt::format("heuristics[{}]", index++));
    r.allow_only({"tag", "all", "any", "description"});
    HeuristicTagger hz;
    hz.tag = resolve(r, "tag", r.required_string("tag"));
    hz.all = read_conditions(r, "all");
    hz.any = read_conditions(r, "any");
    if (hz.all.empty() && hz.any.empty()) r.fail("", "a heuristic needs conditions in 'all' or 'any'");
    tax.heuristics.push_back(std::move(hz));
  }

  index = 0;
  for (const toml::table* t : array_of_tables(root, "metadata", file)) {
    TomlTableReader r(file, *t, fmt::format("metadata[{}]", index++));
    r.allow_only({"tag", "field", "contains", "equals", "description"});
    MetadataTagger m;
    m.tag = resolve(r, "tag", r.required_string("tag"));
    m.field = r.required_string("field");
    if (m.field.empty()) r.fail("field", "must name a document field or \"path\"");
    for (auto& s : r.strings("contains").value_or(std::vector<std::string>{})) m.contains.push_back(lower_ascii(s));
    m.equals = r.strings("equals").value_or(std::vector<std::string>{});
    if (m.contains.empty() && m.equals.empty()) r.fail("", "a metadata tagger needs 'contains' or 'equals'");
    tax.metadata.push_back(std::move(m));
  }

  index = 0;
  for (const toml::table* t : array_of_tables(root, "fasttext", file)) {
    TomlTableReader r(file, *t, fmt::format("fasttext[{}]", index++));
    r.allow_only({"name", "model", "labels", "min_score", "top_k", "description"});
    FastTextTagger f;
    f.name = r.required_string("name");
    std::filesystem::path model = r.required_string("model");
    f.model = model.is_relative() && !base_dir.empty() ? base_dir / model : model;
    f.min_score = r.number("min_score").value_or(0.5);
    f.top_k = static_cast<int>(r.integer("top_k").value_or(1));
    if (f.top_k < 1) r.fail("top_k", "must be at least 1");
    const toml::table* labels = (*t)["labels"].as_table();
    if (!labels) r.fail("labels", "must be a table mapping fastText labels to tags");
    for (const auto& [k, v] : *labels) {
      auto s = v.value_exact<std::string>();
      if (!s) r.fail("labels", fmt::format("label '{}' must map to a tag string", k.str()));
      f.labels[std::string(k.str())] = resolve(r, "labels", *s);
    }
    tax.fasttext.push_back(std::move(f));
  }
  return tax;
}

DataTaxonomy load_data_taxonomy(const std::filesystem::path& path) {
  std::string text = read_whole_file(path, size_t{64} << 20);
  return parse_data_taxonomy(text, path.string(), path.parent_path());
}

DataTaxonomy builtin_data_taxonomy() {
  return parse_data_taxonomy(std::string(builtin_data_taxonomy_toml()), "<built-in data taxonomy>");
}

}  // namespace caploop::corpus
