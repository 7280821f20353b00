// KeywordAutomaton: counts every occurrence of many literal keywords in one pass over a text, ignoring ASCII
// case, at whole-word boundaries. Keywords that are one whole word of at most 64 letters and digits (optionally
// after a backslash, as LaTeX commands) are looked up per word of the text in a hash table; the others
// (prefixes, phrases, symbols, longer words) are compiled into one Hyperscan literal database, with word boundaries checked on each
// reported occurrence. Both give the same counts; the table costs one lookup per word however often keywords
// occur, where Hyperscan costs a callback per occurrence.
//
// Contract: built once from keywords (lower-case ASCII or UTF-8 bytes); a keyword ending in '*' matches any
// word that starts with it (no boundary check at its end). A keyword whose first (last) byte is an ASCII letter
// or digit only matches where the byte before (after) it is not one. Every keyword occurrence is reported,
// overlapping ones included. count() adds, for each occurrence of keyword k, one to counts[g] and the keyword's
// weight in g to weighted[g] for every g in the groups k was added with. build() throws caploop::Error
// (kInternal) if Hyperscan rejects the literals. Immutable after build(); count() is thread-safe when each
// thread passes its own KeywordScratch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/byte_class_scan.h"

namespace caploop::corpus {

class KeywordAutomaton;

// Per-thread Hyperscan scratch space, (re)allocated for whichever automaton it is used with.
class KeywordScratch {
 public:
  KeywordScratch() = default;
  ~KeywordScratch();
  KeywordScratch(const KeywordScratch&) = delete;
  KeywordScratch& operator=(const KeywordScratch&) = delete;

 private:
  friend class KeywordAutomaton;
  void* scratch_ = nullptr;  // hs_scratch_t*
  ByteClassScan scan_;       // for count() given only the text
  uint64_t owner_ = 0;  // build id of the automaton it was last sized for
};

class KeywordAutomaton {
 public:
  KeywordAutomaton() = default;
  ~KeywordAutomaton();
  KeywordAutomaton(const KeywordAutomaton&) = delete;
  KeywordAutomaton& operator=(const KeywordAutomaton&) = delete;

  // Adds a keyword counted into `group` with `weight`; the same keyword may be added to several groups (a
  // second add to the same group is ignored).
  void add(const std::string& keyword, uint32_t group, double weight = 1.0);
  void build();
  // counts and weighted (if not null) have one slot per group.
  void count(std::string_view text, KeywordScratch& scratch, uint32_t* counts, double* weighted) const;
  // The same, for a text already classified (its word mask gives the runs looked up in the table).
  void count(const ByteClassScan& scan, KeywordScratch& scratch, uint32_t* counts, double* weighted) const;
  // Convenience for one-off use (allocates scratch space).
  void count(std::string_view text, uint32_t* counts) const;
  size_t keyword_count() const { return keywords_.size(); }

 private:
  struct Keyword {
    std::string text;  // without the trailing '*'
    bool prefix = false;
    bool check_start = false;
    bool check_end = false;
    std::vector<uint32_t> groups;
    std::vector<double> weights;  // parallel to groups
  };
  struct Match;
  static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);
  void add_hits(const Keyword& k, uint32_t* counts, double* weighted) const;

  std::vector<Keyword> keywords_;
  // Whole-word keywords by their text ("word" or "\\word"), an open-addressing table built by build(); the rest
  // go to Hyperscan. A slot holds everything a lookup needs, so a word costs one probe and, on a hit, one pass
  // over that keyword's contiguous (group, weight) pairs.
  struct WordSlot {         // 16 bytes: the table of a few thousand keywords stays in the first cache levels
    uint32_t tag = 0;       // high half of the word's hash (the low bits chose the slot)
    uint32_t text = 0;      // offset of the folded word (without a leading backslash) in word_chunks_
    uint8_t length = 0;     // of the word; 0 = empty slot
    bool backslash = false; // the keyword is "\\word"
    uint16_t hit_count = 0;
    uint32_t hits = 0;      // offset of its first (group, weight) pair in word_hits_
  };
  struct GroupHit {
    uint32_t group;
    double weight;
  };
  std::vector<WordSlot> words_;
  size_t word_mask_ = 0;  // words_.size() - 1
  std::vector<uint64_t> word_chunks_;  // the whole-word keywords, folded as fold_and_hash() folds a word
  std::vector<GroupHit> word_hits_;
  const WordSlot* find_word(uint64_t hash, bool backslash, const uint64_t* folded, size_t len) const;
  void add_word_hits(const WordSlot& w, uint32_t* counts, double* weighted) const;
  size_t longest_word_ = 0;            // longest whole-word keyword
  size_t longest_backslash_word_ = 0;  // longest word after the backslash of a "\\word" keyword
  std::vector<uint32_t> literal_ids_;  // Hyperscan id -> keyword
  void* database_ = nullptr;  // hs_database_t*
  uint64_t build_id_ = 0;     // distinguishes automata for KeywordScratch
};

}  // namespace caploop::corpus
