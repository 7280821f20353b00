// PatternScanner: counts, in one pass per document, the matches of every rule's patterns in a taxonomy:
// all literal keywords through one KeywordAutomaton (whole words by table lookup, the rest through Hyperscan),
// and the regexes with PCRE2.
//
// Regex semantics: the regexes form two alternations, one of those anchored at a line start ('^') and one of the
// others; each alternation is matched like one PCRE2 alternation scanned over the text: at the leftmost position
// where any of its regexes matches, the first regex in declaration order that matches there wins, and the scan
// goes on after that match, so a stretch matched by one regex is not matched again by another of the same
// alternation (multi-line UTF mode, tolerating invalid UTF-8). This is computed with a few JIT-compiled PCRE2
// programs per alternation, each keeping a fast start-of-match search: the anchored regexes as one program (it
// tries them at line starts only), the floating ones as one program per first byte ('=', '$', ...), and each
// other floating regex alone (one program of all of them starts a match attempt at almost every byte; one that
// starts with a class of a few bytes, `[;{}]\s*$`, runs as one regex per byte so each has a first byte); regexes
// whose meaning could change inside a larger pattern (back references, inline options, verbs) also run alone.
// Each program's branches are capture groups, so the highest group set names the regex that matched. Programs
// run through PCRE2's JIT fast path; a program whose first byte is not in the document is not run; a program's
// next match is searched again only once the scan has passed its start. (A Hyperscan prefilter saying which
// regexes can match a document at all was measured slower than running them: on the benchmark corpus and on
// web text alike, most documents match some regex.)
//
// Contract: built from the taxonomy's pattern groups; scan() writes, per group, the number of matches into
// `counts` and the sum of the matches' weights (keyword weights, 1 for others) into `weighted` (both resized to
// group_count()). Build errors (a regex PCRE2 rejects) throw caploop::Error kInput. Immutable after construction
// and thread-safe; each thread passes its own ScanScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/keyword_automaton.h"
#include "corpus/sequence_regex.h"

namespace caploop::corpus {

class ScanScratch {
 public:
  ScanScratch();
  ~ScanScratch();
  ScanScratch(const ScanScratch&) = delete;
  ScanScratch& operator=(const ScanScratch&) = delete;
  // PCRE2 match data with room for at least `pairs` offset pairs, (re)allocated when smaller.
  void* match_data(uint32_t pairs);
  void* match_data() const { return match_data_; }

  KeywordScratch keywords;
  ByteClassScan bytes;                        // for scan() given only the text
  const ByteClassScan* text_bytes = nullptr;  // the classes of the text being scanned
  struct Pending {
    size_t program;     // index into the scanner's programs
    size_t regex;       // the regex that matched (declaration index)
    size_t start, end;  // the program's leftmost match at or after the scan position; start = npos when none
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
  // True when the regexes anchored at line starts run by line-start dispatch (see above).
  bool dispatches_line_regexes() const { return !line_regexes_.empty(); }
  // How many programs run at digit runs (see Program::digit_run_code).
  // How many programs match with SequenceRegex instead of PCRE2 (see Program::sequences).
  size_t sequence_programs() const {
    size_t n = 0;
    for (const Program& p : programs_) n += !p.sequences.empty();
    return n;
  }
  size_t digit_run_programs() const {
    size_t n = 0;
    for (const Program& p : programs_) n += p.digit_run_code != nullptr;
    return n;
  }
  void scan(std::string_view text, ScanScratch& scratch, std::vector<uint32_t>& counts,
            std::vector<double>& weighted) const;
  // The same, for a text already classified by a ByteClassScan (shared with the text metrics).
  void scan(const ByteClassScan& text, ScanScratch& scratch, std::vector<uint32_t>& counts,
            std::vector<double>& weighted) const;

 private:
  // One PCRE2 program: a single regex, or several regexes of one alternation as the branches of one pattern,
  // each branch wrapped in a capture group so the highest group set tells which regex matched.
  struct Program {
    void* code = nullptr;                 // pcre2_code_8*
    bool jit = false;                     // JIT-compiled: matched through PCRE2's fast path
    int first_unit = -1;                  // the byte every match starts with (exact, not caseless), or -1
    std::vector<size_t> regexes;          // member regexes, in declaration order
    std::vector<uint32_t> first_capture;  // capture group of each member's branch; empty for a single regex
    // A regex that starts with a possessive digit run (`\d++`, optionally then `\s*+`) and has only digits in its
    // start bitmap can only match at the start of a digit run (or at the search start inside one), and only
    // where the byte after the run (and the white space after it) can start the rest: those candidates are
    // found from the byte-class scan's digit and space masks and each tried with the regex compiled anchored.
    void* digit_run_code = nullptr;  // pcre2_code_8*, anchored and JIT-compiled, or null
    bool skip_space_after_run = false;
    uint64_t after_run_bytes[4] = {~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}};
    // When every member is a SequenceRegex and the program has a first byte or runs at digit runs: the members
    // (declaration order), tried at each candidate position instead of a PCRE2 call.
    std::vector<SequenceRegex> sequences;
  };
  static void* compile(const std::string& source, const std::string& shown, const std::string& taxonomy_source);
  void build_programs(const std::vector<std::string>& sources, const std::string& taxonomy_source);
  void add_program(const std::vector<std::string>& sources, const std::vector<size_t>& members,
                   const std::string& taxonomy_source, std::vector<size_t>& alternation);
  void free_programs();
  void add_digit_run_code(Program& program, const std::string& source);
  // The leftmost match of a program with sequences and a first byte at or after `from`.
  ScanScratch::Pending find_by_sequences(size_t p, std::string_view text, size_t from) const;
  // The leftmost match of a program with a digit_run_code at or after `from` (see Program).
  ScanScratch::Pending find_at_digit_runs(size_t p, std::string_view text, size_t from, ScanScratch& scratch) const;
  void match_alternation(const std::vector<size_t>& alternation, std::string_view text, ScanScratch& scratch,
                         std::vector<uint32_t>& counts, std::vector<double>& weighted) const;
  // The leftmost match of program p starting at or after `from`; start = npos when none.
  ScanScratch::Pending find(size_t p, std::string_view text, size_t from, ScanScratch& scratch) const;

  size_t group_count_ = 0;
  KeywordAutomaton keywords_;
  std::vector<std::vector<uint32_t>> regex_groups_;  // per regex (declaration order): the groups it counts for
  std::vector<Program> programs_;
  std::vector<size_t> anchored_;  // programs of the regexes starting with '^'
  // The line-start dispatch of the regexes starting with '^' (see above); empty when they run as programs.
  struct LineRegex {
    void* code = nullptr;  // pcre2_code_8*, compiled anchored and JIT-compiled
    size_t regex = 0;      // declaration index
    // The regex after its '^' when SequenceRegex takes it: matched at the line start instead of by PCRE2.
    std::optional<SequenceRegex> sequence;
  };
  std::vector<LineRegex> line_regexes_;
  std::vector<uint16_t> line_dispatch_;      // per first byte, the line regexes (indices) that may start with it
  uint32_t line_dispatch_offset_[257] = {};  // byte c's list is line_dispatch_[offset[c], offset[c + 1])
  bool build_line_dispatch(const std::vector<std::string>& sources);
  void match_line_starts(const ByteClassScan& bytes, ScanScratch& scratch, std::vector<uint32_t>& counts,
                         std::vector<double>& weighted) const;
  std::vector<size_t> floating_;  // programs of the others
  uint32_t ovector_pairs_ = 1;    // offset pairs the largest program needs
};

}  // namespace caploop::corpus
