// PatternScanner: counts, in one pass per document, the matches of every rule's patterns in a taxonomy:
// all literal keywords through one Hyperscan literal database (KeywordAutomaton), and the regexes with PCRE2.
//
// Regex semantics: the regexes form two alternations, one of those anchored at a line start ('^') and one of the
// others; each alternation is matched like one PCRE2 alternation scanned over the text: at the leftmost position
// where any of its regexes matches, the first regex in declaration order that matches there wins, and the scan
// goes on after that match, so a stretch matched by one regex is not matched again by another of the same
// alternation (multi-line UTF mode, tolerating invalid UTF-8). This is computed with one JIT-compiled PCRE2
// program per regex, each keeping its own fast start-of-match search (one combined alternation starts a match
// attempt at almost every byte); each regex's next match is searched again only once the scan has passed its
// start. (A Hyperscan prefilter saying which regexes can match a document at all was measured slower than
// running them: on the benchmark corpus and on web text alike, most documents match some regex.)
//
// Contract: built from the taxonomy's pattern groups; scan() writes, per group, the number of matches into
// `counts` and the sum of the matches' weights (keyword weights, 1 for others) into `weighted` (both resized to
// group_count()). Build errors (a regex PCRE2 rejects) throw caploop::Error kInput. Immutable after construction
// and thread-safe; each thread passes its own ScanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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

  KeywordScratch keywords;
  struct Pending {
    size_t regex;
    size_t start, end;  // its leftmost match at or after the scan position; start = npos when none
  };
  std::vector<Pending> pending;

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
  void scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts,
            std::vector<double>& weighted) const;

 private:
  struct Regex {
    void* code = nullptr;  // pcre2_code_8*
    std::vector<uint32_t> groups;
  };
  void match_alternation(const std::vector<size_t>& alternation, std::string_view text, ScanScratch& scratch,
                         std::vector<uint32_t>& counts, std::vector<double>& weighted) const;
  // The leftmost match of regex r starting at or after `from`: {start, end}, start = npos when none.
  std::pair<size_t, size_t> find(size_t r, std::string_view text, size_t from, ScanScratch& scratch) const;

  size_t group_count_ = 0;
  KeywordAutomaton keywords_;
  std::vector<Regex> regexes_;
  std::vector<size_t> anchored_;  // indices of regexes starting with '^', in declaration order
  std::vector<size_t> floating_;  // the others
};

}  // namespace caploop::corpus
