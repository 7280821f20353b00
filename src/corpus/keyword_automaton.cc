#include "corpus/keyword_automaton.h"

#include <fmt/format.h>
#include <hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
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
// of the run in bits 8j..8j+7 of chunk j/8, the last chunk zero-padded) and returns its hash; the table is built and probed with it. For letters and
// digits, lower-casing is setting bit 0x20. Reads 8 bytes at a time while they lie before `end`.
inline uint64_t fold_and_hash(const unsigned char* p, size_t len, const unsigned char* end, uint64_t* chunks) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little) std::memcpy(&v, p + i, 8);
    else for (size_t j = 0; j < 8; ++j) v |= uint64_t{p[i + j]} << (8 * j);
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
// The hash of "\\word" from the hash of "word".
inline uint64_t backslash_hash(uint64_t word_hash) { return (word_hash ^ 0x5C5C5C5C5C5C5C5Cull) * 0x9E3779B97F4A7C15ull; }
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
}  // namespace

void KeywordAutomaton::build() {
  hs_free_database(static_cast<hs_database_t*>(database_));
  database_ = nullptr;
  words_.clear();
  literal_ids_.clear();
  longest_word_ = 0;
  longest_backslash_word_ = 0;
  std::vector<const char*> literals;
  std::vector<unsigned> flags, ids;
  std::vector<size_t> lengths;
  size_t whole_words = 0;
  for (const Keyword& k : keywords_) whole_words += !k.prefix && is_whole_word(k.text);
  if (whole_words > 0) {
    size_t size = 16;
    while (size < 4 * whole_words) size *= 2;
    words_.assign(size, WordSlot{});
    word_mask_ = size - 1;
  }
  word_chunks_.clear();
  word_hits_.clear();
  for (size_t i = 0; i < keywords_.size(); ++i) {
    const Keyword& k = keywords_[i];
    if (!k.prefix && is_whole_word(k.text)) {
      const bool backslash = k.text[0] == '\\';
      const std::string word = k.text.substr(backslash ? 1 : 0);
      uint64_t chunks[kLongestTableWord / 8];
      const auto* bytes = reinterpret_cast<const unsigned char*>(word.data());
      uint64_t hash = fold_and_hash(bytes, word.size(), bytes + word.size(), chunks);
      if (backslash) hash = backslash_hash(hash);
      WordSlot w;
      w.tag = static_cast<uint32_t>(hash >> 32);
      w.text = static_cast<uint32_t>(word_chunks_.size());
      w.length = static_cast<uint8_t>(word.size());
      w.backslash = backslash;
      w.hits = static_cast<uint32_t>(word_hits_.size());
      w.hit_count = static_cast<uint16_t>(k.groups.size());
      word_chunks_.insert(word_chunks_.end(), chunks, chunks + (word.size() + 7) / 8);
      for (size_t g = 0; g < k.groups.size(); ++g) word_hits_.push_back({k.groups[g], k.weights[g]});
      size_t slot = hash & word_mask_;
      while (words_[slot].length != 0) slot = (slot + 1) & word_mask_;
      words_[slot] = w;
      size_t& longest = backslash ? longest_backslash_word_ : longest_word_;
      longest = std::max(longest, word.size());
      continue;
    }
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
                           static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) != HS_SUCCESS) {
    std::string message = error && error->message ? error->message : "unknown error";
    int which = error ? error->expression : -1;
    hs_free_compile_error(error);
    throw Error(ErrorKind::kInternal,
                fmt::format("Hyperscan rejected the keywords: {} (keyword '{}')", message,
                            which >= 0 ? keywords_[literal_ids_[which]].text : std::string("?")));
  }
  database_ = db;
}

const KeywordAutomaton::WordSlot* KeywordAutomaton::find_word(uint64_t hash, bool backslash, const uint64_t* chunks,
                                                              size_t len) const {
  const uint32_t tag = static_cast<uint32_t>(hash >> 32);
  for (size_t slot = hash & word_mask_; words_[slot].length != 0; slot = (slot + 1) & word_mask_) {
    const WordSlot& w = words_[slot];
    if (w.tag == tag && w.length == len && w.backslash == backslash) {
      // Compared chunk by chunk in line (std::equal on a few words becomes a memcmp call).
      const uint64_t* stored = word_chunks_.data() + w.text;
      bool same = true;
      for (size_t i = 0, n = (len + 7) / 8; i < n && same; ++i) same = chunks[i] == stored[i];
      if (same) return &w;
    }
  }
  return nullptr;
}

void KeywordAutomaton::add_word_hits(const WordSlot& w, uint32_t* counts, double* weighted) const {
  const GroupHit* h = word_hits_.data() + w.hits;
  for (uint32_t i = 0; i < w.hit_count; ++i) ++counts[h[i].group];
  if (weighted)
    for (uint32_t i = 0; i < w.hit_count; ++i) weighted[h[i].group] += h[i].weight;
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

void KeywordAutomaton::count(std::string_view text, KeywordScratch& scratch, uint32_t* counts,
                             double* weighted) const {
  scratch.scan_.scan(text);
  count(scratch.scan_, scratch, counts, weighted);
}

void KeywordAutomaton::count(const ByteClassScan& scan, KeywordScratch& scratch, uint32_t* counts,
                             double* weighted) const {
  const std::string_view text = scan.text();
  if (text.empty()) return;
  if (!words_.empty()) {
    // Every maximal run of letters and digits (from the word mask), lower-cased, looked up as "run" and, after
    // a backslash, "\\run".
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    const unsigned char* end = p + n;
    const size_t longest = std::max(longest_word_, longest_backslash_word_);
    uint64_t chunks[kLongestTableWord / 8];  // the folded word
    const auto& blocks = scan.blocks();
    const size_t nb = blocks.size();
    uint64_t prev = 0;
    for (size_t b = 0; b < nb; ++b) {
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
        if (len > longest) continue;
        const uint64_t hash = fold_and_hash(p + start, len, end, chunks);
        if (len <= longest_word_)
          if (const WordSlot* ws = find_word(hash, false, chunks, len)) add_word_hits(*ws, counts, weighted);
        if (len <= longest_backslash_word_ && start > 0 && p[start - 1] == '\\')
          if (const WordSlot* ws = find_word(backslash_hash(hash), true, chunks, len)) add_word_hits(*ws, counts, weighted);
      }
    }
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
