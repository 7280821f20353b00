#include "corpus/keyword_automaton.h"

#include <fmt/format.h>
#include <hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/error.h"

namespace caploop::corpus {

namespace {
constexpr std::array<bool, 256> make_word_bytes() {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return t;
}
constexpr std::array<bool, 256> kWordByte = make_word_bytes();
inline bool is_word_byte(unsigned char c) { return kWordByte[c]; }
std::atomic<uint64_t> next_build_id{1};
inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }
constexpr uint64_t kLowerCaseBits = 0x2020202020202020ull;
constexpr size_t kLongestTableWord = 64;  // longer whole words go to Hyperscan
// The low `bytes` bytes of a little-endian word (1 <= bytes <= 7).
inline uint64_t low_bytes(uint64_t v, size_t bytes) { return v & ((uint64_t{1} << (8 * bytes)) - 1); }

// Folds a run of ASCII letters and digits (at most kLongestTableWord bytes) to lower case into `chunks` (byte j
// of the run in bits 8j..8j+7 of chunk j/8, the last chunk zero-padded) and returns its hash; the table is built and
// probed with it. For letters and digits, lower-casing is setting bit 0x20. Reads 8 bytes at a time while they lie
// before `end`.
inline uint64_t fold_and_hash(const unsigned char* p, size_t len, const unsigned char* end, uint64_t* chunks) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little)
      std::memcpy(&v, p + i, 8);
    else
      for (size_t j = 0; j < 8; ++j) v |= uint64_t{p[i + j]} << (8 * j);
    v |= kLowerCaseBits;
    chunks[i / 8] = v;
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  if (const size_t rest = len - i; rest > 0) {
    uint64_t v = 0;
    if (std::endian::native == std::endian::little && p + i + 8 <= end) {
      std::memcpy(&v, p + i, 8);
    } else {
      for (size_t j = 0; j < rest; ++j) v |= uint64_t{p[i + j]} << (8 * j);
    }
    v = low_bytes(v | kLowerCaseBits, rest);
    chunks[i / 8] = v;
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
  }
  return h;
}
// The first (up to) 8 bytes of a run of letters and digits with bit 0x20 set in each, zero past the run.
inline uint64_t folded_head(const unsigned char* run, size_t len) {
  uint64_t v = 0;
  if (std::endian::native == std::endian::little && len >= 8) {
    std::memcpy(&v, run, 8);
    return v | kLowerCaseBits;
  }
  for (size_t j = 0; j < len && j < 8; ++j) v |= uint64_t{run[j] | 0x20u} << (8 * j);
  return v;
}
// fold_and_hash for a run of 1..8 bytes already folded and zero-padded into one value (the same hash).
inline uint64_t short_word_hash(uint64_t v, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
  if (len == 8) {
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
  }
  h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}
// The hash of "\\word" from the hash of "word".
inline uint64_t backslash_hash(uint64_t word_hash) {
  return (word_hash ^ 0x5C5C5C5C5C5C5C5Cull) * 0x9E3779B97F4A7C15ull;
}
}  // namespace

KeywordScratch::~KeywordScratch() { hs_free_scratch(static_cast<hs_scratch_t*>(scratch_)); }

KeywordAutomaton::~KeywordAutomaton() { hs_free_database(static_cast<hs_database_t*>(database_)); }

void KeywordAutomaton::add(const std::string& keyword, uint32_t group, double weight) {
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
      k.weights.push_back(weight);
      return;
    }
  }
  Keyword k;
  k.text = text;
  k.prefix = prefix;
  k.check_start = is_word_byte(static_cast<unsigned char>(text.front()));
  k.check_end = !prefix && is_word_byte(static_cast<unsigned char>(text.back()));
  k.groups.push_back(group);
  k.weights.push_back(weight);
  keywords_.push_back(std::move(k));
}

