#include "corpus/keyword_automaton.h"

#include <algorithm>
#include <deque>
#include <map>

namespace caploop::corpus {

namespace {
inline bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }
}  // namespace

void KeywordAutomaton::add(const std::string& keyword, uint32_t group) {
  std::string text = keyword;
  bool prefix = false;
  if (text.size() > 1 && text.back() == '*') {
    prefix = true;
    text.pop_back();
  }
  for (char& c : text) c = static_cast<char>(fold(static_cast<unsigned char>(c)));
  for (auto& k : keywords_) {
    if (k.text == text && k.prefix == prefix) {
      for (uint32_t g : k.groups)
        if (g == group) return;
      k.groups.push_back(group);
      return;
    }
  }
  Keyword k;
  k.text = text;
  k.prefix = prefix;
  k.check_start = is_word_byte(static_cast<unsigned char>(text.front()));
  k.check_end = !prefix && is_word_byte(static_cast<unsigned char>(text.back()));
  k.groups.push_back(group);
  keywords_.push_back(std::move(k));
}

void KeywordAutomaton::build() {
  // Byte classes: one per distinct byte used by a keyword, class 0 for all others (upper case folds to lower).
  std::fill(std::begin(byte_class_), std::end(byte_class_), 0);
  class_count_ = 1;
  for (const auto& k : keywords_)
    for (unsigned char c : k.text)
      if (byte_class_[c] == 0) byte_class_[c] = static_cast<uint8_t>(class_count_++);
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c + 32];
  // Trie.
  std::vector<std::map<int, int32_t>> children(1);
  terminal_.assign(1, -1);
  for (size_t i = 0; i < keywords_.size(); ++i) {
    int32_t s = 0;
    for (unsigned char c : keywords_[i].text) {
      int cls = byte_class_[c];
      auto it = children[s].find(cls);
      if (it == children[s].end()) {
        int32_t next = static_cast<int32_t>(children.size());
        children[s][cls] = next;
        children.emplace_back();
        terminal_.push_back(-1);
        s = next;
      } else {
        s = it->second;
      }
    }
    terminal_[s] = static_cast<int32_t>(i);
  }
  // Breadth-first: failure links become full transitions (a DFA) and dictionary links.
  size_t n = children.size();
  std::vector<int32_t> delta(n * class_count_, 0);
  dict_link_.assign(n, -1);
  std::vector<int32_t> fail(n, 0);
  std::deque<int32_t> queue;
  for (int cls = 0; cls < class_count_; ++cls) {
    auto it = children[0].find(cls);
    if (it != children[0].end() && cls != 0) {
      delta[cls] = it->second;
      queue.push_back(it->second);
    }
  }
  while (!queue.empty()) {
    int32_t s = queue.front();
    queue.pop_front();
    int32_t f = fail[s];
    dict_link_[s] = terminal_[f] >= 0 ? f : dict_link_[f];
    for (int cls = 0; cls < class_count_; ++cls) {
      auto it = children[s].find(cls);
      if (it != children[s].end() && cls != 0) {
        int32_t child = it->second;
        fail[child] = delta[f * class_count_ + cls];
        delta[s * class_count_ + cls] = child;
        queue.push_back(child);
      } else {
        delta[s * class_count_ + cls] = delta[f * class_count_ + cls];
      }
    }
  }
  auto has_output = [&](int32_t s) { return terminal_[s] >= 0 || dict_link_[s] >= 0; };
  delta16_.clear();
  delta32_.clear();
  if (n < 0x8000) {
    delta16_.resize(delta.size());
    for (size_t i = 0; i < delta.size(); ++i)
      delta16_[i] = static_cast<uint16_t>(delta[i] | (has_output(delta[i]) ? 0x8000 : 0));
  } else {
    delta32_.resize(delta.size());
    for (size_t i = 0; i < delta.size(); ++i)
      delta32_[i] = static_cast<uint32_t>(delta[i]) | (has_output(delta[i]) ? 0x80000000u : 0u);
  }
}

void KeywordAutomaton::report(std::string_view text, size_t end, int32_t state, uint32_t* counts) const {
  for (int32_t s = terminal_[state] >= 0 ? state : dict_link_[state]; s >= 0; s = dict_link_[s]) {
    const Keyword& k = keywords_[terminal_[s]];
    size_t len = k.text.size();
    size_t start = end + 1 - len;
    if (k.check_start && start > 0 && is_word_byte(static_cast<unsigned char>(text[start - 1]))) continue;
    if (k.check_end && end + 1 < text.size() && is_word_byte(static_cast<unsigned char>(text[end + 1]))) continue;
    for (uint32_t g : k.groups) ++counts[g];
  }
}

template <typename Cell>
void KeywordAutomaton::run(const std::vector<Cell>& table, std::string_view text, uint32_t* counts) const {
  constexpr Cell kOutput = Cell{1} << (sizeof(Cell) * 8 - 1);
  const Cell* delta = table.data();
  const size_t classes = static_cast<size_t>(class_count_);
  size_t state = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0, n = text.size(); i < n; ++i) {
    Cell next = delta[state * classes + byte_class_[p[i]]];
    state = next & static_cast<Cell>(kOutput - 1);
    if (next & kOutput) report(text, i, static_cast<int32_t>(state), counts);
  }
}

void KeywordAutomaton::count(std::string_view text, uint32_t* counts) const {
  if (keywords_.empty()) return;
  if (!delta16_.empty()) run(delta16_, text, counts);
  else run(delta32_, text, counts);
}

}  // namespace caploop::corpus
