// CorpusStats: what a tagging run counted (documents, bytes and estimated tokens, overall and per tag, and
// documents per pair of tags from different axes), in a form that merges exactly across shards and runs.
//
// Contract: every figure is an integer count, so merge() is exact, associative and commutative: merging the
// statistics of any division of a corpus into shards gives the same result, and to_json() prints keys in
// sorted order, so equal statistics print byte-identical JSON. Tags are keyed by attribute name
// ("topic__literature"); pairs of tags from different axes by "a|b" (in the taxonomy's tag order), with the
// same three counts as a tag, so a conjunction of two tags has exact token counts. Tokens are estimated as ceil(bytes /
// 4) per document (about 4 bytes of English text per BPE token) unless a tokenizer counted them; `tokenizer` records
// which (see corpus/token_counter.h), and merge() throws caploop::Error (kConflict) for statistics counted by different
// tokenizers, since their token counts do not add up. parse_corpus_stats() throws caploop::Error (kInput) naming the
// file and field when the JSON is not a statistics file. A CorpusStats is a plain value; not thread-safe to mutate
// concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace caploop::corpus {

struct TagCounts {
  uint64_t docs = 0;
  uint64_t bytes = 0;
  uint64_t tokens = 0;
  void add(const TagCounts& o) {
    docs += o.docs;
    bytes += o.bytes;
    tokens += o.tokens;
  }
  bool operator==(const TagCounts&) const = default;
};

struct CorpusStats {
  std::string taxonomy;   // "<name>@<fingerprint>"; merged statistics of different taxonomies keep the first
  std::string tokenizer;  // what counted tokens: "estimate:bytes/4" or "sentencepiece:<file>@<hash>"; "" = none yet
  uint64_t shards = 0;    // number of shard statistics merged in
  uint64_t lines = 0;     // input lines read
  uint64_t skipped = 0;   // malformed lines skipped (--on-error skip)
  TagCounts total;
  std::map<std::string, TagCounts> tags;
  std::map<std::string, TagCounts> cooccurrence;
  std::vector<std::string> inputs;  // input files counted (as mirrored under the output folder), sorted
  std::vector<std::string> errors;  // "file:line: reason" for skipped lines (at most 100 per input), sorted

  void merge(const CorpusStats& other);
  std::string to_json() const;  // pretty-printed, sorted, ends with "\n"
  bool operator==(const CorpusStats&) const = default;
};

// Estimated tokens of a text of `bytes` UTF-8 bytes.
inline uint64_t estimate_tokens(uint64_t bytes) { return (bytes + 3) / 4; }

CorpusStats parse_corpus_stats(const std::string& json, const std::string& file);

// Finds every "*.stats.json" file under each directory (recursively) or named directly, sorted, and merges
// them. Throws kNotFound when a directory does not exist, kConflict when files come from different taxonomies.
CorpusStats merge_stats_files(const std::vector<std::string>& dirs_or_files, std::vector<std::string>* files_read);

}  // namespace caploop::corpus