namespace {
// "word" or "\\word" with word = one or more ASCII letters or digits.
bool is_whole_word(std::string_view k) {
  if (!k.empty() && k[0] == '\\') k.remove_prefix(1);
  if (k.empty() || k.size() > kLongestTableWord) return false;
  for (unsigned char c : k)
    if (!is_word_byte(c)) return false;
  return true;
}
// The leading run of letters and digits of `k` after an optional backslash (empty when there is none).
std::string_view leading_word(std::string_view k) {
  if (!k.empty() && k[0] == '\\') k.remove_prefix(1);
  size_t n = 0;
  while (n < k.size() && is_word_byte(static_cast<unsigned char>(k[n]))) ++n;
  return k.substr(0, n);
}
inline size_t word_filter_bit(unsigned b0, unsigned b1, size_t len) {
  return ((b0 & 31u) << 10) | ((b1 & 31u) << 5) | static_cast<unsigned>(std::min<size_t>(len, 31));
}
inline size_t prefix_slot(uint32_t key) { return (key * 0x9E3779B1u) >> 16; }
constexpr unsigned kPrefixFilterBits = 14;
inline size_t prefix_filter_bit(uint32_t key) { return (key * 0x85EBCA77u) >> (32 - kPrefixFilterBits); }
// A bit for the first two bytes (bit 0x20 set in each) after a phrase's first word.
inline unsigned tail_filter_bit(uint64_t two) { return static_cast<unsigned>((two * 0x9E3779B97F4A7C15ull) >> 58); }
inline size_t short_key_slot(uint64_t key, unsigned shift) {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift);
}
// kLowBytes[n]: the low n bytes of a little-endian word (n = 0..8).
constexpr std::array<uint64_t, 9> kLowBytes = {0,
                                               0xFFull,
                                               0xFFFFull,
                                               0xFFFFFFull,
                                               0xFFFFFFFFull,
                                               0xFFFFFFFFFFull,
                                               0xFFFFFFFFFFFFull,
                                               0xFFFFFFFFFFFFFFull,
                                               ~uint64_t{0}};
inline bool test_bit(const std::vector<uint64_t>& bits, size_t i) { return (bits[i >> 6] >> (i & 63)) & 1u; }
inline void set_bit(std::vector<uint64_t>& bits, size_t i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }
}  // namespace

KeywordAutomaton::WordSlot& KeywordAutomaton::table_slot(const std::string& word, bool backslash) {
  uint64_t chunks[kLongestTableWord / 8];
  const auto* bytes = reinterpret_cast<const unsigned char*>(word.data());
  uint64_t hash = fold_and_hash(bytes, word.size(), bytes + word.size(), chunks);
  if (backslash) hash = backslash_hash(hash);
  if (const WordSlot* found = find_word(hash, backslash, chunks, word.size())) return const_cast<WordSlot&>(*found);
  WordSlot w;
  w.text = static_cast<uint32_t>(word_chunks_.size());
  w.length = static_cast<uint8_t>(word.size());
  w.first8 = chunks[0];
  w.backslash = backslash;
  word_chunks_.insert(word_chunks_.end(), chunks, chunks + (word.size() + 7) / 8);
  size_t slot = hash & word_mask_;
  while (words_[slot].length != 0) slot = (slot + 1) & word_mask_;
  words_[slot] = w;
  size_t& longest = backslash ? longest_backslash_word_ : longest_word_;
  longest = std::max(longest, word.size());
  if (!backslash)
    set_bit(word_filter_, word_filter_bit(fold(bytes[0]), word.size() > 1 ? fold(bytes[1]) : 0, word.size()));
  return words_[slot];
}

