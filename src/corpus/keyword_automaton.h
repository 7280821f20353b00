// KeywordAutomaton: counts every occurrence of many literal keywords in one pass over a text, ignoring ASCII
// case, at whole-word boundaries. Most keywords are found from the runs of ASCII letters and digits of the text
// (the word mask of a ByteClassScan), without a second pass over the bytes:
//  * a keyword that is one whole word of at most 64 letters and digits (optionally after a backslash, as LaTeX
//    commands) is one hash-table probe per run; a run of at most 8 bytes is one 8-byte load, folded and masked,
//    one multiply-shift hash and (usually) one compare;
//  * a phrase or other keyword that starts with such a word (`in this paper`, `console.log`, `\begin{equation`,
//    `partial sum*`) is stored under its first word in the same table and its rest compared with the bytes after
//    the run when that word is found;
//  * a prefix keyword of letters and digits (`subtract*`) is looked up by the first three bytes of each run and
//    compared with the run;
//  * a cheap filter on (first two bytes, length) of a longer run rejects most of them before they are hashed;
//  * a whole-word hit in groups with fractional weights records the word's row of weights; the rows are added in
//    text order after the loop, one accumulator per group, so the sums are those of adding each weight in place.
// The rest (symbols such as `<div`, `(applause)`, `=>`; keywords of groups with fractional weights that are not
// whole words, whose weight sums must keep their order; longer words) is one Hyperscan literal database, with
// word boundaries checked on each reported occurrence. Every path gives the counts of the plain definition below.
//
// Contract: built once from keywords (lower-case ASCII or UTF-8 bytes); a keyword ending in '*' matches any
// word that starts with it (no boundary check at its end). A keyword whose first (last) byte is an ASCII letter
// or digit only matches where the byte before (after) it is not one. Every keyword occurrence is reported,
// overlapping ones included. count() adds, for each occurrence of keyword k, one to counts[g] and the keyword's
// weight in g to weighted[g] for every g in the groups k was added with; the weights of a group with a
// fractional weight are added in the same order whatever the path (whole words in text order, then the
// Hyperscan occurrences), so sums are reproducible to the bit. build() throws caploop::Error (kInternal) if
// Hyperscan rejects the literals. Immutable after build(); count() is thread-safe when each thread passes its
// own KeywordScratch.
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
  uint64_t owner_ = 0;       // build id of the automaton it was last sized for
  // Whole-word hits in groups with fractional weights, in text order, waiting to be replayed (their rows' offsets).
  std::vector<uint32_t> rows_hit_;
  std::vector<double> lanes_;  // weight sums while replaying more than 8 such groups
  std::vector<uint32_t> lane_counts_;
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
  // Whole-word keywords and the first words of phrases by their text ("word" or "\\word"), an open-addressing
  // table built by build(). A slot holds everything a lookup needs, so a word costs one probe and, on a hit, one
  // pass over that keyword's contiguous (group, weight) pairs and over the phrases starting with it.
  struct WordSlot {          // 32 bytes: the table of a few thousand keywords stays in the first cache levels
    uint64_t first8 = 0;     // the first (up to) 8 folded bytes of the word, zero-padded: a word of at most 8
                             // bytes is compared in one 8-byte compare
    uint32_t text = 0;       // offset of the folded word (without a leading backslash) in word_chunks_
    uint8_t length = 0;      // of the word; 0 = empty slot
    bool backslash = false;  // the keyword is "\\word"
    uint16_t hit_count = 0;  // (group, weight) pairs of the whole-word keyword in groups with integer weights
    uint32_t hits = 0;       // offset of its first (group, weight) pair in word_hits_
    uint32_t tails = 0;      // offset of the first phrase starting with this word in tails_
    uint32_t tail_count = 0;
    uint32_t row = kNoRow;  // offset of its row of lanes (the groups with fractional weights) in rows_
  };
  static constexpr uint32_t kNoRow = ~uint32_t{0};
  struct GroupHit {
    uint32_t group;
    double weight;
  };
  // A keyword that starts with a table word: the bytes that must follow the run (folded), then its boundary.
  struct Tail {
    uint64_t first8 = 0;  // the first (up to) 8 bytes of the rest with bit 0x20 set in each, as a cheap first test
    uint64_t mask8 = 0;   // the bytes of first8 that belong to the rest
    uint32_t rest = 0;    // offset in tail_bytes_
    uint32_t rest_length = 0;
    bool check_end = false;
    uint32_t keyword = 0;  // index into keywords_
  };
  // The prefix keywords of letters and digits sharing their first three (folded) bytes: one slot of an
  // open-addressing table keyed by those bytes.
  struct PrefixBucket {
    uint32_t key = 0;        // the three bytes, first in the low bits; 0 = empty slot
    uint8_t min_length = 0;  // of its keywords: shorter runs cannot match
    uint8_t count = 0;
    uint16_t first = 0;  // range of prefix_keywords_
  };
  std::vector<WordSlot> words_;
  size_t word_mask_ = 0;               // words_.size() - 1
  std::vector<uint64_t> word_chunks_;  // the table's words, folded as fold_and_hash() folds a word
  std::vector<GroupHit> word_hits_;
  std::vector<Tail> tails_;
  std::string tail_bytes_;
  // Bit (b0 & 31, b1 & 31, min(length, 31)) set when some (not backslash) table word has those first bytes and
  // length (b1 = 0 for one-byte words): most runs of a text fail it and are never hashed.
  std::vector<uint64_t> word_filter_;
  std::vector<PrefixBucket> prefix_buckets_;  // open addressing; empty when there are no such prefixes
  size_t prefix_mask_ = 0;
  std::vector<uint32_t> prefix_keywords_;  // keyword indices, by bucket
  std::vector<uint32_t> short_prefixes_;   // prefix keywords of one or two bytes, tried on every run
  // The same two lists with each keyword's first (up to) 8 bytes, folded, and their mask: one compare per keyword
  // of at most 8 bytes.
  struct PrefixEntry {
    uint64_t first8 = 0;
    uint64_t mask8 = 0;
    uint32_t length = 0;
    uint32_t keyword = 0;
  };
  std::vector<PrefixEntry> prefix_entries_, short_prefix_entries_;
  WordSlot& table_slot(const std::string& word, bool backslash);
  const WordSlot* find_word(uint64_t hash, bool backslash, const uint64_t* folded, size_t len) const;
  // The same for a word of at most 8 bytes, given as one folded, zero-padded 8-byte value.
  const WordSlot* find_short_word(uint64_t hash, bool backslash, uint64_t folded, size_t len) const;
  void add_word_hits(const WordSlot& w, uint32_t* counts, double* weighted) const;
  void match_tails(const WordSlot& w, const unsigned char* p, size_t stop, size_t n, uint32_t* counts,
                   double* weighted) const;
  // Adds the prefix keywords that start `run` (a whole run of letters and digits): those of `bucket` (its first
  // three bytes' bucket, or null) and the short ones.
  // `run8` is the run's first (up to) 8 bytes with bit 0x20 set in each (zero past the run).
  void match_prefixes(const unsigned char* run, size_t len, uint64_t run8, const PrefixBucket* bucket, uint32_t* counts,
                      double* weighted) const;
  // Groups with fractional weights: their sums depend on the order of the additions. A whole-word hit in such
  // groups is not added where it is found: its row is appended to a sequence, and after the loop over the runs
  // (or when the sequence is full) the rows are added in text order to one accumulator per group (lane i =
  // fractional_groups_[i]; the row holds -0.0, the exact identity of addition, and a count of 0 where the word is
  // not in that group), so every group's sum gets the same additions in the same order as one by one.
  void replay_rows(KeywordScratch& scratch, size_t n, uint32_t* counts, double* weighted) const;
  std::vector<uint32_t> fractional_groups_;
  size_t lane_stride_ = 0;            // lanes per row: fractional_groups_.size() rounded up to a multiple of 8
  std::vector<double> rows_;          // lane weights, lane_stride_ per row
  std::vector<uint32_t> row_counts_;  // lane counts (1 or 0), parallel to rows_
  // Per table slot: bit (first two bytes after the word, hashed) set for each phrase stored under it, so most
  // occurrences of a phrase's first word skip the phrase comparisons; all bits when a phrase's rest is one byte.
  std::vector<uint64_t> tail_filters_;
  // The table words of at most 8 bytes (not after a backslash), keyed by the word folded into one zero-padded
  // 8-byte value (0 = empty slot; a word has no zero byte) with a multiply-shift hash: a run of at most 8 bytes
  // is one load, one multiply and (usually) one compare. short_slots_ gives the words_ index of each key.
  std::vector<uint64_t> short_keys_;
  std::vector<uint32_t> short_slots_;
  size_t short_mask_ = 0;
  unsigned short_shift_ = 64;
  // Bit (first three folded bytes, hashed) set when some prefix bucket has that key: most runs skip the probe.
  std::vector<uint64_t> prefix_filter_;
  bool digit_words_ = false;           // some table word or prefix is all digits (else runs of digits need no lookup)
  size_t longest_word_ = 0;            // longest table word
  size_t longest_backslash_word_ = 0;  // longest table word after a backslash
  std::vector<uint32_t> literal_ids_;  // Hyperscan id -> keyword
  void* database_ = nullptr;           // hs_database_t*
  uint64_t build_id_ = 0;              // distinguishes automata for KeywordScratch
};

}  // namespace caploop::corpus
