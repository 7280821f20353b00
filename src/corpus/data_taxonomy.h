// DataTaxonomy: the categories a pre-training document can be tagged with, and the taggers that assign them,
// as loaded from a TOML file (data/taxonomy/data_taxonomy.toml; format in docs/corpus.md).
//
// Contract: load_data_taxonomy() and parse_data_taxonomy() validate the whole file up front (unknown keys,
// wrong types, undeclared tags, bad regexes, `requires` that cannot be satisfied) and throw caploop::Error
// (kInput) naming the file, the line and the key; a DataTaxonomy that was returned is consistent. It is an
// immutable value once built, safe to share between threads. Tags are named "<axis>.<tag>" in the file and
// "<axis>__<tag>" in outputs (Dolma attribute names).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caploop::corpus {

struct Axis {
  std::string name;
  bool exclusive = false;          // at most one tag per document
  std::optional<int> default_tag;  // index into tags, given to documents no tagger put on this axis
  std::vector<std::string> tags;   // short names, e.g. "literature"
};

// A tag as an (axis, tag) pair of indices into DataTaxonomy::axes.
struct TagRef {
  int axis = -1;
  int tag = -1;
  bool operator==(const TagRef&) const = default;
  auto operator<=>(const TagRef&) const = default;
};

// Keyword / regex rule: fires when matches per 1000 words (x weight) reach min_per_1000_words. Each match
// counts 1, or its keyword's weight when the rule gives keyword_weights.
struct RuleTagger {
  TagRef tag;
  int pattern_group = -1;  // index into DataTaxonomy::pattern_groups
  double weight = 1.0;
  double min_per_1000_words = 0.0;
  std::optional<double> max_per_1000_words;  // fires only below this density
  int64_t min_matches = 1;
  std::optional<TagRef> requires_tag;
  int64_t line = 0;  // where it was declared, for messages
};

// The literal keywords and regexes of one or more rules (rules sharing patterns share one group).
struct PatternGroup {
  std::vector<std::string> keywords;    // lower-cased; trailing '*' = any word ending
  std::vector<double> keyword_weights;  // parallel to keywords (1 unless the rule's keyword_weights says)
  std::vector<std::string> regexes;     // PCRE2 syntax, multi-line mode
};

enum class CompareOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual };

struct MetricCondition {
  int metric = -1;  // index into text_metric_names()
  CompareOp op = CompareOp::kLess;
  double value = 0.0;
};

// Heuristic tagger: fires when every condition of `all` holds and, if `any` is non-empty, one of `any` holds.
struct HeuristicTagger {
  TagRef tag;
  std::vector<MetricCondition> all;
  std::vector<MetricCondition> any;
};

// Metadata tagger: fires when a document field (dotted path into the JSON object) or the input path ("path")
// contains one of `contains` (case-insensitive) or equals one of `equals`.
struct MetadataTagger {
  TagRef tag;
  std::string field;
  std::vector<std::string> contains;  // lower-cased
  std::vector<std::string> equals;
};

// fastText classifier tagger: the model's top labels with probability >= min_score map to tags.
struct FastTextTagger {
  std::string name;
  std::filesystem::path model;           // resolved against the taxonomy file's folder
  std::map<std::string, TagRef> labels;  // "__label__x" -> tag
  double min_score = 0.5;
  int top_k = 1;
};

struct DataTaxonomy {
  std::string name;
  int64_t version = 0;
  std::string source;       // file the taxonomy came from ("<built-in>" for the embedded copy)
  std::string fingerprint;  // hex hash of the file's text; outputs record it so resumes detect a changed taxonomy
  std::vector<Axis> axes;
  std::vector<PatternGroup> pattern_groups;
  std::vector<RuleTagger> rules;
  std::vector<HeuristicTagger> heuristics;
  std::vector<MetadataTagger> metadata;
  std::vector<FastTextTagger> fasttext;

  // "topic__literature" for a tag, as written in attribute files and statistics.
  std::string attribute_name(TagRef t) const;
  // Looks up "axis.tag"; nullopt when either part is not declared.
  std::optional<TagRef> find_tag(const std::string& dotted) const;
};

// Parses TOML text; `source_name` is used in error messages and `base_dir` resolves relative model paths.
DataTaxonomy parse_data_taxonomy(const std::string& toml_text, const std::string& source_name,
                                 const std::filesystem::path& base_dir = {});
DataTaxonomy load_data_taxonomy(const std::filesystem::path& path);
// The taxonomy compiled into the binary (same text as data/taxonomy/data_taxonomy.toml).
DataTaxonomy builtin_data_taxonomy();

}  // namespace caploop::corpus