void KeywordAutomaton::build() {
  hs_free_database(static_cast<hs_database_t*>(database_));
  database_ = nullptr;
  words_.clear();
  literal_ids_.clear();
  longest_word_ = 0;
  longest_backslash_word_ = 0;
  word_chunks_.clear();
  word_hits_.clear();
  tails_.clear();
  tail_bytes_.clear();
  prefix_buckets_.clear();
  prefix_keywords_.clear();
  short_prefixes_.clear();
  word_filter_.assign(32768 / 64, 0);
  fractional_groups_.clear();
  rows_.clear();
  row_counts_.clear();
  tail_filters_.clear();
  short_keys_.clear();
  short_slots_.clear();
  prefix_filter_.assign((size_t{1} << kPrefixFilterBits) / 64, 0);
  // Groups with a fractional weight: their sums depend on the order of the additions, so only whole words (text
  // order, first) and Hyperscan (after) count into them, as before the word path took phrases and prefixes.
  uint32_t group_count = 0;
  for (const Keyword& k : keywords_)
    for (uint32_t g : k.groups) group_count = std::max(group_count, g + 1);
  std::vector<bool> fractional(group_count, false);
  for (const Keyword& k : keywords_)
    for (size_t i = 0; i < k.groups.size(); ++i)
      if (k.weights[i] != std::floor(k.weights[i]) || k.weights[i] > 1e9) fractional[k.groups[i]] = true;
  // Which path each keyword takes.
  enum class Path { kWhole, kTail, kPrefix, kHyperscan };
  std::vector<Path> path(keywords_.size(), Path::kHyperscan);
  size_t table_words = 0;
  for (size_t i = 0; i < keywords_.size(); ++i) {
    const Keyword& k = keywords_[i];
    if (!k.prefix && is_whole_word(k.text)) {
      path[i] = Path::kWhole;
      ++table_words;
      continue;
    }
    bool exact_order_needed = false;
    for (uint32_t g : k.groups) exact_order_needed = exact_order_needed || fractional[g];
    const std::string_view head = leading_word(k.text);
    if (exact_order_needed || head.empty() || head.size() > kLongestTableWord) continue;
    const bool backslash = k.text[0] == '\\';
    const size_t rest = k.text.size() - head.size() - (backslash ? 1 : 0);
    if (rest > 0) {
      path[i] = Path::kTail;
      ++table_words;
    } else if (k.prefix && !backslash) {  // a prefix of letters and digits ("\\word*" stays with Hyperscan)
      path[i] = Path::kPrefix;
    }
  }
  if (table_words > 0) {
    size_t size = 16;
    while (size < 4 * table_words) size *= 2;
    words_.assign(size, WordSlot{});
    word_mask_ = size - 1;
  }
  // The lanes of the groups with fractional weights.
  std::vector<uint32_t> lane_of(group_count, kNoRow);
  for (uint32_t g = 0; g < group_count; ++g)
    if (fractional[g]) {
      lane_of[g] = static_cast<uint32_t>(fractional_groups_.size());
      fractional_groups_.push_back(g);
    }
  lane_stride_ = (fractional_groups_.size() + 7) / 8 * 8;
  // Whole words first (their pairs are contiguous per slot; those of fractional groups in the slot's row), then
  // the phrases grouped by their first word.
  for (size_t i = 0; i < keywords_.size(); ++i) {
    if (path[i] != Path::kWhole) continue;
    const Keyword& k = keywords_[i];
    const bool backslash = k.text[0] == '\\';
    WordSlot& w = table_slot(k.text.substr(backslash ? 1 : 0), backslash);
    w.hits = static_cast<uint32_t>(word_hits_.size());
    for (size_t g = 0; g < k.groups.size(); ++g) {
      if (!fractional[k.groups[g]]) {
        word_hits_.push_back({k.groups[g], k.weights[g]});
        ++w.hit_count;
        continue;
      }
      if (w.row == kNoRow) {
        w.row = static_cast<uint32_t>(rows_.size());
        rows_.resize(rows_.size() + lane_stride_, -0.0);
        row_counts_.resize(row_counts_.size() + lane_stride_, 0);
      }
      rows_[w.row + lane_of[k.groups[g]]] = k.weights[g];  // a keyword counts into a group once
      row_counts_[w.row + lane_of[k.groups[g]]] = 1;
    }
  }
  std::vector<std::pair<WordSlot*, uint32_t>> tail_of;  // (slot, keyword), to be laid out slot by slot
  for (size_t i = 0; i < keywords_.size(); ++i) {
    if (path[i] != Path::kTail) continue;
    const Keyword& k = keywords_[i];
    const bool backslash = k.text[0] == '\\';
    tail_of.emplace_back(&table_slot(std::string(leading_word(k.text)), backslash), static_cast<uint32_t>(i));
  }
  std::stable_sort(tail_of.begin(), tail_of.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [slot, i] : tail_of) {
    const Keyword& k = keywords_[i];
    const size_t skip = (k.text[0] == '\\' ? 1 : 0) + leading_word(k.text).size();
    if (slot->tail_count == 0) slot->tails = static_cast<uint32_t>(tails_.size());
    ++slot->tail_count;
    Tail t;
    t.rest = static_cast<uint32_t>(tail_bytes_.size());
    t.rest_length = static_cast<uint32_t>(k.text.size() - skip);
    t.check_end = k.check_end;
    t.keyword = i;
    for (size_t b = 0; b < 8 && b < t.rest_length; ++b) {
      t.first8 |= uint64_t{static_cast<unsigned char>(k.text[skip + b]) | 0x20u} << (8 * b);
      t.mask8 |= uint64_t{0xFF} << (8 * b);
    }
    tail_bytes_.append(k.text, skip, std::string::npos);
    tails_.push_back(t);
  }
  // Prefixes by their first three bytes.
  std::vector<std::pair<uint32_t, uint32_t>> by_key;  // (key, keyword)
  for (size_t i = 0; i < keywords_.size(); ++i) {
    if (path[i] != Path::kPrefix) continue;
    const std::string& t = keywords_[i].text;
    if (t.size() < 3) {
      short_prefixes_.push_back(static_cast<uint32_t>(i));
      continue;
    }
    const auto* b = reinterpret_cast<const unsigned char*>(t.data());
    by_key.emplace_back(b[0] | (b[1] << 8) | (b[2] << 16), static_cast<uint32_t>(i));
  }
  std::stable_sort(by_key.begin(), by_key.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  if (!by_key.empty()) {
    size_t size = 16;
    while (size < 4 * by_key.size()) size *= 2;
    prefix_buckets_.assign(size, PrefixBucket{});
    prefix_mask_ = size - 1;
  }
  for (size_t j = 0; j < by_key.size();) {
    size_t e = j;
    while (e < by_key.size() && by_key[e].first == by_key[j].first) ++e;
    if (e - j > 255 || prefix_keywords_.size() + (e - j) > 65535)
      throw Error(ErrorKind::kInternal, "too many prefix keywords sharing their first bytes");
    PrefixBucket bucket;
    bucket.key = by_key[j].first;
    bucket.first = static_cast<uint16_t>(prefix_keywords_.size());
    bucket.count = static_cast<uint8_t>(e - j);
    bucket.min_length = 255;
    for (; j < e; ++j) {
      prefix_keywords_.push_back(by_key[j].second);
      const size_t len = keywords_[by_key[j].second].text.size();
      bucket.min_length = static_cast<uint8_t>(std::min<size_t>(bucket.min_length, len));
    }
    size_t slot = prefix_slot(bucket.key) & prefix_mask_;
    while (prefix_buckets_[slot].key != 0) slot = (slot + 1) & prefix_mask_;
    prefix_buckets_[slot] = bucket;
  }
  auto entry = [&](uint32_t i) {
    PrefixEntry e;
    const std::string& t = keywords_[i].text;
    e.length = static_cast<uint32_t>(t.size());
    e.keyword = i;
    for (size_t b = 0; b < 8 && b < t.size(); ++b) {
      e.first8 |= uint64_t{static_cast<unsigned char>(t[b]) | 0x20u} << (8 * b);
      e.mask8 |= uint64_t{0xFF} << (8 * b);
    }
    return e;
  };
  prefix_entries_.clear();
  short_prefix_entries_.clear();
  for (uint32_t i : prefix_keywords_) prefix_entries_.push_back(entry(i));
  for (uint32_t i : short_prefixes_) short_prefix_entries_.push_back(entry(i));
  for (const PrefixBucket& b : prefix_buckets_)
    if (b.key != 0) set_bit(prefix_filter_, prefix_filter_bit(b.key));
  auto all_digits = [](std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  digit_words_ = false;
  for (const WordSlot& w : words_)
    if (w.length != 0) {
      const uint64_t* chunks = word_chunks_.data() + w.text;
      std::string word(w.length, '\0');
      for (size_t b = 0; b < w.length; ++b) word[b] = static_cast<char>(chunks[b / 8] >> (8 * (b % 8)));
      digit_words_ = digit_words_ || all_digits(word);
    }
  for (uint32_t i : prefix_keywords_) digit_words_ = digit_words_ || all_digits(keywords_[i].text);
  for (uint32_t i : short_prefixes_) digit_words_ = digit_words_ || all_digits(keywords_[i].text);
  tail_filters_.assign(words_.size(), 0);
  for (size_t s = 0; s < words_.size(); ++s) {
    const WordSlot& w = words_[s];
    for (uint32_t t = w.tails; t < w.tails + w.tail_count; ++t)
      tail_filters_[s] |=
          tails_[t].rest_length < 2 ? ~uint64_t{0} : uint64_t{1} << tail_filter_bit(tails_[t].first8 & 0xFFFF);
  }
  // The short table: every table word of at most 8 bytes not after a backslash.
  size_t short_words = 0;
  for (const WordSlot& w : words_) short_words += w.length != 0 && w.length <= 8 && !w.backslash;
  if (short_words > 0) {
    size_t size = 16;
    unsigned bits = 4;
    while (size < 2 * short_words) size *= 2, ++bits;
    short_keys_.assign(size, 0);
    short_slots_.assign(size, 0);
    short_mask_ = size - 1;
    short_shift_ = 64 - bits;
    for (size_t s = 0; s < words_.size(); ++s) {
      const WordSlot& w = words_[s];
      if (w.length == 0 || w.length > 8 || w.backslash) continue;
      size_t h = short_key_slot(w.first8, short_shift_);
      while (short_keys_[h] != 0) h = (h + 1) & short_mask_;
      short_keys_[h] = w.first8;
      short_slots_[h] = static_cast<uint32_t>(s);
    }
  }
  // Everything else: one Hyperscan literal database.
  std::vector<const char*> literals;
  std::vector<unsigned> flags, ids;
  std::vector<size_t> lengths;
  for (size_t i = 0; i < keywords_.size(); ++i) {
    if (path[i] != Path::kHyperscan) continue;
    const Keyword& k = keywords_[i];
    literals.push_back(k.text.data());
    lengths.push_back(k.text.size());
    flags.push_back(HS_FLAG_CASELESS);
    ids.push_back(static_cast<unsigned>(literal_ids_.size()));
    literal_ids_.push_back(static_cast<uint32_t>(i));
  }
  build_id_ = next_build_id.fetch_add(1);
  if (literals.empty()) return;
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(literals.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
    std::string message = error && error->message ? error->message : "unknown error";
    int which = error ? error->expression : -1;
    hs_free_compile_error(error);
    throw Error(ErrorKind::kInternal, fmt::format("Hyperscan rejected the keywords: {} (keyword '{}')", message,
                                                  which >= 0 ? keywords_[literal_ids_[which]].text : std::string("?")));
  }
  database_ = db;
}

[[gnu::always_inline]] inline const KeywordAutomaton::WordSlot* KeywordAutomaton::find_word(uint64_t hash,
                                                                                            bool backslash,
                                                                                            const uint64_t* chunks,
                                                                                            size_t len) const {
  if (words_.empty()) return nullptr;
  for (size_t slot = hash & word_mask_; words_[slot].length != 0; slot = (slot + 1) & word_mask_) {
    const WordSlot& w = words_[slot];
    if (w.first8 == chunks[0] && w.length == len && w.backslash == backslash) {
      // Compared chunk by chunk in line (std::equal on a few words becomes a memcmp call).
      const uint64_t* stored = word_chunks_.data() + w.text;
      bool same = true;
      for (size_t i = 0, n = (len + 7) / 8; i < n && same; ++i) same = chunks[i] == stored[i];
      if (same) return &w;
    }
  }
  return nullptr;
}

[[gnu::always_inline]] inline const KeywordAutomaton::WordSlot* KeywordAutomaton::find_short_word(uint64_t hash,
                                                                                                  bool backslash,
                                                                                                  uint64_t folded,
                                                                                                  size_t len) const {
  for (size_t slot = hash & word_mask_; words_[slot].length != 0; slot = (slot + 1) & word_mask_) {
    const WordSlot& w = words_[slot];
    if (w.first8 == folded && w.length == len && w.backslash == backslash) return &w;
  }
  return nullptr;
}

[[gnu::always_inline]] inline void KeywordAutomaton::add_word_hits(const WordSlot& w, uint32_t* counts,
                                                                   double* weighted) const {
  const GroupHit* h = word_hits_.data() + w.hits;
  if (weighted) {
    for (uint32_t i = 0; i < w.hit_count; ++i) {
      ++counts[h[i].group];
      weighted[h[i].group] += h[i].weight;
    }
  } else {
    for (uint32_t i = 0; i < w.hit_count; ++i) ++counts[h[i].group];
  }
}

void KeywordAutomaton::match_tails(const WordSlot& w, const unsigned char* p, size_t stop, size_t n, uint32_t* counts,
                                   double* weighted) const {
  // The (up to) 8 bytes after the run with bit 0x20 set: equal to a tail's first8 under its mask whenever the
  // text continues with that tail ignoring case (the converse is checked byte by byte).
  uint64_t next8 = 0;
  if (stop + 8 <= n) {
    std::memcpy(&next8, p + stop, 8);
    if constexpr (std::endian::native != std::endian::little) next8 = __builtin_bswap64(next8);
  } else {
    for (size_t b = 0; stop + b < n; ++b) next8 |= uint64_t{p[stop + b]} << (8 * b);
  }
  next8 |= kLowerCaseBits;
  for (uint32_t t = w.tails, e = w.tails + w.tail_count; t < e; ++t) {
    const Tail& tail = tails_[t];
    if ((next8 & tail.mask8) != tail.first8) continue;
    const size_t end = stop + tail.rest_length;
    if (end > n) continue;
    const auto* rest = reinterpret_cast<const unsigned char*>(tail_bytes_.data()) + tail.rest;
    size_t i = 0;
    while (i < tail.rest_length && fold(p[stop + i]) == rest[i]) ++i;
    if (i < tail.rest_length) continue;
    if (tail.check_end && end < n && is_word_byte(p[end])) continue;
    add_hits(keywords_[tail.keyword], counts, weighted);
  }
}

// `run` is a whole run of letters and digits, so folding is setting bit 0x20 and the run has no boundary inside.
void KeywordAutomaton::match_prefixes(const unsigned char* run, size_t len, uint64_t run8, const PrefixBucket* bucket,
                                      uint32_t* counts, double* weighted) const {
  auto matches = [&](const PrefixEntry& e) {
    if (e.length > len || (run8 & e.mask8) != e.first8) return false;
    const std::string& k = keywords_[e.keyword].text;
    for (size_t i = 8; i < e.length; ++i)
      if (static_cast<unsigned char>(run[i] | 0x20) != static_cast<unsigned char>(k[i])) return false;
    return true;
  };
  for (const PrefixEntry& e : short_prefix_entries_)
    if (matches(e)) add_hits(keywords_[e.keyword], counts, weighted);
  if (!bucket) return;
  for (uint32_t j = bucket->first; j < uint32_t{bucket->first} + bucket->count; ++j)
    if (matches(prefix_entries_[j])) add_hits(keywords_[prefix_entries_[j].keyword], counts, weighted);
}

void KeywordAutomaton::add_hits(const Keyword& k, uint32_t* counts, double* weighted) const {
  for (size_t i = 0; i < k.groups.size(); ++i) {
    ++counts[k.groups[i]];
    if (weighted) weighted[k.groups[i]] += k.weights[i];
  }
}

struct KeywordAutomaton::Match {
  const KeywordAutomaton* self;
  std::string_view text;
  uint32_t* counts;
  double* weighted;
};

int KeywordAutomaton::on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  auto* m = static_cast<Match*>(ctx);
  const Keyword& k = m->self->keywords_[m->self->literal_ids_[id]];
  size_t end = static_cast<size_t>(to);  // one past the keyword's last byte
  size_t start = end - k.text.size();
  const auto* p = reinterpret_cast<const unsigned char*>(m->text.data());
  if (k.check_start && start > 0 && is_word_byte(p[start - 1])) return 0;
  if (k.check_end && end < m->text.size() && is_word_byte(p[end])) return 0;
  m->self->add_hits(k, m->counts, m->weighted);
  return 0;
}

void KeywordAutomaton::count(std::string_view text, KeywordScratch& scratch, uint32_t* counts, double* weighted) const {
  scratch.scan_.scan(text);
  count(scratch.scan_, scratch, counts, weighted);
}

namespace {
// Two doubles added lane by lane (IEEE additions, as the scalar ones; SSE2 on x86-64).
typedef double Lanes2 __attribute__((vector_size(16)));
typedef uint32_t Counts4 __attribute__((vector_size(16)));
inline Counts4 load_counts(const uint32_t* p) {
  Counts4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_counts(uint32_t* p, Counts4 v) { std::memcpy(p, &v, sizeof v); }
inline Lanes2 load_lanes(const double* p) {
  Lanes2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_lanes(double* p, Lanes2 v) { std::memcpy(p, &v, sizeof v); }
constexpr size_t kHitBatch = 1024;            // rows recorded before a replay
constexpr size_t kHitsPerBlock = 2 * 32 + 2;  // at most 32 runs start in a 64-byte block, each up to two hits
}  // namespace

void KeywordAutomaton::replay_rows(KeywordScratch& scratch, size_t n, uint32_t* counts, double* weighted) const {
  const uint32_t* seq = scratch.rows_hit_.data();
  const double* rows = rows_.data();
  const uint32_t* row_counts = row_counts_.data();
  const size_t lanes = fractional_groups_.size();
  if (lane_stride_ == 8) {
    // Up to 8 groups: the sums stay in registers, each lane adding its group's weights in text order.
    double start[8];
    for (size_t j = 0; j < 8; ++j) start[j] = j < lanes && weighted ? weighted[fractional_groups_[j]] : 0.0;
    Lanes2 a0 = load_lanes(start), a1 = load_lanes(start + 2), a2 = load_lanes(start + 4), a3 = load_lanes(start + 6);
    Counts4 c0{}, c1{};
    for (size_t i = 0; i < n; ++i) {
      const double* row = rows + seq[i];
      const uint32_t* row_count = row_counts + seq[i];
      a0 += load_lanes(row);
      a1 += load_lanes(row + 2);
      a2 += load_lanes(row + 4);
      a3 += load_lanes(row + 6);
      c0 += load_counts(row_count);
      c1 += load_counts(row_count + 4);
    }
    store_lanes(start, a0);
    store_lanes(start + 2, a1);
    store_lanes(start + 4, a2);
    store_lanes(start + 6, a3);
    uint32_t added[8];
    store_counts(added, c0);
    store_counts(added + 4, c1);
    for (size_t j = 0; j < lanes; ++j) {
      counts[fractional_groups_[j]] += added[j];
      if (weighted) weighted[fractional_groups_[j]] = start[j];
    }
    return;
  }
  std::vector<double>& acc = scratch.lanes_;
  std::vector<uint32_t>& added = scratch.lane_counts_;
  acc.assign(lane_stride_, 0.0);
  added.assign(lane_stride_, 0);
  for (size_t j = 0; j < lanes; ++j) acc[j] = weighted ? weighted[fractional_groups_[j]] : 0.0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < lane_stride_; ++j) {
      acc[j] += rows[seq[i] + j];
      added[j] += row_counts[seq[i] + j];
    }
  for (size_t j = 0; j < lanes; ++j) {
    counts[fractional_groups_[j]] += added[j];
    if (weighted) weighted[fractional_groups_[j]] = acc[j];
  }
}

void KeywordAutomaton::count(const ByteClassScan& scan, KeywordScratch& scratch, uint32_t* counts,
                             double* weighted) const {
  const std::string_view text = scan.text();
  if (text.empty()) return;
  if (!words_.empty() || !prefix_buckets_.empty() || !short_prefixes_.empty()) {
    // Every maximal run of letters and digits (from the word mask): looked up, lower-cased, in the table as
    // "run" and, after a backslash, "\\run" (whole words, and the phrases starting with that word), and by its
    // first bytes among the prefixes. Whole-word hits in fractional groups are replayed after the loop.
    if (scratch.rows_hit_.size() < kHitBatch) scratch.rows_hit_.resize(kHitBatch);
    uint32_t* const seq = scratch.rows_hit_.data();
    size_t recorded = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    const unsigned char* end = p + n;
    uint64_t chunks[kLongestTableWord / 8];  // the folded word
    const auto& blocks = scan.blocks();
    const size_t nb = blocks.size();
    const bool has_short_prefixes = !short_prefixes_.empty();
    const bool digit_words = digit_words_;
    // Members read for every run, kept in locals (the count stores could alias them for the compiler).
    const bool short_path = std::endian::native == std::endian::little && !words_.empty();
    const uint64_t* const short_keys = short_keys_.empty() ? nullptr : short_keys_.data();
    const uint32_t* const short_slots = short_slots_.data();
    const size_t short_mask = short_mask_;
    const unsigned short_shift = short_shift_;
    const WordSlot* const words = words_.data();
    const size_t longest_word = longest_word_, longest_backslash_word = longest_backslash_word_;
    const PrefixBucket* const prefix_buckets = prefix_buckets_.empty() ? nullptr : prefix_buckets_.data();
    const size_t prefix_mask = prefix_mask_;
    const uint64_t* const prefix_filter = prefix_filter_.data();
    const uint64_t* const tail_filters = tail_filters_.data();
    auto word_hit = [&](const WordSlot* ws, size_t stop) __attribute__((always_inline)) {
      add_word_hits(*ws, counts, weighted);
      if (ws->row != kNoRow) seq[recorded++] = ws->row;
      if (ws->tail_count) {
        // The two bytes after the word (one when the text ends) must be those of a phrase's rest.
        if (stop + 2 > n ||
            ((tail_filters[ws - words] >> tail_filter_bit((p[stop] | (p[stop + 1] << 8)) | 0x2020u)) & 1u))
          match_tails(*ws, p, stop, n, counts, weighted);
      }
    };
    uint64_t prev = 0;
    for (size_t b = 0; b < nb; ++b) {
      if (recorded + kHitsPerBlock > kHitBatch) {
        replay_rows(scratch, recorded, counts, weighted);
        recorded = 0;
      }
      const uint64_t w = blocks[b].word;
      uint64_t starts = w & ~((w << 1) | (prev >> 63));
      prev = w;
      while (starts) {
        const unsigned bit = static_cast<unsigned>(std::countr_zero(starts));
        starts &= starts - 1;
        const size_t start = 64 * b + bit;
        // The run ends at the first byte outside the word mask (bits past the text are outside it).
        size_t stop;
        if (const uint64_t rest = ~w & (~uint64_t{0} << bit)) {
          stop = 64 * b + static_cast<size_t>(std::countr_zero(rest));
        } else {
          size_t bb = b + 1;
          while (bb < nb && blocks[bb].word == ~uint64_t{0}) ++bb;
          stop = bb < nb ? 64 * bb + static_cast<size_t>(std::countr_zero(~blocks[bb].word)) : n;
        }
        const size_t len = stop - start;
        if (short_path && len <= 8 && start + 8 <= n) {
          // A short run: its bytes loaded, folded and masked once as one value serve the table key, the prefix
          // key and the backslash lookup.
          uint64_t raw;
          std::memcpy(&raw, p + start, 8);
          const uint64_t v = (raw | kLowerCaseBits) & kLowBytes[len];
          // A run of digits only (no byte with bit 0x40, which every folded letter has) when no keyword is one.
          if (!(v & 0x4040404040404040ull) && !digit_words) continue;
          if (short_keys) {
            size_t h = short_key_slot(v, short_shift);
            uint64_t k;
            while ((k = short_keys[h]) != v && k != 0) h = (h + 1) & short_mask;
            if (k != 0) word_hit(words + short_slots[h], stop);
          }
          const uint32_t key = static_cast<uint32_t>(v & 0xFFFFFF);
          if (const size_t fb = prefix_filter_bit(key);
              len >= 3 && prefix_buckets && ((prefix_filter[fb >> 6] >> (fb & 63)) & 1u)) {
            const PrefixBucket* bucket = nullptr;
            for (size_t slot = prefix_slot(key) & prefix_mask; prefix_buckets[slot].key != 0;
                 slot = (slot + 1) & prefix_mask) {
              if (prefix_buckets[slot].key == key) {
                if (len >= prefix_buckets[slot].min_length) bucket = &prefix_buckets[slot];
                break;
              }
            }
            if (bucket || has_short_prefixes) match_prefixes(p + start, len, v, bucket, counts, weighted);
          } else if (has_short_prefixes) {
            match_prefixes(p + start, len, v, nullptr, counts, weighted);
          }
          if (start > 0 && p[start - 1] == '\\' && len <= longest_backslash_word)
            if (const WordSlot* ws = find_short_word(backslash_hash(short_word_hash(v, len)), true, v, len))
              word_hit(ws, stop);
          continue;
        }
        // Prefixes: the bucket of the run's first three bytes (most runs find an empty slot or none as long).
        const PrefixBucket* bucket = nullptr;
        if (len >= 3 && !prefix_buckets_.empty()) {
          const uint32_t key = (p[start] | 0x20u) | ((p[start + 1] | 0x20u) << 8) | ((p[start + 2] | 0x20u) << 16);
          for (size_t slot = prefix_slot(key) & prefix_mask_; prefix_buckets_[slot].key != 0;
               slot = (slot + 1) & prefix_mask_) {
            if (prefix_buckets_[slot].key == key) {
              if (len >= prefix_buckets_[slot].min_length) bucket = &prefix_buckets_[slot];
              break;
            }
          }
        }
        if (bucket || has_short_prefixes)
          match_prefixes(p + start, len, folded_head(p + start, len), bucket, counts, weighted);
        const bool plain =
            len <= longest_word &&
            test_bit(word_filter_, word_filter_bit(p[start] | 0x20u, len > 1 ? p[start + 1] | 0x20u : 0, len));
        const bool backslash = len <= longest_backslash_word && start > 0 && p[start - 1] == '\\';
        if (!plain && !backslash) continue;
        const uint64_t hash = fold_and_hash(p + start, len, end, chunks);
        if (plain)
          if (const WordSlot* ws = find_word(hash, false, chunks, len)) word_hit(ws, stop);
        if (backslash)
          if (const WordSlot* ws = find_word(backslash_hash(hash), true, chunks, len)) word_hit(ws, stop);
      }
    }
    if (recorded) replay_rows(scratch, recorded, counts, weighted);
  }
  if (!database_) return;
  auto* db = static_cast<hs_database_t*>(database_);
  if (scratch.owner_ != build_id_ || !scratch.scratch_) {
    auto* s = static_cast<hs_scratch_t*>(scratch.scratch_);
    if (hs_alloc_scratch(db, &s) != HS_SUCCESS) throw Error(ErrorKind::kInternal, "cannot allocate Hyperscan scratch");
    scratch.scratch_ = s;
    scratch.owner_ = build_id_;
  }
  Match m{this, text, counts, weighted};
  hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, static_cast<hs_scratch_t*>(scratch.scratch_),
          &KeywordAutomaton::on_match, &m);
}

void KeywordAutomaton::count(std::string_view text, uint32_t* counts) const {
  KeywordScratch scratch;
  count(text, scratch, counts, nullptr);
}

}  // namespace caploop::corpus
