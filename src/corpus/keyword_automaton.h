// KeywordAutomaton: an Aho-Corasick automaton that counts every occurrence of many literal keywords in one
// pass over a text, ignoring ASCII case, at whole-word boundaries.
//
// Contract: built once from keywords (lower-case ASCII or UTF-8 bytes); a keyword ending in '*' matches any
// word that starts with it (no boundary check at its end). A keyword whose first (last) byte is an ASCII letter
// or digit only matches where the byte before (after) it is not one. Every keyword occurrence is reported,
// overlapping ones included. count() adds, for each occurrence of keyword k, one to counts[g] for every g in
// the groups k was added with. Immutable after build(); count() is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caploop::corpus {

class KeywordAutomaton {
 public:
  // Adds a keyword counted into `group`; the same keyword may be added to several groups.
  void add(const std::string& keyword, uint32_t group);
  void build();
  void count(std::string_view text, uint32_t* counts) const;
  size_t keyword_count() const { return keywords_.size(); }
  size_t state_count() const { return terminal_.size(); }

 private:
  struct Keyword {
    std::string text;  // without the trailing '*'
    bool prefix = false;
    bool check_start = false;
    bool check_end = false;
    std::vector<uint32_t> groups;
  };
  void report(std::string_view text, size_t end, int32_t state, uint32_t* counts) const;
  template <typename Cell>
  void run(const std::vector<Cell>& table, std::string_view text, uint32_t* counts) const;

  std::vector<Keyword> keywords_;
  uint8_t byte_class_[256] = {};
  int32_t class_count_ = 1;
  // Transition table: state * class_count_ + class -> next state, with the top bit set when the next state
  // ends a keyword (itself or through a suffix). 16-bit cells while the states fit, so the table stays in cache.
  std::vector<uint16_t> delta16_;
  std::vector<uint32_t> delta32_;
  std::vector<int32_t> terminal_;  // keyword ending at this state, or -1
  std::vector<int32_t> dict_link_; // nearest proper suffix state with a keyword, or -1
};

}  // namespace caploop::corpus
