// PatternScanner: counts, in one pass per document, the matches of every rule's patterns in a taxonomy:
// all literal keywords through one Aho-Corasick automaton, all regexes through PCRE2 alternations (JIT): one
// for the regexes anchored at a line start ('^'), tried only where lines begin, and one for the others.
//
// Contract: built from the taxonomy's pattern groups; scan() writes one count per group (keyword occurrences
// plus regex matches) into `counts` (resized to group_count()). Within an alternation regexes are tried in
// declaration order at each position (leftmost first), in multi-line UTF mode that tolerates invalid UTF-8;
// a stretch of text matched by one regex is not matched again by another of the same alternation. Build errors (a regex PCRE2 rejects)
// throw caploop::Error kInput. Immutable after construction and thread-safe; each thread passes its own
// ScanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
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
  static void* compile_alternation(const std::vector<std::string>& regexes, const std::vector<size_t>& which,
                                   const std::string& source);
  void match_all(void* code, std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts) const;

  KeywordAutomaton keywords_;
  void* anchored_ = nullptr;  // pcre2_code_8* of the regexes starting with '^', or null
  void* floating_ = nullptr;  // pcre2_code_8* of the others, or null
  std::vector<std::vector<uint32_t>> regex_groups_;   // alternative index -> groups
};

}  // namespace caploop::corpus
