// PatternScanner: counts, in one pass per document, the matches of every rule's patterns in a taxonomy:
// all literal keywords through one Aho-Corasick automaton, all regexes through one PCRE2 alternation (JIT).
//
// Contract: built from the taxonomy's pattern groups; scan() writes one count per group (keyword occurrences
// plus regex matches) into `counts` (resized to group_count()). Regexes are one alternation, tried in
// declaration order at each position (leftmost first), in multi-line UTF mode that tolerates invalid UTF-8;
// a stretch of text matched by one regex is not matched again by another. Build errors (a regex PCRE2 rejects)
// throw caploop::Error kInput. Immutable after construction and thread-safe; each thread passes its own
// ScanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/keyword_automaton.h"

namespace caploop::corpus {

class ScanScratch {
 public:
  ScanScratch();
  ~ScanScratch();
  ScanScratch(const ScanScratch&) = delete;
  ScanScratch& operator=(const ScanScratch&) = delete;
  void* match_data() const { return match_data_; }

 private:
  void* match_data_ = nullptr;  // pcre2_match_data_8*
};

class PatternScanner {
 public:
  explicit PatternScanner(const DataTaxonomy& taxonomy);
  ~PatternScanner();
  PatternScanner(const PatternScanner&) = delete;
  PatternScanner& operator=(const PatternScanner&) = delete;

  size_t group_count() const { return group_count_; }
  void scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts) const;

 private:
  size_t group_count_ = 0;
  KeywordAutomaton keywords_;
  void* regex_ = nullptr;                             // pcre2_code_8*, null when there are no regexes
  std::vector<std::vector<uint32_t>> regex_groups_;   // alternative index -> groups
};

}  // namespace caploop::corpus
