// TagRuleSet: declarative tagging rules, compiled once, that assign taxonomy values and plain dimensions to items.
//
// A rule (one `[[rule]]` table, see docs/taxonomy.md) has conditions, all of which must hold: `benchmark` and
// `task` (a glob or a list of globs), `metadata.<field>` (exact text or a list of alternatives), `text` and
// `reference` (PCRE2 patterns searched in the item text and reference answer), `if_dims.<name>` (a plain
// dimension set by an earlier rule has one of the given values), `unless_tagged.<axis>` (the item has no
// value at or below the listed ones from earlier rules) and `only_if_untagged` (a list of axes on which earlier
// rules gave the item no value at all). A rule that holds adds its
// `tags.<axis>` values and sets its `dims.<name>` dimensions. Rules run in file order, so a later rule can act
// as the default for items that earlier, finer rules did not reach.
//
// Loading validates every key, type, pattern and taxonomy value and throws caploop::Error kInput naming the
// file, the line and the key. The set holds a reference to its taxonomy, which must outlive it. apply() is
// const and thread-safe; it throws kInput only for an item whose metadata is not a JSON object or whose text
// makes PCRE2 fail (e.g. hit its match limit), naming the item and the rule.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taxonomy/eval_taxonomy.h"
#include "taxonomy/glob_pattern.h"
#include "taxonomy/regex_pattern.h"
#include "taxonomy/taggable_item.h"

namespace caploop {

struct TagRule {
  std::string id;
  std::string description;
  int64_t line = 0;
  std::vector<GlobPattern> benchmark;                                      // empty: any benchmark
  std::vector<GlobPattern> task;                                           // empty: any task
  std::vector<std::pair<std::string, std::vector<std::string>>> metadata;  // field -> accepted texts
  std::unique_ptr<RegexPattern> text;
  std::unique_ptr<RegexPattern> reference;
  std::vector<std::pair<std::string, std::vector<std::string>>> if_dims;  // dimension -> accepted values
  std::array<std::vector<std::string>, 4> unless_tagged;                  // per axis
  std::array<bool, 4> only_if_untagged{};                                 // per axis
  std::array<std::vector<std::string>, 4> tags;                           // per axis
  std::vector<std::pair<std::string, std::string>> dims;
};

class TagRuleSet {
 public:
  static TagRuleSet parse(std::string_view toml_text, const std::string& file_name, const EvalTaxonomy& taxonomy);
  static TagRuleSet load(const std::filesystem::path& path, const EvalTaxonomy& taxonomy);
  // The rules that ship with caploop, over EvalTaxonomy::builtin().
  static const TagRuleSet& builtin();

  TagRuleSet(TagRuleSet&&) = default;
  TagRuleSet& operator=(TagRuleSet&&) = default;

  // Tags one item: dims `benchmark` and `task` from the item, then every rule in order.
  ItemTags apply(const TaggableItem& item) const;

  const std::vector<TagRule>& rules() const { return rules_; }
  const EvalTaxonomy& taxonomy() const { return *taxonomy_; }
  const std::string& source_name() const { return source_name_; }

 private:
  explicit TagRuleSet(const EvalTaxonomy& taxonomy) : taxonomy_(&taxonomy) {}
  const EvalTaxonomy* taxonomy_;
  std::vector<TagRule> rules_;
  std::string source_name_;
};

}  // namespace caploop
